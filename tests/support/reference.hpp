#pragma once

// Plain sequential reference implementations that the parallel engine is checked against. They are
// written independently of the library, as simply as possible.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mrtbb::testing {

inline bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/// Splits on the six ASCII whitespace bytes.
inline std::vector<std::string> split_blanks(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    if (is_blank(c)) {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

/// Word counts ordered by count descending, then word ascending (as unsigned bytes).
inline std::vector<std::pair<std::string, std::uint64_t>> ordered_counts(
    const std::map<std::string, std::uint64_t>& counts) {
  std::vector<std::pair<std::string, std::uint64_t>> out(counts.begin(), counts.end());
  // std::map already orders words by bytes; a stable sort by count keeps that order among ties.
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

/// A record as a record job's map function sees it.
struct Line {
  std::size_t input = 0;
  std::string path;
  std::uint64_t line = 0;  // from 1 in each input
  std::string text;
  friend bool operator==(const Line&, const Line&) = default;
};

/// Appends the lines of one input: a CR right before an LF is not part of the line, an LF that
/// ends the input starts no further line, and an empty input has none.
inline void append_lines(std::vector<Line>& lines, std::size_t input, const std::string& path,
                         std::string_view text) {
  std::size_t start = 0;
  for (std::uint64_t number = 1; start < text.size(); ++number) {
    const std::size_t lf = std::min(text.find('\n', start), text.size());
    std::size_t end = lf;
    if (lf < text.size() && end > start && text[end - 1] == '\r') --end;
    lines.push_back({input, path, number, std::string(text.substr(start, end - start))});
    start = lf + 1;
  }
}

}  // namespace mrtbb::testing
