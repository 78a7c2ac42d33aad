#pragma once

// What the word rules need to know of a code point (general category letter / mark, White_Space,
// simple lowercase), looked up in a table for the Basic Multilingual Plane instead of asking
// utf8proc for every character. The table is filled from utf8proc itself the first time it is
// needed, so a rule gives the same words with it as without it; code points above the BMP (rare in
// text) are still asked of utf8proc one at a time.

#include <utf8proc.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <stdexcept>

#include "mrtbb/tokenize/utf8.hpp"

namespace mrtbb::unicode_table {

/// The facts of one code point packed in 32 bits: the flags below in the low byte, and the signed
/// difference from the code point to its simple lowercase in the upper 24 bits, so that the many
/// blocks of code points that lowercase alike (all of CJK, unassigned ranges) share one row.
using Info = std::uint32_t;

enum Flag : Info {
  letter = 1,             ///< general category L*
  mark = 2,               ///< general category M*
  white_space = 4,        ///< the White_Space property
  lowercase_changes = 8,  ///< the simple lowercase is another code point
  lowercase_resizes = 16  ///< ... whose UTF-8 form has another length (e.g. U+212A KELVIN SIGN)
};

inline constexpr unsigned delta_shift = 8;

/// The White_Space property of the Unicode Character Database (PropList.txt).
constexpr bool is_white_space(char32_t cp) noexcept {
  switch (cp) {
    case 0x09:
    case 0x0A:
    case 0x0B:
    case 0x0C:
    case 0x0D:
    case 0x20:
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

constexpr std::size_t encoded_length(char32_t cp) noexcept {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/// Asks utf8proc: the slow way, for building the table and for code points above the BMP.
inline Info computed_info(char32_t cp) noexcept {
  const auto code = static_cast<utf8proc_int32_t>(cp);
  const auto category = utf8proc_category(code);
  Info info = 0;
  if (category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_LO) info |= letter;
  if (category >= UTF8PROC_CATEGORY_MN && category <= UTF8PROC_CATEGORY_ME) info |= mark;
  if (is_white_space(cp)) info |= white_space;
  const auto lower = static_cast<char32_t>(utf8proc_tolower(code));
  if (lower != cp) {
    info |= lowercase_changes;
    if (encoded_length(lower) != encoded_length(cp)) info |= lowercase_resizes;
  }
  const auto delta = static_cast<std::int32_t>(lower) - static_cast<std::int32_t>(cp);
  return info | (static_cast<Info>(delta) << delta_shift);
}

constexpr char32_t lowercase(char32_t cp, Info info) noexcept {
  return static_cast<char32_t>(static_cast<std::int32_t>(cp) +
                               (static_cast<std::int32_t>(info) >> delta_shift));
}

/// The BMP in rows of 64 code points (the bits that the last UTF-8 byte carries), each row stored
/// once however many blocks share it: 176 rows of 256 bytes in Unicode 15, of which a text in one
/// script touches a handful. The two-byte range (U+0080-U+07FF: Latin, Greek, Cyrillic, Armenian,
/// Hebrew, Arabic...) also has a flat copy, one load away from its code points. Rows live inside
/// the object, so that a lookup loads no pointer first.
class BmpTable {
 public:
  static constexpr std::size_t row_size = 64;
  static constexpr char32_t end = 0x10000;
  static constexpr char32_t two_byte_end = 0x800;
  static constexpr std::size_t max_rows = 256;

  BmpTable() {
    std::map<Row, std::uint16_t> row_numbers;
    for (std::size_t block = 0; block < index_.size(); ++block) {
      Row row;
      for (std::size_t k = 0; k < row_size; ++k)
        row[k] = computed_info(static_cast<char32_t>(block * row_size + k));
      const auto [at, added] = row_numbers.try_emplace(row, static_cast<std::uint16_t>(row_count_));
      if (added) {
        if (row_count_ == max_rows)
          throw std::logic_error("unicode_table: more rows than max_rows");
        rows_[row_count_++] = row;
      }
      index_[block] = at->second;
    }
    for (char32_t cp = 0; cp < two_byte_end; ++cp)
      two_byte_[cp] = (*this)(cp);
  }

  /// cp < end.
  Info operator()(char32_t cp) const noexcept {
    return rows_[index_[cp / row_size]][cp % row_size];
  }

  /// cp < two_byte_end.
  Info two_byte(char32_t cp) const noexcept { return two_byte_[cp]; }

  std::size_t row_count() const noexcept { return row_count_; }

 private:
  using Row = std::array<Info, row_size>;
  std::array<Info, two_byte_end> two_byte_{};
  std::array<std::uint16_t, end / row_size> index_{};
  std::array<Row, max_rows> rows_{};
  std::size_t row_count_ = 0;
};

/// The table, built once by the first thread to ask (a function-local static).
inline const BmpTable& bmp_table() {
  static const BmpTable table;
  return table;
}

inline Info info(const BmpTable& table, char32_t cp) noexcept {
  return cp < BmpTable::end ? table(cp) : computed_info(cp);
}

}  // namespace mrtbb::unicode_table
