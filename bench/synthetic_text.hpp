#pragma once

// Deterministic Zipf-distributed text for benchmarks, written once to a temporary file.

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace mrtbb::bench {

/// `bytes` of text: words drawn with Zipf(1) frequencies from a vocabulary of `vocabulary` words.
inline std::string zipf_text(std::size_t bytes, std::size_t vocabulary, std::uint32_t seed = 1) {
  std::vector<double> cumulative(vocabulary);
  double sum = 0;
  for (std::size_t i = 0; i < vocabulary; ++i)
    cumulative[i] = sum += 1.0 / double(i + 1);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(0, sum);
  std::string text;
  text.reserve(bytes + 64);
  std::size_t on_line = 0;
  while (text.size() < bytes) {
    const auto rank =
        std::lower_bound(cumulative.begin(), cumulative.end(), uniform(rng)) - cumulative.begin();
    text += "w" + std::to_string(rank);
    text += ++on_line % 12 == 0 ? '\n' : ' ';
  }
  return text;
}

/// A file holding zipf_text(bytes, vocabulary), created on first use and kept for the process.
inline const std::string& zipf_file(std::size_t bytes, std::size_t vocabulary) {
  static const std::string path = [&] {
    const auto file = std::filesystem::temp_directory_path() /
                      ("mrtbb-bench-" + std::to_string(bytes) + "-" + std::to_string(vocabulary));
    std::ofstream(file, std::ios::binary) << zipf_text(bytes, vocabulary);
    return file.string();
  }();
  return path;
}

}  // namespace mrtbb::bench
