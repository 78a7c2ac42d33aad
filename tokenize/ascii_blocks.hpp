#pragma once

// The fast path of the word rules: text is looked at 64 bytes at a time, each byte classified and
// lowercased in SIMD registers, giving bit masks whose runs of ones are the words. Only blocks of
// ASCII take this path; a rule that must decode UTF-8 hands any stretch holding other bytes to its
// scalar code.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <span>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace mrtbb::ascii_blocks {

inline constexpr std::size_t block_size = 64;

/// What one block of 64 bytes holds: bit k describes byte k.
struct BlockMasks {
  std::uint64_t word = 0;       ///< byte belongs to a word
  std::uint64_t spoiling = 0;   ///< byte spoils the token it is in (alpha-tokens: digits, controls)
  std::uint64_t non_ascii = 0;  ///< byte is 0x80 or above
};

constexpr bool is_ascii_space(unsigned char b) noexcept {
  return b == ' ' || (b >= '\t' && b <= '\r');
}

constexpr bool is_ascii_punctuation(unsigned char b) noexcept {
  return (b >= '!' && b <= '/') || (b >= ':' && b <= '@') || (b >= '[' && b <= '`') ||
         (b >= '{' && b <= '~');
}

/// The byte classes of the three rules. `lower` maps a byte to its lowercase form.
struct WhitespaceClasses {
  static constexpr bool decodes_utf8 = false;  // bytes 0x80 and above are word bytes like any other
  static constexpr bool is_word(unsigned char b) noexcept { return !is_ascii_space(b); }
  static constexpr bool is_spoiling(unsigned char) noexcept { return false; }
  static constexpr unsigned char lower(unsigned char b) noexcept {
    return b >= 'A' && b <= 'Z' ? static_cast<unsigned char>(b | 0x20) : b;
  }
};

struct LetterClasses {
  static constexpr bool decodes_utf8 = true;
  static constexpr bool is_letter(unsigned char b) noexcept {
    return static_cast<unsigned char>((b | 0x20) - 'a') < 26;
  }
  static constexpr bool is_word(unsigned char b) noexcept { return is_letter(b); }
  static constexpr bool is_spoiling(unsigned char) noexcept { return false; }
  static constexpr unsigned char lower(unsigned char b) noexcept {
    return is_letter(b) ? static_cast<unsigned char>(b | 0x20) : b;
  }
};

struct AlphaTokenClasses {
  static constexpr bool decodes_utf8 = true;
  static constexpr bool is_separator(unsigned char b) noexcept {
    return is_ascii_space(b) || is_ascii_punctuation(b);
  }
  static constexpr bool is_word(unsigned char b) noexcept { return !is_separator(b); }
  static constexpr bool is_spoiling(unsigned char b) noexcept {
    return b < 0x80 && !is_separator(b) && !LetterClasses::is_letter(b);
  }
  static constexpr unsigned char lower(unsigned char b) noexcept { return LetterClasses::lower(b); }
};

/// The byte classes of `Classes` with every byte kept as it is: the fast path of --keep-case.
template <class Classes>
struct KeepCase : Classes {
  static constexpr unsigned char lower(unsigned char b) noexcept { return b; }
};

#if defined(__SSE2__)

namespace sse2 {

// Bytes in [low, low + count), as an unsigned comparison done with SSE2's signed one.
inline __m128i in_range(__m128i bytes, unsigned char low, unsigned char count) noexcept {
  const __m128i shifted = _mm_add_epi8(bytes, _mm_set1_epi8(static_cast<char>(0x80 - low)));
  return _mm_cmplt_epi8(shifted, _mm_set1_epi8(static_cast<char>(0x80 + count)));
}
inline __m128i equal(__m128i bytes, char c) noexcept {
  return _mm_cmpeq_epi8(bytes, _mm_set1_epi8(c));
}
inline __m128i ascii_space(__m128i b) noexcept {
  return _mm_or_si128(equal(b, ' '), in_range(b, '\t', 5));
}
inline __m128i letter(__m128i b) noexcept {
  return in_range(_mm_or_si128(b, _mm_set1_epi8(0x20)), 'a', 26);
}
inline __m128i set_bit5(__m128i b, __m128i where) noexcept {
  return _mm_or_si128(b, _mm_and_si128(where, _mm_set1_epi8(0x20)));
}

struct Lane {
  __m128i lowered;
  __m128i word;
  __m128i spoiling;
};

inline Lane classify(WhitespaceClasses, __m128i b) noexcept {
  const __m128i upper = in_range(b, 'A', 26);
  return {set_bit5(b, upper), _mm_xor_si128(ascii_space(b), _mm_set1_epi8(-1)),
          _mm_setzero_si128()};
}
inline Lane classify(LetterClasses, __m128i b) noexcept {
  const __m128i letters = letter(b);
  return {set_bit5(b, letters), letters, _mm_setzero_si128()};
}
inline Lane classify(AlphaTokenClasses, __m128i b) noexcept {
  const __m128i letters = letter(b);
  const __m128i punctuation = _mm_or_si128(_mm_or_si128(in_range(b, '!', 15), in_range(b, ':', 7)),
                                           _mm_or_si128(in_range(b, '[', 6), in_range(b, '{', 4)));
  const __m128i separator = _mm_or_si128(ascii_space(b), punctuation);
  const __m128i word = _mm_xor_si128(separator, _mm_set1_epi8(-1));
  // Inside a word, anything ASCII that is not a letter (digits, controls) spoils the token.
  const __m128i ascii = _mm_cmpgt_epi8(b, _mm_set1_epi8(-1));
  const __m128i spoiling = _mm_andnot_si128(letters, _mm_and_si128(word, ascii));
  return {set_bit5(b, letters), word, spoiling};
}

template <class Classes>
Lane classify(KeepCase<Classes>, __m128i b) noexcept {
  Lane lane = classify(Classes{}, b);
  lane.lowered = b;
  return lane;
}

inline std::uint64_t bits(__m128i mask) noexcept {
  return static_cast<std::uint32_t>(_mm_movemask_epi8(mask));
}

}  // namespace sse2

/// Classifies the 64 bytes at `in` and writes their lowercase forms (Classes::lower) to `out`.
template <class Classes>
BlockMasks classify_block(const unsigned char* in, unsigned char* out) noexcept {
  BlockMasks masks;
  for (std::size_t lane = 0; lane < 4; ++lane) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + 16 * lane));
    const sse2::Lane classified = sse2::classify(Classes{}, bytes);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16 * lane), classified.lowered);
    const unsigned shift = static_cast<unsigned>(16 * lane);
    masks.word |= sse2::bits(classified.word) << shift;
    masks.spoiling |= sse2::bits(classified.spoiling) << shift;
    masks.non_ascii |= sse2::bits(bytes) << shift;
  }
  return masks;
}

#else

template <class Classes>
BlockMasks classify_block(const unsigned char* in, unsigned char* out) noexcept {
  BlockMasks masks;
  for (std::size_t k = 0; k < block_size; ++k) {
    const unsigned char b = in[k];
    out[k] = Classes::lower(b);
    masks.word |= std::uint64_t{Classes::is_word(b)} << k;
    masks.spoiling |= std::uint64_t{Classes::is_spoiling(b)} << k;
    masks.non_ascii |= std::uint64_t{b >= 0x80} << k;
  }
  return masks;
}

#endif

/// Bytes that end the text of a block past the end of the input: a separator for every rule.
inline constexpr unsigned char padding = ' ';

/// Where a rule's scalar code, started at `from`, can hand back to the fast path: the first ASCII
/// separator at or after `block_end`, or the end of the text.
template <class Classes>
std::size_t resume_point(std::string_view text, std::size_t block_end) noexcept {
  std::size_t at = block_end < text.size() ? block_end : text.size();
  while (at < text.size()) {
    const auto b = static_cast<unsigned char>(text[at]);
    if (b < 0x80 && !Classes::is_word(b)) break;
    ++at;
  }
  return at;
}

/// The end of the whole blocks from `at` on that each hold a byte 0x80 or above (`at` itself when
/// the block there is all ASCII or runs past the end of the text).
inline std::size_t non_ascii_blocks_end(std::string_view text, std::size_t at) noexcept {
  constexpr std::uint64_t high_bits = 0x8080808080808080;
  while (at + block_size <= text.size()) {
    std::uint64_t any = 0;
    for (std::size_t k = 0; k < block_size; k += sizeof any) {
      std::uint64_t eight;
      std::memcpy(&eight, text.data() + at + k, sizeof eight);
      any |= eight;
    }
    if ((any & high_bits) == 0) break;
    at += block_size;
  }
  return at;
}

/// Finds the words of `text` block by block. Words are passed to `sink.padded_batch` as views into
/// `lowered`, which must hold text.size() + block_size bytes (so at least 16 bytes are readable
/// after the end of every word, as CountTable::add_padded asks). When a rule that decodes UTF-8
/// meets a block holding a non-ASCII byte, `non_ascii(from, block_end)` is called with the start of
/// the word in progress (or of the block) and must map the text from there on its own, returning
/// where the fast path can go on: a position at or after block_end where no word is in progress.
template <class Classes, class Sink, class NonAscii>
void scan(std::string_view text, unsigned char* lowered, Sink& sink, NonAscii&& non_ascii) {
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t base = 0;
  std::size_t word_start = 0;
  bool in_word = false;
  bool spoiled = false;
  unsigned char tail[block_size];
  // Words wait here and go to the sink in batches, so that their table lookups can overlap.
  std::string_view pending[2 * block_size];
  std::size_t pending_count = 0;
  const auto flush = [&] {
    sink.padded_batch(std::span<const std::string_view>(pending, pending_count));
    pending_count = 0;
  };
  while (base < size) {
    const unsigned char* block = in + base;
    const std::size_t available = size - base;
    if (available < block_size) {
      std::memcpy(tail, block, available);
      std::memset(tail + available, padding, block_size - available);
      block = tail;
    }
    const BlockMasks masks = classify_block<Classes>(block, lowered + base);
    if constexpr (Classes::decodes_utf8) {
      if (masks.non_ascii != 0) {
        flush();
        base = non_ascii(in_word ? word_start : base, base + block_size);
        in_word = false;
        continue;
      }
    }
    std::size_t at = 0;  // the next bit of this block to look at
    while (at < block_size) {
      if (!in_word) {
        const std::uint64_t ahead = masks.word >> at;
        if (ahead == 0) break;
        at += static_cast<std::size_t>(std::countr_zero(ahead));
        word_start = base + at;
        in_word = true;
        spoiled = false;
      }
      const std::uint64_t rest = ~masks.word >> at;
      const std::size_t end = rest == 0 ? block_size : at + std::countr_zero(rest);
      if (masks.spoiling != 0) {
        const std::uint64_t span =
            (end - at == block_size ? ~std::uint64_t{0} : ((std::uint64_t{1} << (end - at)) - 1))
            << at;
        spoiled = spoiled || (masks.spoiling & span) != 0;
      }
      if (end == block_size) break;  // the word goes on into the next block
      if (!spoiled) {
        pending[pending_count++] = std::string_view(
            reinterpret_cast<const char*>(lowered) + word_start, base + end - word_start);
      }
      in_word = false;
      at = end;
    }
    base += block_size;
    // A block ends at most block_size / 2 words: keep room for the next block's.
    if (pending_count > std::size(pending) - block_size / 2) flush();
  }
  if (in_word && !spoiled) {
    pending[pending_count++] =
        std::string_view(reinterpret_cast<const char*>(lowered) + word_start, size - word_start);
  }
  flush();
}

}  // namespace mrtbb::ascii_blocks

namespace mrtbb::ascii_blocks {

/// The same for a rule whose fast path takes every byte.
template <class Classes, class Sink>
requires(!Classes::decodes_utf8) void scan(std::string_view text, unsigned char* lowered,
                                           Sink& sink) {
  scan<Classes>(text, lowered, sink, [](std::size_t, std::size_t block_end) { return block_end; });
}

}  // namespace mrtbb::ascii_blocks
