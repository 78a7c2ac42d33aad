#pragma once

// Benchmark inputs made by the project's corpus generator (apps/make_corpus), in memory or written
// once per process to a temporary file: text, or TSV records.

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <tuple>
#include <utility>

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

/// A file of `rows` TSV records (key<TAB>value) over `keys` keys in five scripts, as
/// `make-corpus --tsv --multi-script` writes them, made on first use.
inline const std::string& generated_records_file(std::uint64_t rows, std::uint64_t keys) {
  static std::map<std::pair<std::uint64_t, std::uint64_t>, std::string> files;
  auto& path = files[{rows, keys}];
  if (path.empty()) {
    const auto file =
        std::filesystem::temp_directory_path() /
        ("mrtbb-bench-records-" + std::to_string(rows) + "-" + std::to_string(keys) + ".tsv");
    corpus::RecordGenerator generator({.rows = rows, .keys = keys, .multi_script = true});
    std::string text;
    generator.append(text, rows);
    std::ofstream(file, std::ios::binary) << text;
    path = file.string();
  }
  return path;
}

}  // namespace mrtbb::bench
