#pragma once

// An independent, deliberately plain word counter for the three wordcount rules: the whole text is
// decoded to code points first, then split line by line. Only Unicode data (categories, lowercase
// mappings) comes from utf8proc; none of the library's tokenizing code is used.

#include <utf8proc.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace mrtbb::testing {

enum class Rule { letters, alpha_tokens, whitespace };

struct RuleOptions {
  std::string skip_prefix = {};
  std::vector<std::string> stop_words = {};
  bool keep_case = false;
};

// Table 3-7 of the Unicode Standard: the allowed range of each byte after a lead byte.
struct Row {
  unsigned char lead_low, lead_high;
  std::vector<std::pair<unsigned char, unsigned char>> trail;
};

inline const std::vector<Row>& well_formed_rows() {
  static const std::vector<Row> rows = {
      {0xC2, 0xDF, {{0x80, 0xBF}}},
      {0xE0, 0xE0, {{0xA0, 0xBF}, {0x80, 0xBF}}},
      {0xE1, 0xEC, {{0x80, 0xBF}, {0x80, 0xBF}}},
      {0xED, 0xED, {{0x80, 0x9F}, {0x80, 0xBF}}},
      {0xEE, 0xEF, {{0x80, 0xBF}, {0x80, 0xBF}}},
      {0xF0, 0xF0, {{0x90, 0xBF}, {0x80, 0xBF}, {0x80, 0xBF}}},
      {0xF1, 0xF3, {{0x80, 0xBF}, {0x80, 0xBF}, {0x80, 0xBF}}},
      {0xF4, 0xF4, {{0x80, 0x8F}, {0x80, 0xBF}, {0x80, 0xBF}}},
  };
  return rows;
}

inline std::vector<char32_t> decode_all(const std::string& text) {
  std::vector<char32_t> out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      out.push_back(lead);
      ++i;
      continue;
    }
    const Row* row = nullptr;
    for (const auto& r : well_formed_rows()) {
      if (lead >= r.lead_low && lead <= r.lead_high) row = &r;
    }
    if (row == nullptr) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    std::size_t matched = 0;
    while (matched < row->trail.size() && i + 1 + matched < text.size()) {
      const auto b = static_cast<unsigned char>(text[i + 1 + matched]);
      if (b < row->trail[matched].first || b > row->trail[matched].second) break;
      ++matched;
    }
    if (matched < row->trail.size()) {
      out.push_back(0xFFFD);
      i += 1 + matched;
      continue;
    }
    const std::size_t length = 1 + row->trail.size();
    char32_t cp = lead & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07);
    for (std::size_t k = 1; k < length; ++k)
      cp = (cp << 6) | (text[i + k] & 0x3F);
    out.push_back(cp);
    i += length;
  }
  return out;
}

inline std::string encode(const std::vector<char32_t>& cps) {
  std::string out;
  for (char32_t cp : cps) {
    utf8proc_uint8_t buffer[4];
    const auto n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buffer);
    out.append(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(n));
  }
  return out;
}

inline int category(char32_t cp) {
  return utf8proc_category(static_cast<utf8proc_int32_t>(cp));
}
inline bool letter(char32_t cp) {
  return category(cp) >= 1 && category(cp) <= 5;
}
inline bool letter_or_mark(char32_t cp) {
  return category(cp) >= 1 && category(cp) <= 8;
}
inline char32_t lower(char32_t cp) {
  return static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(cp)));
}
inline bool white_space(char32_t cp) {
  static const std::set<char32_t> list = {0x09,   0x0A,   0x0B,   0x0C,   0x0D,   0x20,   0x85,
                                          0xA0,   0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
                                          0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x2028,
                                          0x2029, 0x202F, 0x205F, 0x3000};
  return list.count(cp) > 0;
}
inline bool six_ascii_spaces(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

inline std::string lowercase_for(Rule rule, const std::string& word) {
  if (rule == Rule::whitespace) {
    std::string out = word;
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
  }
  std::vector<char32_t> cps = decode_all(word);
  for (char32_t& cp : cps)
    cp = lower(cp);
  return encode(cps);
}

inline std::vector<std::string> words_of_line(Rule rule, const std::string& line,
                                              bool keep_case = false) {
  std::vector<std::string> words;
  if (rule == Rule::whitespace) {
    std::string word;
    for (char c : line + " ") {
      if (six_ascii_spaces(c)) {
        if (!word.empty()) words.push_back(keep_case ? word : lowercase_for(rule, word));
        word.clear();
      } else {
        word += c;
      }
    }
    return words;
  }
  std::vector<char32_t> cps = decode_all(line);
  cps.push_back(' ');
  std::vector<char32_t> word;
  bool keep = true;
  for (char32_t cp : cps) {
    bool separates;
    if (rule == Rule::letters) {
      separates = !letter_or_mark(cp);
    } else {
      const bool punctuation =
          cp < 0x80 &&
          std::string("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~").find(static_cast<char>(cp)) !=
              std::string::npos;
      separates = punctuation || white_space(cp);
      if (!separates && !letter(cp)) keep = false;
    }
    if (separates) {
      if (!word.empty() && keep) {
        for (char32_t& c : word)
          c = keep_case ? c : lower(c);
        words.push_back(encode(word));
      }
      word.clear();
      keep = true;
    } else {
      word.push_back(cp);
    }
  }
  return words;
}

inline bool line_skipped(Rule rule, const std::string& line, const std::string& prefix) {
  if (prefix.empty()) return false;
  std::size_t start = 0;
  if (rule == Rule::whitespace) {
    while (start < line.size() && six_ascii_spaces(line[start]))
      ++start;
    return line.compare(start, prefix.size(), prefix) == 0;
  }
  const std::vector<char32_t> cps = decode_all(line);
  std::size_t skipped = 0;
  while (skipped < cps.size() && white_space(cps[skipped]))
    ++skipped;
  // Leading whitespace is valid UTF-8, so its encoded length is exact.
  const std::string rest =
      line.substr(encode(std::vector<char32_t>(cps.begin(), cps.begin() + skipped)).size());
  return rest.compare(0, prefix.size(), prefix) == 0;
}

// The words of `text` in order, as the rule and options keep them.
inline std::vector<std::string> reference_words(Rule rule, const std::string& text,
                                                const RuleOptions& options = {}) {
  std::set<std::string> stop;
  for (const auto& w : options.stop_words)
    stop.insert(options.keep_case ? w : lowercase_for(rule, w));
  std::vector<std::string> words;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    end = end == std::string::npos ? text.size() : end + 1;
    const std::string line = text.substr(begin, end - begin);
    begin = end;
    if (line_skipped(rule, line, options.skip_prefix)) continue;
    for (auto& word : words_of_line(rule, line, options.keep_case)) {
      if (!stop.count(word)) words.push_back(std::move(word));
    }
  }
  return words;
}

inline std::map<std::string, std::uint64_t> reference_word_counts(
    Rule rule, const std::vector<std::string>& texts, const RuleOptions& options = {}) {
  std::map<std::string, std::uint64_t> counts;
  for (const auto& text : texts) {
    for (const auto& word : reference_words(rule, text, options))
      ++counts[word];
  }
  return counts;
}

}  // namespace mrtbb::testing
