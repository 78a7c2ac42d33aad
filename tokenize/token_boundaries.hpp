#pragma once

// Where a word rule lets the reader end a chunk inside a line. The rules look at the text one unit
// at a time (a code point, or a byte for a rule that does not decode UTF-8) and give each unit a
// role; whether a cut is safe depends only on the units on either side of it. Units are found
// from a few bytes around the cut, never by decoding the text from its start: a byte that is not a
// continuation byte (0x80-0xBF) always starts a code point, and a decoded sequence is at most four
// bytes long.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "mrtbb/tokenize/utf8.hpp"

namespace mrtbb::token_boundaries {

/// What a unit of text is to a word rule.
enum class Role : std::uint8_t {
  word,       ///< part of a word
  separator,  ///< between words
  spoiler,    ///< part of a token that it spoils: the whole token is dropped (alpha-tokens)
};

/// A cut between two units changes no word when either of them separates words, or when both spoil
/// the token they are in: both halves are then dropped, as the whole token is. A cut right after a
/// spoiler and before a word unit is not safe ("aaa\0bbb" cut after the NUL would keep "bbb").
constexpr bool cut_is_safe(Role before, Role after) noexcept {
  return before == Role::separator || after == Role::separator ||
         (before == Role::spoiler && after == Role::spoiler);
}

/// Bytes past a position that can decide the unit there: a unit judged unsafe to cut around in a
/// shorter text may become safe once this many more bytes follow it.
inline constexpr std::size_t lookahead = 4;

struct Unit {
  char32_t value;  ///< the code point, or the byte for a rule that does not decode
  std::size_t length;
};

/// The unit that starts at `at`, a unit boundary before text.size(); nullopt when the bytes after
/// it, not read yet, could still change it (a sequence cut short by the end of the text).
template <class Rule>
std::optional<Unit> unit_at(std::string_view text, std::size_t at) noexcept {
  const auto lead = static_cast<unsigned char>(text[at]);
  if constexpr (!Rule::decodes_utf8) {
    return Unit{lead, 1};
  } else {
    const utf8::Decoded decoded = utf8::decode(text, at);
    const bool settled =
        at + decoded.length < text.size() || decoded.length == utf8::sequence_length(lead);
    if (!settled) return std::nullopt;
    return Unit{decoded.code_point, decoded.length};
  }
}

/// The unit that ends exactly at `at` (0 < at <= text.size()), given that the text starts at a unit
/// boundary; nullopt when `at` is inside a unit, or the unit could still change.
template <class Rule>
std::optional<char32_t> unit_before(std::string_view text, std::size_t at) noexcept {
  const auto last = static_cast<unsigned char>(text[at - 1]);
  if (!Rule::decodes_utf8 || last < 0x80) return last;
  // Decode from the nearest byte that starts a code point. None among the four bytes before `at`
  // means that the last byte is a stray continuation byte: a sequence starting further back would
  // have ended before it.
  std::size_t start = at - 1;
  const std::size_t earliest = at >= 4 ? at - 4 : 0;
  while (start > earliest && utf8::is_continuation(static_cast<unsigned char>(text[start])))
    --start;
  if (start > 0 && utf8::is_continuation(static_cast<unsigned char>(text[start]))) {
    return utf8::replacement_character;
  }
  while (start < at) {
    const std::optional<Unit> unit = unit_at<Rule>(text, start);
    if (!unit || start + unit->length > at) return std::nullopt;
    start += unit->length;
    if (start == at) return unit->value;
  }
  return std::nullopt;
}

/// The last cut in [max(lowest, 1), text.size()] that the rule allows, or 0 for none. A cut at the
/// end of the text is allowed only after a separator: what follows is not read yet.
template <class Rule>
std::size_t last_safe_cut(std::string_view text, std::size_t lowest) noexcept {
  const std::size_t stop = std::max<std::size_t>(lowest, 1);
  for (std::size_t at = text.size(); at >= stop; --at) {
    const std::optional<char32_t> before = unit_before<Rule>(text, at);
    if (!before) continue;
    const Role role_before = Rule::role(*before);
    if (role_before == Role::separator) return at;
    if (at == text.size()) continue;
    const std::optional<Unit> after = unit_at<Rule>(text, at);
    if (after && cut_is_safe(role_before, Rule::role(after->value))) return at;
  }
  return 0;
}

/// Where the leading whitespace of a line's piece ends, by the rule's notion of whitespace.
/// `settled` is false when the text may go on with more of it: it ends in whitespace, or in a
/// sequence cut short that could still become whitespace.
struct LeadingSpace {
  std::size_t end;
  bool settled;
};

template <class Rule>
LeadingSpace leading_space(std::string_view text) noexcept {
  std::size_t at = 0;
  while (at < text.size()) {
    const std::optional<Unit> unit = unit_at<Rule>(text, at);
    if (!unit) return {at, false};
    if (!Rule::is_leading_space(unit->value)) return {at, true};
    at += unit->length;
  }
  return {at, false};
}

}  // namespace mrtbb::token_boundaries
