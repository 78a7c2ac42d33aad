#pragma once

// Benchmark inputs made by the project's corpus generator (apps/make_corpus), in memory or written
// once per process to a temporary file.

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <tuple>

#include "corpus_generator.hpp"

namespace mrtbb::bench {

inline std::string generated_text(std::uint64_t bytes, std::uint64_t vocabulary,
                                  bool multi_script = false) {
  corpus::TextGenerator generator(
      {.bytes = bytes, .vocabulary = vocabulary, .multi_script = multi_script});
  std::string text;
  generator.append(text, bytes);
  return text;
}

/// A file holding generated_text(bytes, vocabulary, multi_script), made on first use.
inline const std::string& generated_file(std::uint64_t bytes, std::uint64_t vocabulary,
                                         bool multi_script = false) {
  static std::map<std::tuple<std::uint64_t, std::uint64_t, bool>, std::string> files;
  auto& path = files[{bytes, vocabulary, multi_script}];
  if (path.empty()) {
    const auto file = std::filesystem::temp_directory_path() /
                      ("mrtbb-bench-" + std::to_string(bytes) + "-" + std::to_string(vocabulary) +
                       (multi_script ? "-multi" : "") + ".txt");
    std::ofstream(file, std::ios::binary) << generated_text(bytes, vocabulary, multi_script);
    path = file.string();
  }
  return path;
}

}  // namespace mrtbb::bench
