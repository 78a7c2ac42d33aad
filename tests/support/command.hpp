#pragma once

// Running a program of the project as a user does, from a test: its exit status and what it wrote.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace mrtbb::testing {

struct Outcome {
  int status;
  std::string out;
  std::string err;
};

/// `arg` quoted for sh, whatever bytes it holds.
inline std::string quote(const std::string& arg) {
  std::string quoted = "'";
  for (char c : arg) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

/// The whole content of a file, as bytes.
inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

/// The lines of what a program printed, without their line feeds.
inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

}  // namespace mrtbb::testing
