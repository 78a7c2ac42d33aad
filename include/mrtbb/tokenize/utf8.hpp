#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mrtbb::utf8 {

inline constexpr char32_t replacement_character = 0xFFFD;

struct Decoded {
  char32_t code_point;  ///< replacement_character for an ill-formed sequence
  std::size_t length;   ///< bytes consumed, at least 1
};

/// The length of the sequence that `lead` starts when it is well formed: 2 to 4 for a lead byte, 1
/// for ASCII and for every byte that cannot start a sequence (that byte alone decodes to U+FFFD).
constexpr std::size_t sequence_length(unsigned char lead) noexcept {
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 1;
}

/// True for the bytes 0x80-0xBF, which can only continue a sequence: every other byte starts a
/// code point wherever it stands.
constexpr bool is_continuation(unsigned char byte) noexcept {
  return (byte & 0xC0) == 0x80;
}

/// Decodes the code point starting at text[at] (at < text.size()). An ill-formed sequence becomes
/// U+FFFD and consumes only its maximal well-formed prefix (at least one byte), the Unicode
/// "substitution of maximal subparts": the byte that broke it starts the next code point, so a
/// valid character after a broken sequence is never swallowed. Overlong forms, surrogates and
/// values above U+10FFFF are ill-formed.
inline Decoded decode(std::string_view text, std::size_t at) noexcept {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  if (lead < 0x80) return {lead, 1};
  std::size_t need;
  char32_t cp;
  unsigned char low = 0x80;  // the allowed range of the first continuation byte
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    need = 1, cp = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    need = 2, cp = lead & 0x0Fu;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    need = 3, cp = lead & 0x07u;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return {replacement_character, 1};
  }
  std::size_t length = 1;
  for (; length <= need; ++length) {
    if (at + length >= text.size()) return {replacement_character, length};
    const unsigned char next = byte(at + length);
    const bool ok = length == 1 ? next >= low && next <= high : next >= 0x80 && next <= 0xBF;
    if (!ok) return {replacement_character, length};
    cp = (cp << 6) | (next & 0x3Fu);
  }
  return {cp, length};
}

/// Appends the UTF-8 encoding of a valid code point.
inline void append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace mrtbb::utf8
