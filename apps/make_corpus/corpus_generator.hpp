#pragma once

// Generated text for benchmarks and the comparison script: words drawn with Zipf frequencies from a
// vocabulary of chosen size, in one or several scripts, as one file, one huge line, or many small
// files; or TSV records of a Zipf-distributed key and an integer value. Output depends only on the
// spec (seed included), never on the machine.

#include <charconv>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>

#include "mrtbb/tokenize/utf8.hpp"

namespace mrtbb::corpus {

struct CorpusSpec {
  std::uint64_t bytes = 64 << 20;    ///< size of the text (of each file's text: see file sizes)
  std::uint64_t vocabulary = 50000;  ///< distinct words to draw from
  double zipf_exponent = 1.0;        ///< frequency of the word of rank r is proportional to r^-s
  bool multi_script = false;         ///< words in Latin, Greek, Cyrillic, Devanagari and CJK
  bool one_line = false;             ///< no line breaks at all
  std::uint32_t seed = 1;
};

/// Draws word ranks (0 = most frequent) from the continuous approximation of Zipf's law, inverted
/// in O(1) per draw, so that vocabularies of millions cost no table.
class ZipfRanks {
 public:
  ZipfRanks(std::uint64_t vocabulary, double exponent) : n_(double(vocabulary)), s_(exponent) {}

  template <class Rng>
  std::uint64_t operator()(Rng& rng) {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    double x;
    if (std::abs(s_ - 1.0) < 1e-9) {
      x = std::exp(u * std::log(n_ + 1));
    } else {
      const double a = 1 - s_;
      x = std::pow(u * (std::pow(n_ + 1, a) - 1) + 1, 1 / a);
    }
    const auto rank = static_cast<std::uint64_t>(x) - 1;
    return rank < static_cast<std::uint64_t>(n_) ? rank : static_cast<std::uint64_t>(n_) - 1;
  }

 private:
  double n_;
  double s_;
};

namespace detail {

struct Script {
  char32_t first;    ///< first lowercase letter
  unsigned letters;  ///< letters in a row from `first`
  int upper_offset;  ///< added to a letter to capitalise it; 0 where the script has no case
};

inline constexpr Script scripts[] = {
    {U'a', 26, -32},       // Latin
    {U'\u03b1', 17, -32},  // Greek alpha..rho (no final sigma in the run)
    {U'\u0430', 32, -32},  // Cyrillic
    {U'\u0915', 37, 0},    // Devanagari consonants
    {U'\u4e00', 2000, 0},  // CJK unified ideographs
};

}  // namespace detail

/// The word of a rank: the rank written in bijective base-k over a script's letters, starting at
/// three letters, so that every rank has its own word, frequent words are short, and the average
/// token (about 4.5 bytes with its separator on the default settings) is near that of English text.
inline void append_word(std::string& out, std::uint64_t rank, bool multi_script, bool capital) {
  const auto& script = detail::scripts[multi_script ? rank % 5 : 0];
  const std::uint64_t letters = script.letters;
  std::uint64_t n = (multi_script ? rank / 5 : rank) + 1 + letters + letters * letters;
  char32_t digits[32];
  int count = 0;
  while (n > 0) {
    --n;
    digits[count++] = script.first + static_cast<char32_t>(n % script.letters);
    n /= script.letters;
  }
  for (int i = count - 1; i >= 0; --i) {
    const bool first = i == count - 1;
    mrtbb::utf8::append(
        out, first && capital ? digits[i] + static_cast<char32_t>(script.upper_offset) : digits[i]);
  }
}

/// Text of about spec.bytes bytes (it ends after the word that reaches the size, then a newline).
/// Words are separated by spaces, one in ten followed by punctuation, one in ten capitalised, and
/// lines hold 12 words unless spec.one_line.
class TextGenerator {
 public:
  explicit TextGenerator(const CorpusSpec& spec)
      : spec_(spec), rng_(spec.seed), ranks_(spec.vocabulary, spec.zipf_exponent) {}

  /// Appends the next `bytes` bytes (or a little more) of text to `out`.
  void append(std::string& out, std::uint64_t bytes) {
    const std::size_t target = out.size() + bytes;
    while (out.size() < target) {
      const std::uint64_t dice = rng_();
      append_word(out, ranks_(rng_), spec_.multi_script, dice % 10 == 0);
      if (dice % 100 / 10 == 0) out += ",.;:!?"[dice % 1000 / 100 % 6];
      out += !spec_.one_line && ++on_line_ % 12 == 0 ? '\n' : ' ';
    }
    if (!spec_.one_line) out += '\n';
  }

 private:
  CorpusSpec spec_;
  std::mt19937_64 rng_;
  ZipfRanks ranks_;
  std::uint64_t on_line_ = 0;
};

struct RecordSpec {
  std::uint64_t rows = 1000000;
  std::uint64_t keys = 100000;  ///< distinct keys to draw from
  double zipf_exponent = 1.0;   ///< frequency of the key of rank r is proportional to r^-s
  bool multi_script = false;    ///< keys in Latin, Greek, Cyrillic, Devanagari and CJK letters
  std::uint32_t seed = 1;
};

/// Records for group-by benchmarks: `key<TAB>value<LF>`, keys drawn like the words of
/// TextGenerator, values decimal integers (`-?[0-9]+`, no leading zeros), half of them negative,
/// seven in eight within +-10^12 (so that the sum of a frequent key needs far more than 32 bits)
/// and one in eight within +-999 (short values and zeros, as real data has).
class RecordGenerator {
 public:
  explicit RecordGenerator(const RecordSpec& spec)
      : spec_(spec), rng_(spec.seed), ranks_(spec.keys, spec.zipf_exponent) {}

  /// Appends the next `rows` records to `out`.
  void append(std::string& out, std::uint64_t rows) {
    for (std::uint64_t row = 0; row < rows; ++row) {
      append_word(out, ranks_(rng_), spec_.multi_script, false);
      out += '\t';
      const std::uint64_t dice = rng_();
      const std::uint64_t bound = dice % 8 == 0 ? 1000 : 1000000000000;
      auto value = static_cast<std::int64_t>(rng_() % bound);
      if (dice / 8 % 2 == 0) value = -value;
      char digits[24];
      out.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
      out += '\n';
    }
  }

 private:
  RecordSpec spec_;
  std::mt19937_64 rng_;
  ZipfRanks ranks_;
};

}  // namespace mrtbb::corpus
