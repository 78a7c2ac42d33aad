// The word rules' table of code point facts against utf8proc, which it is built from, for every
// code point: the table is what the rules' UTF-8 path decides with.

#include <gtest/gtest.h>

#include <utf8proc.h>

#include <cstdint>

#include "tokenize/unicode_table.hpp"

namespace {

namespace table = mrtbb::unicode_table;

TEST(UnicodeTable, AgreesWithUtf8procForEveryCodePoint) {
  const table::BmpTable& bmp = table::bmp_table();
  std::size_t resizing = 0;
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    const auto code = static_cast<utf8proc_int32_t>(cp);
    const auto category = utf8proc_category(code);
    const auto lower = static_cast<char32_t>(utf8proc_tolower(code));
    const table::Info info = table::info(bmp, cp);
    ASSERT_EQ((info & table::letter) != 0,
              category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_LO)
        << std::hex << "U+" << static_cast<std::uint32_t>(cp);
    ASSERT_EQ((info & table::mark) != 0,
              category >= UTF8PROC_CATEGORY_MN && category <= UTF8PROC_CATEGORY_ME)
        << std::hex << "U+" << static_cast<std::uint32_t>(cp);
    ASSERT_EQ(table::lowercase(cp, info), lower)
        << std::hex << "U+" << static_cast<std::uint32_t>(cp);
    ASSERT_EQ((info & table::lowercase_changes) != 0, lower != cp)
        << std::hex << "U+" << static_cast<std::uint32_t>(cp);
    ASSERT_EQ((info & table::lowercase_resizes) != 0,
              table::encoded_length(lower) != table::encoded_length(cp))
        << std::hex << "U+" << static_cast<std::uint32_t>(cp);
    if (cp < table::BmpTable::two_byte_end) {
      ASSERT_EQ(bmp.two_byte(cp), info) << std::hex << "U+" << static_cast<std::uint32_t>(cp);
    }
    if ((info & table::lowercase_resizes) != 0) ++resizing;
  }
  // U+0130 and U+212A shrink, U+023A grows: the UTF-8 path must send such words the slow way.
  EXPECT_NE(table::info(bmp, 0x130) & table::lowercase_resizes, 0u);
  EXPECT_NE(table::info(bmp, 0x212A) & table::lowercase_resizes, 0u);
  EXPECT_NE(table::info(bmp, 0x23A) & table::lowercase_resizes, 0u);
  EXPECT_GT(resizing, 0u);
}

TEST(UnicodeTable, WhiteSpaceIsTheUnicodeProperty) {
  std::size_t count = 0;
  const table::BmpTable& bmp = table::bmp_table();
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if ((table::info(bmp, cp) & table::white_space) != 0) ++count;
  }
  EXPECT_EQ(count, 25u);  // PropList.txt's White_Space: 25 code points
  for (char32_t cp : {0x09, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x200A, 0x2028, 0x202F, 0x3000}) {
    EXPECT_NE(table::info(bmp, cp) & table::white_space, 0u) << std::hex << std::uint32_t{cp};
  }
  for (char32_t cp : {0x1F, 0x200B, 0x180E, 0xFEFF}) {
    EXPECT_EQ(table::info(bmp, cp) & table::white_space, 0u) << std::hex << std::uint32_t{cp};
  }
}

TEST(UnicodeTable, SharesRowsSoThatItStaysSmall) {
  // 1024 blocks of 64 code points; CJK and unassigned blocks share rows (176 in Unicode 15).
  EXPECT_LT(table::bmp_table().row_count(), table::BmpTable::max_rows);
}

}  // namespace
