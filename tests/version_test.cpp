// The library's run-time version is the one its headers state, in every form they state it.

#include <gtest/gtest.h>

#include <string>

#include "mrtbb/version.hpp"

namespace {

TEST(Version, LibraryMatchesHeaders) {
  const mrtbb::Version library = mrtbb::version();
  EXPECT_EQ(library, mrtbb::header_version);
  EXPECT_EQ(library.major, MRTBB_VERSION_MAJOR);
  EXPECT_EQ(library.minor, MRTBB_VERSION_MINOR);
  EXPECT_EQ(library.patch, MRTBB_VERSION_PATCH);
  EXPECT_EQ(std::string(library.text), MRTBB_VERSION_STRING);
}

TEST(Version, TextIsTheNumbers) {
  const mrtbb::Version library = mrtbb::version();
  EXPECT_EQ(std::string(library.text), std::to_string(library.major) + "." +
                                           std::to_string(library.minor) + "." +
                                           std::to_string(library.patch));
}

TEST(Version, DiffersWhenAnyNumberDiffers) {
  const mrtbb::Version v{1, 2, 3, "1.2.3"};
  EXPECT_EQ(v, (mrtbb::Version{1, 2, 3, "1.2.3"}));
  EXPECT_NE(v, (mrtbb::Version{2, 2, 3, "2.2.3"}));
  EXPECT_NE(v, (mrtbb::Version{1, 3, 3, "1.3.3"}));
  EXPECT_NE(v, (mrtbb::Version{1, 2, 4, "1.2.4"}));
}

}  // namespace
