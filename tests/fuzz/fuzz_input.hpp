#pragma once

// Reads a fuzzer's bytes as the settings of a run followed by its text, so that one input always
// means the same run and the fuzzer can mutate both.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "mrtbb/tokenize/tokenizers.hpp"
#include "support/reference_tokenizer.hpp"

namespace mrtbb::fuzzing {

class FuzzInput {
 public:
  FuzzInput(const std::uint8_t* data, std::size_t size)
      : bytes_(reinterpret_cast<const char*>(data), size) {}

  /// A number in [low, high] from the next byte (low when the input is used up).
  std::size_t number(std::size_t low, std::size_t high) {
    if (bytes_.empty()) return low;
    const auto byte = static_cast<unsigned char>(bytes_.front());
    bytes_.remove_prefix(1);
    return low + byte % (high - low + 1);
  }

  /// The next `length` bytes (fewer at the end), never a line feed: a line-start prefix that holds
  /// one could only match across lines, which no rule does.
  std::string line_text(std::size_t length) {
    std::string text(bytes_.substr(0, length));
    bytes_.remove_prefix(text.size());
    for (char& c : text) {
      if (c == '\n') c = ' ';
    }
    return text;
  }

  mrtbb::testing::Rule rule() {
    switch (number(0, 2)) {
      case 0:
        return mrtbb::testing::Rule::letters;
      case 1:
        return mrtbb::testing::Rule::alpha_tokens;
      default:
        return mrtbb::testing::Rule::whitespace;
    }
  }

  /// A skip prefix (often none), then stop words (often none), as the run's rule options.
  mrtbb::testing::RuleOptions rule_options() {
    mrtbb::testing::RuleOptions options;
    const std::size_t prefix_length = number(0, 15);
    if (prefix_length <= 10) options.skip_prefix = line_text(prefix_length);
    for (std::size_t i = number(0, 2); i > 0; --i)
      options.stop_words.push_back(line_text(number(1, 4)));
    return options;
  }

  /// The library's tokenizer for the rule and options the reference applies.
  static mrtbb::TokenizerOptions tokenizer_options(mrtbb::testing::Rule rule,
                                                   const mrtbb::testing::RuleOptions& options) {
    const TokenizerKind kind = rule == mrtbb::testing::Rule::letters ? TokenizerKind::letters
                               : rule == mrtbb::testing::Rule::alpha_tokens
                                   ? TokenizerKind::alpha_tokens
                                   : TokenizerKind::whitespace;
    return {kind, options.skip_prefix, options.stop_words};
  }

  /// What is left: the text.
  std::string_view rest() const noexcept { return bytes_; }

 private:
  std::string_view bytes_;
};

}  // namespace mrtbb::fuzzing
