#include "mrtbb/tokenize/tokenizers.hpp"

#include <utf8proc.h>

#include <boost/unordered/unordered_flat_set.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include "mrtbb/core/hashing.hpp"
#include "mrtbb/tokenize/utf8.hpp"
#include "tokenize/ascii_blocks.hpp"
#include "tokenize/token_boundaries.hpp"
#include "tokenize/unicode_table.hpp"

namespace mrtbb {

namespace {

using StopWords = boost::unordered_flat_set<std::string, StringHash, StringEqual>;

using ascii_blocks::is_ascii_space;
using token_boundaries::Role;

bool is_letter(char32_t cp) noexcept {
  const auto category = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_LO;
}

bool is_letter_or_mark(char32_t cp) noexcept {
  const auto category = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_ME;
}

char32_t simple_lowercase(char32_t cp) noexcept {
  return static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(cp)));
}

// Byte classes of the ASCII fast paths.
enum AsciiClass : std::uint8_t { separator, lower_letter, upper_letter, other };

// The UTF-8 paths' table of the same ASCII classes the fast path uses (ascii_blocks.hpp). For
// `letters`, anything but A-Z and a-z separates words. For `alpha-tokens`, whitespace and
// punctuation separate tokens, and digits and control bytes spoil the token they are in.
template <class Classes>
constexpr std::array<AsciiClass, 128> ascii_classes() {
  std::array<AsciiClass, 128> classes{};
  for (unsigned b = 0; b < 128; ++b) {
    const auto byte = static_cast<unsigned char>(b);
    if (ascii_blocks::LetterClasses::is_letter(byte)) {
      classes[b] = b >= 'a' ? lower_letter : upper_letter;
    } else if (!Classes::is_word(byte)) {
      classes[b] = separator;
    } else {
      classes[b] = other;
    }
  }
  return classes;
}

// Builds one word at a time: a view into the text while it needs no change, a lowercased copy in
// `scratch` from the first character that does.
class WordBuilder {
 public:
  WordBuilder(std::string_view text, std::string& scratch) : text_(text), scratch_(scratch) {}

  bool in_word() const noexcept { return in_word_; }

  void start(std::size_t at) noexcept {
    in_word_ = true;
    start_ = at;
    copied_ = false;
  }

  // The character at [at, at + length) stays as it is.
  void keep(std::size_t at, std::size_t length) {
    if (copied_) scratch_.append(text_.data() + at, length);
  }

  // The character at `at` is replaced by the code point `lower`.
  void replace(std::size_t at, char32_t lower) {
    if (!copied_) {
      scratch_.assign(text_.data() + start_, at - start_);
      copied_ = true;
    }
    utf8::append(scratch_, lower);
  }

  std::string_view finish(std::size_t end) noexcept {
    in_word_ = false;
    return copied_ ? std::string_view(scratch_) : text_.substr(start_, end - start_);
  }

 private:
  std::string_view text_;
  std::string& scratch_;
  std::size_t start_ = 0;
  bool in_word_ = false;
  bool copied_ = false;
};

// Per-thread buffers of the rules: the lowercased copy that the fast path's words point into, and
// the word that the UTF-8 path is building.
struct Scratch {
  std::vector<unsigned char> lowered;
  std::string word;
};

unsigned char* lowered_buffer(Scratch& scratch, std::size_t text_size) {
  if (scratch.lowered.size() < text_size + ascii_blocks::block_size) {
    scratch.lowered.resize(text_size + ascii_blocks::block_size);
  }
  return scratch.lowered.data();
}

// A code point and its facts, decoding the common cases inline (two- and three-byte sequences:
// Cyrillic, Greek, Hebrew, Arabic, CJK...), the rest through utf8::decode. `text` ends where the
// stretch being scanned ends.
struct DecodedFacts {
  char32_t code_point;
  std::size_t length;
  unicode_table::Info info;
};

[[gnu::always_inline]] inline DecodedFacts decode_with_facts(const unicode_table::BmpTable& table,
                                                             std::string_view text,
                                                             std::size_t at) noexcept {
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned char lead = in[at];
  if (lead >= 0xC2 && lead <= 0xDF && at + 1 < text.size() && utf8::is_continuation(in[at + 1])) {
    const auto cp = static_cast<char32_t>(((lead & 0x1Fu) << 6) | (in[at + 1] & 0x3Fu));
    return {cp, 2, table.two_byte(cp)};
  }
  if (lead >= 0xE0 && lead <= 0xEF && at + 2 < text.size()) {
    const unsigned char second = in[at + 1];
    const unsigned char low = lead == 0xE0 ? 0xA0 : 0x80;   // overlong
    const unsigned char high = lead == 0xED ? 0x9F : 0xBF;  // surrogates
    if (second >= low && second <= high && utf8::is_continuation(in[at + 2])) {
      const auto cp = static_cast<char32_t>(((lead & 0x0Fu) << 12) | ((second & 0x3Fu) << 6) |
                                            (in[at + 2] & 0x3Fu));
      return {cp, 3, table(cp)};
    }
  }
  const auto [cp, length] = utf8::decode(text, at);
  return {cp, length, unicode_table::info(table, cp)};
}

// Writes the UTF-8 form of `cp`, `length` bytes long.
inline void encode_in_place(unsigned char* out, char32_t cp, std::size_t length) noexcept {
  switch (length) {
    case 2:
      out[0] = static_cast<unsigned char>(0xC0 | (cp >> 6));
      out[1] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
      break;
    case 3:
      out[0] = static_cast<unsigned char>(0xE0 | (cp >> 12));
      out[1] = static_cast<unsigned char>(0x80 | ((cp >> 6) & 0x3F));
      out[2] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
      break;
    default:
      out[0] = static_cast<unsigned char>(0xF0 | (cp >> 18));
      out[1] = static_cast<unsigned char>(0x80 | ((cp >> 12) & 0x3F));
      out[2] = static_cast<unsigned char>(0x80 | ((cp >> 6) & 0x3F));
      out[3] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
      break;
  }
}

// The length of the run of ones in `mask` from bit `at` on.
inline std::size_t run_length(std::uint64_t mask, std::size_t at) noexcept {
  const std::uint64_t rest = ~mask >> at;
  return rest == 0 ? ascii_blocks::block_size - at
                   : static_cast<std::size_t>(std::countr_zero(rest));
}

// Bits [from, to) of a block's mask (from < 64, to <= 64).
inline std::uint64_t bits_between(std::size_t from, std::size_t to) noexcept {
  const std::uint64_t below_to =
      to == ascii_blocks::block_size ? ~std::uint64_t{0} : (std::uint64_t{1} << to) - 1;
  return below_to & ~((std::uint64_t{1} << from) - 1);
}

// For one rule and case mode, which two- and three-byte code points are "plain": part of a word
// and written as the word keeps them (their lowercase is themselves, or the case is kept). A bit
// per two-byte sequence, indexed by its two bytes read as one little-endian number, so that every
// other pair of bytes (ASCII, a broken sequence, the start of a longer one) finds its bit clear;
// and a bit per three-byte code point in rows of 64, indexed by the lead's and the second byte's
// low bits, where rows that only ill-formed sequences reach (overlong forms, surrogates) stay
// empty. 16 KB, of which a text in one script touches a few cache lines; a run of plain code points
// costs a load and a bit test each.
struct PlainWordBits {
  std::array<std::uint64_t, 1024> pairs{};
  std::array<std::uint64_t, 1024> three_byte{};

  template <class IsPlain>
  explicit PlainWordBits(const unicode_table::BmpTable& table, IsPlain is_plain) {
    for (char32_t cp = 0x80; cp < unicode_table::BmpTable::end; ++cp) {
      if (cp >= 0xD800 && cp <= 0xDFFF) continue;  // surrogates: never decoded
      if (!is_plain(table(cp))) continue;
      if (cp < unicode_table::BmpTable::two_byte_end) {
        const unsigned pair = (0xC0 | cp >> 6) | (0x80 | (cp & 0x3F)) << 8;
        pairs[pair >> 6] |= std::uint64_t{1} << (pair & 0x3F);
      } else {
        three_byte[cp >> 6 & 0x3FF] |= std::uint64_t{1} << (cp & 0x3F);
      }
    }
  }

  bool plain_pair(const unsigned char* bytes) const noexcept {
    const unsigned pair = bytes[0] | static_cast<unsigned>(bytes[1]) << 8;
    return (pairs[pair >> 6] >> (pair & 0x3F) & 1) != 0;
  }

  bool plain_triple(const unsigned char* bytes) const noexcept {
    if ((bytes[0] & 0xF0) != 0xE0 || !utf8::is_continuation(bytes[1]) ||
        !utf8::is_continuation(bytes[2])) {
      return false;
    }
    const std::uint64_t row = three_byte[(bytes[0] & 0x0Fu) << 6 | (bytes[1] & 0x3Fu)];
    return (row >> (bytes[2] & 0x3F) & 1) != 0;
  }

  // The end of the run of plain code points from text[at] on, within [at, to).
  std::size_t run_end(const unsigned char* text, std::size_t at, std::size_t to) const noexcept {
    for (;;) {
      const std::size_t before = at;
      while (at + 1 < to && plain_pair(text + at))
        at += 2;
      while (at + 2 < to && plain_triple(text + at))
        at += 3;
      if (at == before) return at;
    }
  }
};

// The plain code points of a rule, found once.
template <class Rule>
const PlainWordBits& plain_word_bits() {
  static const PlainWordBits bits(unicode_table::bmp_table(), [](unicode_table::Info info) {
    return Rule::non_ascii_class(info) == lower_letter &&
           (!Rule::lowercases || (info & unicode_table::lowercase_changes) == 0);
  });
  return bits;
}

// The words of text[from, to), a stretch holding non-ASCII bytes, with each code point's facts from
// the BMP table. The stretch is copied to `lowered` at the same offsets and lowercased there in
// place: an ASCII capital gets bit 5, a code point whose lowercase has the same UTF-8 length is
// overwritten. So words are views into `lowered` (16 readable bytes after each) and go to the sink
// in batches, as the ASCII fast path's do. The rare word holding a code point whose lowercase has
// another length (U+0130, U+212A, U+023A...) goes whole to Rule::decoding_words, which builds it in
// `scratch`. `to` must end the text or stand on an ASCII separator, so no word or UTF-8 sequence
// crosses it.
template <class Rule, class Classes, class Sink>
void table_words(std::string_view text, std::size_t from, std::size_t to, unsigned char* lowered,
                 std::string& scratch, Sink& sink) {
  using namespace unicode_table;
  const BmpTable& table = bmp_table();
  const PlainWordBits& plain = plain_word_bits<Rule>();
  const std::string_view stretch = text.substr(0, to);
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());

  std::string_view pending[2 * ascii_blocks::block_size];
  std::size_t pending_count = 0;
  const auto flush = [&] {
    sink.padded_batch(std::span<const std::string_view>(pending, pending_count));
    pending_count = 0;
  };
  // A word is spoiled (alpha-tokens drops it) when a non-letter, or resized when a code point whose
  // lowercase has another UTF-8 length, stands after its start: the positions just past the last
  // of each, rather than flags reset at every word start.
  std::size_t spoiler_end = 0;
  std::size_t resizer_end = 0;
  const auto end_word = [&](std::size_t start, std::size_t end) {
    if (spoiler_end > start) return;
    if (resizer_end > start) {
      flush();  // words reach a visitor in text order
      Rule::decoding_words(text.substr(start, end - start), scratch, sink);
      return;
    }
    pending[pending_count++] =
        std::string_view(reinterpret_cast<const char*>(lowered) + start, end - start);
    if (pending_count == std::size(pending)) flush();
  };

  std::size_t start = 0;
  bool in_word = false;
  unsigned char tail[ascii_blocks::block_size];
  // Block by block from wherever the last code point ended: the fast path's SIMD classification
  // copies the block to `lowered` with ASCII capitals lowered and gives the ASCII separators and
  // word bytes as masks, whose runs are skipped whole; non-ASCII code points are looked up.
  for (std::size_t i = from; i < to;) {
    const std::size_t base = i;
    const std::size_t n = std::min(ascii_blocks::block_size, to - base);
    const unsigned char* block = in + base;
    if (text.size() - base < ascii_blocks::block_size) {
      std::memcpy(tail, block, text.size() - base);
      std::memset(tail + (text.size() - base), ascii_blocks::padding,
                  ascii_blocks::block_size - (text.size() - base));
      block = tail;
    }
    const ascii_blocks::BlockMasks masks =
        ascii_blocks::classify_block<Classes>(block, lowered + base);
    const std::uint64_t in_stretch =
        n == ascii_blocks::block_size ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
    const std::uint64_t ascii_word = masks.word & ~masks.non_ascii & in_stretch;
    const std::uint64_t ascii_separator = ~masks.word & ~masks.non_ascii & in_stretch;
    std::size_t k = 0;
    while (k < n) {
      const std::uint64_t bit = std::uint64_t{1} << k;
      if ((ascii_separator & bit) != 0) {
        if (in_word) end_word(start, base + k);
        in_word = false;
        k += run_length(ascii_separator, k);
        continue;
      }
      if ((ascii_word & bit) != 0) {
        if (!in_word) start = base + k;
        in_word = true;
        const std::size_t end = k + run_length(ascii_word, k);
        const std::uint64_t spoilers = masks.spoiling & bits_between(k, end);
        if (spoilers != 0) {
          spoiler_end = base + ascii_blocks::block_size -
                        static_cast<std::size_t>(std::countl_zero(spoilers));
        }
        k = end;
        continue;
      }
      // A non-ASCII code point; most of a word in another script is plain letters, skipped in
      // a tight loop (within the block, which is all that `lowered` has yet).
      const std::size_t at = base + k;
      const std::size_t run_end = plain.run_end(in, at, base + n);
      if (run_end != at) {
        if (!in_word) start = at;
        in_word = true;
        k = run_end - base;
        continue;
      }
      const auto decoded = decode_with_facts(table, stretch, at);
      std::memcpy(lowered + at, in + at, decoded.length);  // it may end past the block
      const AsciiClass cls = Rule::non_ascii_class(decoded.info);
      if (cls == separator) {
        if (in_word) end_word(start, at);
        in_word = false;
      } else {
        if (!in_word) start = at;
        in_word = true;
        if (cls == other) spoiler_end = at + 1;
        if (Rule::lowercases && (decoded.info & lowercase_changes) != 0) {
          if ((decoded.info & lowercase_resizes) != 0) {
            resizer_end = at + 1;
          } else {
            encode_in_place(lowered + at, lowercase(decoded.code_point, decoded.info),
                            decoded.length);
          }
        }
      }
      k += decoded.length;
    }
    i = base + k;
  }
  if (in_word) end_word(start, to);
  flush();
}

// The fast path for ASCII blocks, handing stretches with other bytes to table_words: from the
// block that has them to the end of the whole blocks after it that have them too, so that text in
// another script stays in table_words and its words batch up there.
template <class Rule, class Classes, class Sink>
void scan_words(std::string_view text, Scratch& scratch, Sink& sink) {
  unsigned char* const lowered = lowered_buffer(scratch, text.size());
  ascii_blocks::scan<Classes>(text, lowered, sink, [&](std::size_t from, std::size_t block_end) {
    const std::size_t to = ascii_blocks::resume_point<Classes>(
        text, ascii_blocks::non_ascii_blocks_end(text, block_end));
    table_words<Rule, Classes>(text, from, to, lowered, scratch.word, sink);
    return to;
  });
}

// The byte classes of a rule's fast path, lowercasing or keeping the case.
template <bool Lowercase, class Classes>
using CaseClasses = std::conditional_t<Lowercase, Classes, ascii_blocks::KeepCase<Classes>>;

// The rules, lowercasing their words or (Lowercase false, TokenizerOptions::keep_case) keeping them
// as they are written. Where words split never depends on the case.
template <bool Lowercase>
struct LettersRule {
  static constexpr bool decodes_utf8 = true;
  static constexpr bool lowercases = Lowercase;

  static AsciiClass non_ascii_class(unicode_table::Info info) noexcept {
    return (info & (unicode_table::letter | unicode_table::mark)) != 0 ? lower_letter : separator;
  }

  template <class Sink>
  static void words(std::string_view text, Scratch& scratch, Sink& sink) {
    scan_words<LettersRule, CaseClasses<Lowercase, ascii_blocks::LetterClasses>>(text, scratch,
                                                                                 sink);
  }

  static Role role(char32_t cp) noexcept {
    const bool word = cp < 0x80
                          ? ascii_blocks::LetterClasses::is_letter(static_cast<unsigned char>(cp))
                          : is_letter_or_mark(cp);
    return word ? Role::word : Role::separator;
  }

  static bool is_leading_space(char32_t cp) noexcept { return unicode_table::is_white_space(cp); }

  template <class Sink>
  static void decoding_words(std::string_view text, std::string& scratch, Sink& sink) {
    static constexpr auto classes = ascii_classes<ascii_blocks::LetterClasses>();
    WordBuilder word(text, scratch);
    std::size_t i = 0;
    while (i < text.size()) {
      const auto b = static_cast<unsigned char>(text[i]);
      if (b < 0x80) {
        const AsciiClass cls = classes[b];
        if (cls == separator) {
          if (word.in_word()) sink(word.finish(i));
        } else {
          if (!word.in_word()) word.start(i);
          if (Lowercase && cls == upper_letter) {
            word.replace(i, b | 0x20u);
          } else {
            word.keep(i, 1);
          }
        }
        ++i;
        continue;
      }
      const auto [cp, length] = utf8::decode(text, i);
      if (is_letter_or_mark(cp)) {
        if (!word.in_word()) word.start(i);
        const char32_t lower = Lowercase ? simple_lowercase(cp) : cp;
        if (lower != cp) {
          word.replace(i, lower);
        } else {
          word.keep(i, length);
        }
      } else if (word.in_word()) {
        sink(word.finish(i));
      }
      i += length;
    }
    if (word.in_word()) sink(word.finish(text.size()));
  }

  static std::string_view skip_leading_space(std::string_view line) noexcept {
    std::size_t i = 0;
    while (i < line.size()) {
      const auto [cp, length] = utf8::decode(line, i);
      if (!unicode_table::is_white_space(cp)) break;
      i += length;
    }
    return line.substr(i);
  }

  static std::string lowercase(std::string_view word) {
    if (!Lowercase) return std::string(word);
    std::string out;
    for (std::size_t i = 0; i < word.size();) {
      const auto [cp, length] = utf8::decode(word, i);
      utf8::append(out, simple_lowercase(cp));
      i += length;
    }
    return out;
  }
};

template <bool Lowercase>
struct AlphaTokensRule {
  static constexpr bool decodes_utf8 = true;
  static constexpr bool lowercases = Lowercase;

  static AsciiClass non_ascii_class(unicode_table::Info info) noexcept {
    if ((info & unicode_table::white_space) != 0) return separator;
    return (info & unicode_table::letter) != 0 ? lower_letter : other;
  }

  template <class Sink>
  static void words(std::string_view text, Scratch& scratch, Sink& sink) {
    scan_words<AlphaTokensRule, CaseClasses<Lowercase, ascii_blocks::AlphaTokenClasses>>(
        text, scratch, sink);
  }

  static Role role(char32_t cp) noexcept {
    if (cp < 0x80) {
      const auto b = static_cast<unsigned char>(cp);
      if (ascii_blocks::AlphaTokenClasses::is_separator(b)) return Role::separator;
      return ascii_blocks::LetterClasses::is_letter(b) ? Role::word : Role::spoiler;
    }
    if (unicode_table::is_white_space(cp)) return Role::separator;
    return is_letter(cp) ? Role::word : Role::spoiler;
  }

  static bool is_leading_space(char32_t cp) noexcept { return unicode_table::is_white_space(cp); }

  template <class Sink>
  static void decoding_words(std::string_view text, std::string& scratch, Sink& sink) {
    static constexpr auto classes = ascii_classes<ascii_blocks::AlphaTokenClasses>();
    WordBuilder word(text, scratch);
    bool all_letters = true;
    const auto end_token = [&](std::size_t at) {
      const std::string_view token = word.finish(at);
      if (all_letters) sink(token);
    };
    std::size_t i = 0;
    while (i < text.size()) {
      const auto b = static_cast<unsigned char>(text[i]);
      std::size_t length = 1;
      AsciiClass cls;
      char32_t cp = b;
      if (b < 0x80) {
        cls = classes[b];
      } else {
        const auto decoded = utf8::decode(text, i);
        cp = decoded.code_point;
        length = decoded.length;
        cls = unicode_table::is_white_space(cp) ? separator : is_letter(cp) ? lower_letter : other;
      }
      if (cls == separator) {
        if (word.in_word()) end_token(i);
      } else {
        if (!word.in_word()) {
          word.start(i);
          all_letters = true;
        }
        if (cls == other) {
          all_letters = false;  // the token is dropped; no need to lowercase the rest of it
        } else if (all_letters) {
          const char32_t lower = !Lowercase ? cp
                                 : b < 0x80 ? (cls == upper_letter ? b | 0x20u : b)
                                            : simple_lowercase(cp);
          if (lower != cp) {
            word.replace(i, lower);
          } else {
            word.keep(i, length);
          }
        }
      }
      i += length;
    }
    if (word.in_word()) end_token(text.size());
  }

  static std::string_view skip_leading_space(std::string_view line) noexcept {
    return LettersRule<Lowercase>::skip_leading_space(line);
  }

  static std::string lowercase(std::string_view word) {
    return LettersRule<Lowercase>::lowercase(word);
  }
};

template <bool Lowercase>
struct WhitespaceRule {
  static constexpr bool decodes_utf8 = false;  // a unit is a byte

  template <class Sink>
  static void words(std::string_view text, Scratch& scratch, Sink& sink) {
    ascii_blocks::scan<CaseClasses<Lowercase, ascii_blocks::WhitespaceClasses>>(
        text, lowered_buffer(scratch, text.size()), sink);
  }

  static bool is_leading_space(char32_t byte) noexcept {
    return is_ascii_space(static_cast<unsigned char>(byte));
  }

  static Role role(char32_t byte) noexcept {
    return is_leading_space(byte) ? Role::separator : Role::word;
  }

  static std::string_view skip_leading_space(std::string_view line) noexcept {
    std::size_t i = 0;
    while (i < line.size() && is_leading_space(static_cast<unsigned char>(line[i])))
      ++i;
    return line.substr(i);
  }

  static std::string lowercase(std::string_view word) {
    std::string out(word);
    if (!Lowercase) return out;
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c | 0x20);
    }
    return out;
  }
};

// A thread's buffers, lent to one scan at a time. A word visitor that splits another text while
// its own is being scanned (whose words still point into the thread's buffers) gets fresh ones.
class ScratchLease {
 public:
  ScratchLease() {
    Held& held = thread_held();
    if (held.busy) {
      own_ = std::make_unique<Scratch>();
      scratch_ = own_.get();
    } else {
      held.busy = true;
      scratch_ = &held.scratch;
    }
  }
  ~ScratchLease() {
    if (!own_) thread_held().busy = false;
  }
  ScratchLease(const ScratchLease&) = delete;
  ScratchLease& operator=(const ScratchLease&) = delete;

  Scratch& scratch() const noexcept { return *scratch_; }

 private:
  struct Held {
    Scratch scratch;
    bool busy = false;
  };
  static Held& thread_held() {
    thread_local Held held;
    return held;
  }

  std::unique_ptr<Scratch> own_;
  Scratch* scratch_ = nullptr;
};

// Where a rule's words go once the stop words are left out. Words of the fast path come in
// batches of views into a padded buffer, which the count table packs without a copy.
template <class Output>
struct StopWordFilter {
  const StopWords* stop_words;
  Output output;

  void operator()(std::string_view word) const {
    if (stop_words == nullptr || !stop_words->contains(word)) output.word(word);
  }
  void padded_batch(std::span<const std::string_view> words) const {
    if (stop_words == nullptr) {
      output.padded_batch(words);
      return;
    }
    for (const std::string_view word : words) {
      if (!stop_words->contains(word)) output.padded_word(word);
    }
  }
};

// The tokenizer's output: straight into the count table, batches whole.
struct CountOutput {
  CountEmitter& emitter;

  void word(std::string_view word) const { emitter.emit(word); }
  void padded_word(std::string_view word) const { emitter.emit_padded(word); }
  void padded_batch(std::span<const std::string_view> words) const {
    emitter.emit_padded_batch(words);
  }
};

// A WordSplitter's output: the user's visitor, word by word.
struct VisitorOutput {
  void (*callback)(void* context, std::string_view word);
  void* context;

  void word(std::string_view word) const { callback(context, word); }
  void padded_word(std::string_view word) const { callback(context, word); }
  void padded_batch(std::span<const std::string_view> words) const {
    for (const std::string_view word : words)
      callback(context, word);
  }
};

}  // namespace

class WordRules {
 public:
  virtual ~WordRules() = default;
  virtual void visit(std::string_view text, bool starts_mid_line, std::string_view line_head,
                     void (*callback)(void* context, std::string_view word),
                     void* context) const = 0;
};

namespace {

// A rule with its options: the words of a piece of text, lines with the skip prefix left out, stop
// words filtered. The tokenizer sends them to its count table and a WordSplitter to its visitor.
template <class Rule>
class RuleWords final : public WordRules {
 public:
  explicit RuleWords(const TokenizerOptions& options) : skip_prefix_(options.skip_prefix) {
    if (!options.stop_words.empty()) {
      auto stop = std::make_unique<StopWords>();
      for (const auto& word : options.stop_words)
        stop->insert(Rule::lowercase(word));
      stop_words_ = std::move(stop);
    }
  }

  // `line_head` sums up the line's earlier pieces when `text` starts mid-line (see RuleBoundary).
  template <class Output>
  void each(std::string_view text, bool starts_mid_line, std::string_view line_head,
            const Output& output) const {
    const ScratchLease lease;
    Scratch& scratch = lease.scratch();
    const StopWordFilter<Output> sink{stop_words_.get(), output};
    if (skip_prefix_.empty()) {
      Rule::words(text, scratch, sink);
      return;
    }
    std::string_view rest = text;
    bool first_line = true;
    while (!rest.empty()) {
      const std::size_t lf = rest.find('\n');
      const std::string_view line =
          rest.substr(0, lf == std::string_view::npos ? rest.size() : lf + 1);
      rest.remove_prefix(line.size());
      const bool skip =
          first_line && starts_mid_line ? skips_continued(line_head, line) : skips(line);
      first_line = false;
      if (!skip) Rule::words(line, scratch, sink);
    }
  }

  void visit(std::string_view text, bool starts_mid_line, std::string_view line_head,
             void (*callback)(void* context, std::string_view word), void* context) const override {
    each(text, starts_mid_line, line_head, VisitorOutput{callback, context});
  }

 private:
  bool skips(std::string_view line) const noexcept {
    return Rule::skip_leading_space(line).starts_with(skip_prefix_);
  }

  // The line began in an earlier piece, which RuleBoundary summed up in the line head.
  bool skips_continued(std::string_view line_head, std::string_view line) const {
    if (line_head.empty()) return skips(line);
    std::string start(line_head);
    start.append(line.substr(0, skip_prefix_.size()));
    return start.starts_with(skip_prefix_);
  }

  std::string skip_prefix_;
  std::unique_ptr<const StopWords> stop_words_;
};

// The tokenizer: a rule's words counted, with no call per word in between.
template <class Rule>
class RuleTokenizer {
 public:
  explicit RuleTokenizer(std::shared_ptr<const RuleWords<Rule>> words) : words_(std::move(words)) {}

  void operator()(const TextSegment& segment, CountEmitter& emit) const {
    words_->each(segment.text, segment.starts_mid_line, segment.line_head, CountOutput{emit});
  }

 private:
  std::shared_ptr<const RuleWords<Rule>> words_;
};

// Where a rule lets a chunk end inside a line: between units where a cut is safe. With a skip
// prefix, the first piece of a line is mapped without the pieces after it, so no cut may fall
// between the end of the line's leading whitespace and the last byte that shows whether the line
// starts with the prefix. The line head then carries what the later pieces need, a few bytes
// whatever the line: the line's first prefix-size bytes after its leading whitespace, or nothing
// while the line is all leading whitespace (cuts there are safe: no word is in it).
template <class Rule>
class RuleBoundary final : public ChunkBoundary {
 public:
  explicit RuleBoundary(std::string skip_prefix) : skip_prefix_(std::move(skip_prefix)) {}

  std::size_t last_cut(std::string_view line_head, std::string_view text,
                       std::size_t searched) const override {
    using namespace token_boundaries;
    const std::size_t lowest = searched > lookahead ? searched - lookahead : 0;
    if (skip_prefix_.empty()) return last_safe_cut<Rule>(text, lowest);
    std::size_t space_end = 0;
    std::string_view after_space = text;
    if (line_head.empty()) {
      const LeadingSpace space = leading_space<Rule>(text);
      if (!space.settled) return space.end;
      space_end = space.end;
      after_space.remove_prefix(space_end);
    }
    const std::size_t decided = decision_length(line_head, after_space);
    if (decided == std::string_view::npos) return space_end;
    const std::size_t cut = last_safe_cut<Rule>(text, std::max(lowest, space_end + decided));
    return cut != 0 ? cut : space_end;
  }

  void extend_line_head(std::string& line_head, std::string_view text) const override {
    if (line_head.size() >= skip_prefix_.size()) return;
    if (line_head.empty()) text = Rule::skip_leading_space(text);
    line_head.append(text.substr(0, skip_prefix_.size() - line_head.size()));
  }

 private:
  // How many bytes of `text`, which follows `matched` after the line's leading whitespace, it takes
  // to know whether the line starts with the prefix; npos when `text` is too short to tell.
  std::size_t decision_length(std::string_view matched, std::string_view text) const noexcept {
    if (matched.size() >= skip_prefix_.size() || !skip_prefix_.starts_with(matched)) return 0;
    const std::string_view wanted = std::string_view(skip_prefix_).substr(matched.size());
    for (std::size_t i = 0; i < wanted.size(); ++i) {
      if (i == text.size()) return std::string_view::npos;
      if (text[i] != wanted[i]) return i + 1;
    }
    return wanted.size();
  }

  std::string skip_prefix_;
};

// Calls `f` with std::type_identity<Rule> for the rule of `kind`, lowercasing or not.
template <bool Lowercase = true, class F>
decltype(auto) with_rule(TokenizerKind kind, F&& f) {
  switch (kind) {
    case TokenizerKind::letters:
      return f(std::type_identity<LettersRule<Lowercase>>{});
    case TokenizerKind::alpha_tokens:
      return f(std::type_identity<AlphaTokensRule<Lowercase>>{});
    case TokenizerKind::whitespace:
      return f(std::type_identity<WhitespaceRule<Lowercase>>{});
  }
  throw std::invalid_argument("unknown tokenizer kind");
}

// The same for the rule's words, which keep their case under TokenizerOptions::keep_case. Chunk
// boundaries never depend on the case: they take with_rule's.
template <class F>
decltype(auto) with_word_rule(const TokenizerOptions& options, F&& f) {
  if (options.keep_case) return with_rule<false>(options.kind, std::forward<F>(f));
  return with_rule<true>(options.kind, std::forward<F>(f));
}

}  // namespace

TextMapper make_tokenizer(const TokenizerOptions& options) {
  return with_word_rule(options, [&]<class Rule>(std::type_identity<Rule>) {
    return TextMapper(RuleTokenizer<Rule>(std::make_shared<const RuleWords<Rule>>(options)),
                      word_boundary(options));
  });
}

std::shared_ptr<const ChunkBoundary> word_boundary(const TokenizerOptions& options) {
  return with_rule(
      options.kind,
      [&]<class Rule>(std::type_identity<Rule>) -> std::shared_ptr<const ChunkBoundary> {
        return std::make_shared<const RuleBoundary<Rule>>(options.skip_prefix);
      });
}

WordSplitter::WordSplitter(const TokenizerOptions& options)
    : kind_(options.kind), boundary_(word_boundary(options)) {
  rules_ = with_word_rule(
      options, [&]<class Rule>(std::type_identity<Rule>) -> std::shared_ptr<const WordRules> {
        return std::make_shared<const RuleWords<Rule>>(options);
      });
}

void WordSplitter::visit_words(std::string_view text, bool starts_mid_line,
                               std::string_view line_head, WordCallback callback,
                               void* context) const {
  rules_->visit(text, starts_mid_line, line_head, callback, context);
}

std::vector<std::string> WordSplitter::words(std::string_view text) const {
  std::vector<std::string> words;
  for_each_word(text, [&words](std::string_view word) { words.emplace_back(word); });
  return words;
}

std::vector<std::string> WordSplitter::words(const TextSegment& segment) const {
  std::vector<std::string> words;
  for_each_word(segment, [&words](std::string_view word) { words.emplace_back(word); });
  return words;
}

std::optional<TokenizerKind> parse_tokenizer_kind(std::string_view name) {
  for (auto kind :
       {TokenizerKind::letters, TokenizerKind::alpha_tokens, TokenizerKind::whitespace}) {
    if (name == tokenizer_name(kind)) return kind;
  }
  return std::nullopt;
}

std::string_view tokenizer_name(TokenizerKind kind) {
  switch (kind) {
    case TokenizerKind::letters:
      return "letters";
    case TokenizerKind::alpha_tokens:
      return "alpha-tokens";
    case TokenizerKind::whitespace:
      return "whitespace";
  }
  return "unknown";
}

std::string lowercase_like(TokenizerKind kind, std::string_view word) {
  switch (kind) {
    case TokenizerKind::letters:
      return LettersRule<true>::lowercase(word);
    case TokenizerKind::alpha_tokens:
      return AlphaTokensRule<true>::lowercase(word);
    case TokenizerKind::whitespace:
      return WhitespaceRule<true>::lowercase(word);
  }
  return std::string(word);
}

}  // namespace mrtbb
