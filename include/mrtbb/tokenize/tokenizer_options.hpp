#pragma once

#include <string>
#include <vector>

namespace mrtbb {

/// The word rules of the wordcount command. Input is UTF-8; ill-formed bytes decode to U+FFFD.
enum class TokenizerKind {
  /// A word is a maximal run of letters and marks (general categories L* and M*), lowercased by
  /// each code point's simple lowercase mapping.
  letters,
  /// The seed's rule: ASCII punctuation becomes a space, text splits on Unicode White_Space, tokens
  /// are lowercased, and a token is kept only if every code point in it is a letter (L*).
  alpha_tokens,
  /// The countwords benchmark's rule: a word is a maximal run of bytes other than the six ASCII
  /// whitespace bytes; only A-Z are lowercased.
  whitespace,
};

struct TokenizerOptions {
  TokenizerKind kind = TokenizerKind::letters;
  /// When not empty, every line whose text after leading whitespace starts with this is skipped.
  std::string skip_prefix = {};
  /// Words to leave out, lowercased by the rule's own lowercasing before they are compared (with
  /// keep_case, compared as they are written: a stop word leaves out only that spelling).
  std::vector<std::string> stop_words = {};
  /// Words keep the case they are written in: no lowercasing, for every rule. Where words split
  /// is the same either way.
  bool keep_case = false;
};

}  // namespace mrtbb
