#pragma once

// Deterministic generated inputs for property tests.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace mrtbb::testing {

/// Text of `words` random words from a skewed vocabulary, with runs of mixed whitespace (spaces,
/// tabs, CR LF, form feeds), a few long lines and multibyte UTF-8 words.
inline std::string generated_text(std::uint32_t seed, std::size_t words) {
  static const std::vector<std::string> vocabulary = {"the",
                                                      "and",
                                                      "of",
                                                      "lord",
                                                      "unto",
                                                      "x",
                                                      "zebra",
                                                      "καλημέρα",
                                                      "мир",
                                                      "日本語",
                                                      "naïve",
                                                      "e\xcc\x81",
                                                      "emoji\xf0\x9f\x98\x80",
                                                      "a-b",
                                                      "don't",
                                                      "ok",
                                                      "long_word_with_underscores",
                                                      "q",
                                                      "UPPER",
                                                      "MiXeD"};
  static const std::vector<std::string> separators = {" ",  " ",    " ",    "  ", "\t",
                                                      "\n", "\r\n", "\n\n", "\f", " \v "};
  std::mt19937 rng(seed);
  std::geometric_distribution<std::size_t> pick_word(0.25);
  std::uniform_int_distribution<std::size_t> pick_sep(0, separators.size() - 1);
  std::string text;
  for (std::size_t i = 0; i < words; ++i) {
    text += vocabulary[pick_word(rng) % vocabulary.size()];
    text += separators[pick_sep(rng)];
  }
  return text;
}

/// A fresh, empty directory under the system temp directory, removed when the object dies.
class TempDir {
 public:
  explicit TempDir(const std::string& name) {
    std::random_device entropy;
    path_ = std::filesystem::temp_directory_path() /
            ("mrtbb-" + name + "-" + std::to_string(entropy()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  std::string write(const std::string& relative, const std::string& content) const {
    const auto file = path_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace mrtbb::testing
