#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "mrtbb/pipeline/text_job.hpp"
#include "mrtbb/tokenize/tokenizer_options.hpp"
#include "mrtbb/tokenize/words.hpp"

namespace mrtbb {

/// A map function for run_text_job that applies the rule and the options.
TextMapper make_tokenizer(const TokenizerOptions& options);

/// "letters", "alpha-tokens" or "whitespace"; nullopt for anything else.
std::optional<TokenizerKind> parse_tokenizer_kind(std::string_view name);
std::string_view tokenizer_name(TokenizerKind kind);

/// Lowercases `word` as the rule does (for stop words and user input).
std::string lowercase_like(TokenizerKind kind, std::string_view word);

}  // namespace mrtbb
