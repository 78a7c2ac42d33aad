// The serialisation trait: every built-in type round-trips over many random values and its limits,
// the wire format is the documented one, and truncated or malformed bytes are a SerializationError,
// never a read past the end (each truncated input lies in a heap block of exactly its size, so
// AddressSanitizer sees any such read).

#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "mrtbb/mrtbb.hpp"

namespace {

__extension__ typedef __int128 int128;
__extension__ typedef unsigned __int128 uint128;

enum class Colour : std::int16_t { red = -3, green = 0, blue = 300 };
enum Plain : std::uint8_t { zero, one, two };
// Without a fixed underlying type, an integer outside its enumerators' range is no value of it.
enum Unfixed { only };

// A user type, with its Serializer below.
struct Point {
  std::int32_t x = 0;
  std::int32_t y = 0;
  std::string label;
  bool operator==(const Point&) const = default;
};

// No Serializer: must not satisfy the concept, nor make containers of it satisfy it.
struct Opaque {};

}  // namespace

template <>
struct mrtbb::Serializer<Point> {
  static void write(std::string& out, const Point& point) {
    mrtbb::serialize(out, point.x);
    mrtbb::serialize(out, point.y);
    mrtbb::serialize(out, point.label);
  }
  static Point read(std::string_view& in) {
    const auto x = mrtbb::deserialize<std::int32_t>(in);
    const auto y = mrtbb::deserialize<std::int32_t>(in);
    return {x, y, mrtbb::deserialize<std::string>(in)};
  }
};

namespace {

using mrtbb::SerializationError;
using Rng = std::mt19937_64;

static_assert(mrtbb::Serializable<int128> && mrtbb::Serializable<uint128>);
static_assert(mrtbb::Serializable<Colour> && mrtbb::Serializable<Plain>);
static_assert(mrtbb::Serializable<std::vector<std::pair<std::string, Point>>>);
static_assert(!mrtbb::Serializable<Opaque> && !mrtbb::Serializable<Unfixed>);
static_assert(!mrtbb::Serializable<std::vector<Opaque>>);
static_assert(!mrtbb::Serializable<std::pair<int, Opaque>>);
static_assert(!mrtbb::Serializable<std::tuple<int, std::optional<Opaque>>>);
static_assert(!mrtbb::Serializable<std::array<Opaque, 2>>);

template <class T>
struct UnsignedOf {
  using type = std::make_unsigned_t<T>;
};
template <>
struct UnsignedOf<int128> {
  using type = uint128;
};
template <>
struct UnsignedOf<uint128> {
  using type = uint128;
};

template <class U>
U random_bits(Rng& rng) {
  if constexpr (sizeof(U) > 8) {
    return static_cast<U>((static_cast<U>(rng()) << 64) | rng());
  } else {
    return static_cast<U>(rng());
  }
}

std::string random_bytes(Rng& rng, std::size_t size) {
  std::string bytes(size, '\0');
  for (char& c : bytes)
    c = static_cast<char>(rng() & 0xFF);
  return bytes;
}

// Random values of T: its limits now and then, otherwise values from all of its range. Floating
// values here are never NaN, so that == can compare them (NaNs are covered by FloatingBits).
template <class T>
struct Random;

template <class T>
requires(std::integral<T> || std::same_as<T, int128> || std::same_as<T, uint128>) struct Random<T> {
  static T make(Rng& rng) {
    if constexpr (std::same_as<T, bool>) {
      return rng() % 2 == 1;
    } else {
      using U = typename UnsignedOf<T>::type;
      constexpr U top = static_cast<U>(U{1} << (8 * sizeof(U) - 1));
      switch (rng() % 10) {
        case 0:
          return static_cast<T>(U{0});
        case 1:
          return static_cast<T>(static_cast<U>(~U{0}));  // -1, or the unsigned maximum
        case 2:
          return static_cast<T>(top);  // the signed minimum
        case 3:
          return static_cast<T>(static_cast<U>(~top));  // the signed maximum
        case 4:
          return static_cast<T>(random_bits<U>(rng) & 0xFF);
        default:
          return static_cast<T>(random_bits<U>(rng));
      }
    }
  }
};

template <std::floating_point T>
struct Random<T> {
  static T make(Rng& rng) {
    using limits = std::numeric_limits<T>;
    const std::array<T, 9> special = {T{0},
                                      -T{0},
                                      limits::min(),
                                      limits::max(),
                                      limits::lowest(),
                                      limits::denorm_min(),
                                      limits::epsilon(),
                                      limits::infinity(),
                                      -limits::infinity()};
    if (rng() % 4 == 0) return special[rng() % special.size()];
    const T magnitude = std::ldexp(std::uniform_real_distribution<T>(-1, 1)(rng),
                                   static_cast<int>(rng() % 200) - 100);
    return magnitude;
  }
};

template <class T>
requires std::is_enum_v<T>
struct Random<T> {
  static T make(Rng& rng) { return static_cast<T>(Random<std::underlying_type_t<T>>::make(rng)); }
};

template <>
struct Random<std::string> {
  static std::string make(Rng& rng) {
    static constexpr std::array<std::size_t, 9> sizes = {0, 1, 2, 127, 128, 129, 300, 16383, 16384};
    const std::size_t size = rng() % 3 == 0 ? sizes[rng() % sizes.size()] : rng() % 40;
    return random_bytes(rng, size);
  }
};

template <>
struct Random<Point> {
  static Point make(Rng& rng) {
    return {Random<std::int32_t>::make(rng), Random<std::int32_t>::make(rng),
            Random<std::string>::make(rng)};
  }
};

template <class T>
struct Random<std::vector<T>> {
  static std::vector<T> make(Rng& rng) {
    std::vector<T> values(rng() % 6);
    for (auto&& value : values)
      value = Random<T>::make(rng);
    return values;
  }
};

template <class T>
struct Random<std::optional<T>> {
  static std::optional<T> make(Rng& rng) {
    if (rng() % 2 == 0) return std::nullopt;
    return Random<T>::make(rng);
  }
};

template <class A, class B>
struct Random<std::pair<A, B>> {
  static std::pair<A, B> make(Rng& rng) {
    A first = Random<A>::make(rng);
    return {std::move(first), Random<B>::make(rng)};
  }
};

template <class... Ts>
struct Random<std::tuple<Ts...>> {
  static std::tuple<Ts...> make(Rng& rng) { return std::tuple<Ts...>{Random<Ts>::make(rng)...}; }
};

template <class T, std::size_t N>
struct Random<std::array<T, N>> {
  static std::array<T, N> make(Rng& rng) {
    std::array<T, N> values;
    for (auto& value : values)
      value = Random<T>::make(rng);
    return values;
  }
};

std::string hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (const char c : bytes.substr(0, 64)) {
    const auto b = static_cast<unsigned char>(c);
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return bytes.size() > 64 ? out + "..." : out;
}

template <class T>
void expect_round_trip(const T& value) {
  const std::string bytes = mrtbb::to_bytes(value);
  const T back = mrtbb::from_bytes<T>(bytes);
  EXPECT_TRUE(back == value) << mrtbb::serialized_type_name<T>() << " from " << hex(bytes);
  EXPECT_EQ(mrtbb::to_bytes(back), bytes) << mrtbb::serialized_type_name<T>();
}

// Every strict prefix of a value's bytes is too short; each is copied into a heap block of exactly
// its size, so that a read past its end is a heap overflow that AddressSanitizer reports.
template <class T>
void expect_every_truncation_throws(const T& value) {
  const std::string bytes = mrtbb::to_bytes(value);
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    const auto block = std::make_unique<char[]>(size);
    std::copy_n(bytes.data(), size, block.get());
    std::string_view in(block.get(), size);
    EXPECT_THROW(mrtbb::deserialize<T>(in), SerializationError)
        << mrtbb::serialized_type_name<T>() << " cut to " << size << " of " << bytes.size()
        << " bytes";
  }
}

template <class T>
void check_random_values(std::uint64_t seed, int count) {
  Rng rng(seed);
  for (int i = 0; i < count; ++i)
    expect_round_trip(Random<T>::make(rng));
}

template <class T>
class ScalarRoundTrip : public ::testing::Test {};

using Scalars = ::testing::Types<bool, char, signed char, unsigned char, wchar_t, char8_t, char16_t,
                                 char32_t, short, unsigned short, int, unsigned, long,
                                 unsigned long, long long, unsigned long long, int128, uint128,
                                 float, double, long double, Colour, Plain>;
TYPED_TEST_SUITE(ScalarRoundTrip, Scalars);

TYPED_TEST(ScalarRoundTrip, RandomValuesAndLimits) {
  check_random_values<TypeParam>(1, 2000);
  Rng rng(2);
  for (int i = 0; i < 50; ++i)
    expect_every_truncation_throws(Random<TypeParam>::make(rng));
}

TYPED_TEST(ScalarRoundTrip, TakesItsMinimumSize) {
  Rng rng(3);
  const std::string bytes = mrtbb::to_bytes(Random<TypeParam>::make(rng));
  EXPECT_EQ(bytes.size(), mrtbb::serialized_min_size<TypeParam>());
}

template <class T>
void expect_bits_round_trip(T value) {
  const T back = mrtbb::from_bytes<T>(mrtbb::to_bytes(value));
  if constexpr (std::numeric_limits<T>::digits == 64) {
    // x87 long double: the padding bytes after the tenth carry nothing.
    EXPECT_EQ(mrtbb::to_bytes(back), mrtbb::to_bytes(value));
  } else {
    using Bits = std::conditional_t<sizeof(T) == 4, std::uint32_t,
                                    std::conditional_t<sizeof(T) == 8, std::uint64_t, uint128>>;
    EXPECT_TRUE(std::bit_cast<Bits>(back) == std::bit_cast<Bits>(value));
  }
}

TEST(FloatingBits, NaNsInfinitiesAndSignedZerosKeepTheirBits) {
  for (const float value : {std::numeric_limits<float>::quiet_NaN(),
                            -std::numeric_limits<float>::signaling_NaN(), -0.0f}) {
    expect_bits_round_trip(value);
  }
  Rng rng(4);
  for (int i = 0; i < 5000; ++i) {
    expect_bits_round_trip(std::bit_cast<float>(static_cast<std::uint32_t>(rng())));
    expect_bits_round_trip(std::bit_cast<double>(rng()));
  }
  EXPECT_TRUE(std::isnan(mrtbb::from_bytes<long double>(
      mrtbb::to_bytes(std::numeric_limits<long double>::quiet_NaN()))));
  EXPECT_TRUE(std::signbit(mrtbb::from_bytes<long double>(mrtbb::to_bytes(-0.0L))));
}

TEST(WireFormat, IsLittleEndianWithVarintLengths) {
  using namespace std::string_literals;
  EXPECT_EQ(mrtbb::to_bytes(std::int32_t{0x01020304}), "\x04\x03\x02\x01"s);
  EXPECT_EQ(mrtbb::to_bytes(std::int16_t{-2}), "\xfe\xff"s);
  EXPECT_EQ(mrtbb::to_bytes(static_cast<uint128>(1) << 120), std::string(15, '\0') + "\x01"s);
  EXPECT_EQ(mrtbb::to_bytes(1.0), "\0\0\0\0\0\0\xf0\x3f"s);
  EXPECT_EQ(mrtbb::to_bytes(-2.0f), "\0\0\0\xc0"s);
  EXPECT_EQ(mrtbb::to_bytes(true), "\x01"s);
  EXPECT_EQ(mrtbb::to_bytes(Colour::blue), "\x2c\x01"s);
  EXPECT_EQ(mrtbb::to_bytes(std::string("abc")),
            "\x03"
            "abc"s);
  EXPECT_EQ(mrtbb::to_bytes(std::string(300, 'x')).substr(0, 2), "\xac\x02"s);
  EXPECT_EQ(mrtbb::to_bytes(std::string()), "\0"s);
  EXPECT_EQ(mrtbb::to_bytes(std::optional<std::uint8_t>()), "\0"s);
  EXPECT_EQ(mrtbb::to_bytes(std::optional<std::uint8_t>(7)), "\x01\x07"s);
  EXPECT_EQ(mrtbb::to_bytes(std::vector<std::uint8_t>{1, 2}), "\x02\x01\x02"s);
  EXPECT_EQ(mrtbb::to_bytes(std::pair<char, std::string>{'k', "v"}), "k\x01v"s);
  EXPECT_EQ(mrtbb::to_bytes(std::array<std::uint8_t, 2>{9, 8}), "\x09\x08"s);
  EXPECT_EQ(mrtbb::to_bytes(std::tuple<>()), ""s);
}

TEST(Strings, EmptyLargeAndEveryByteValue) {
  std::string every_byte;
  for (int b = 0; b < 256; ++b)
    every_byte += static_cast<char>(b);
  for (const std::string& text : {std::string(), std::string(1, '\0'), every_byte,
                                  std::string(1 << 20, '\xff'), std::string("a\0b", 3)}) {
    expect_round_trip(text);
  }
  check_random_values<std::string>(5, 2000);
  expect_every_truncation_throws(every_byte);
}

using Nested = std::vector<
    std::pair<std::string, std::optional<std::tuple<int, double, std::vector<std::string>>>>>;
using Deep = std::tuple<std::array<std::vector<Colour>, 3>, std::optional<std::optional<bool>>,
                        std::vector<std::vector<std::pair<int128, Point>>>, std::tuple<>>;

TEST(Containers, NestedValuesRoundTrip) {
  check_random_values<std::vector<std::int64_t>>(6, 500);
  check_random_values<std::optional<std::string>>(7, 500);
  check_random_values<std::pair<std::string, Point>>(8, 500);
  check_random_values<std::array<std::uint16_t, 5>>(9, 500);
  check_random_values<std::tuple<bool, std::string, float, Plain>>(10, 500);
  check_random_values<Nested>(11, 300);
  check_random_values<Deep>(12, 300);
  expect_round_trip(std::vector<bool>{true, false, true});
  expect_round_trip(std::vector<std::string>(1000, "many"));
}

TEST(Truncation, EveryShorterInputThrows) {
  Rng rng(13);
  for (int i = 0; i < 40; ++i) {
    // Short strings, so that every cut of every value can be tried.
    Nested nested = Random<Nested>::make(rng);
    for (auto& [key, value] : nested) {
      key.resize(std::min<std::size_t>(key.size(), 50));
      if (value) std::get<2>(*value).resize(std::min<std::size_t>(std::get<2>(*value).size(), 2));
      if (value) {
        for (auto& text : std::get<2>(*value))
          text.resize(std::min<std::size_t>(text.size(), 20));
      }
    }
    expect_every_truncation_throws(nested);
    expect_every_truncation_throws(
        Random<std::pair<std::int64_t, std::optional<Point>>>::make(rng));
    expect_every_truncation_throws(Random<std::array<std::tuple<char, double>, 3>>::make(rng));
  }
  expect_every_truncation_throws(std::string(200, 'q'));
  expect_every_truncation_throws(std::vector<std::uint32_t>(100, 7));
}

TEST(Concatenation, ValuesReadBackInOrder) {
  Rng rng(14);
  for (int round = 0; round < 200; ++round) {
    const auto number = Random<std::int64_t>::make(rng);
    const auto text = Random<std::string>::make(rng);
    const auto point = Random<Point>::make(rng);
    const auto maybe = Random<std::optional<double>>::make(rng);
    const auto list = Random<std::vector<Colour>>::make(rng);
    std::string bytes;
    mrtbb::serialize(bytes, number);
    mrtbb::serialize(bytes, text);
    mrtbb::serialize(bytes, point);
    mrtbb::serialize(bytes, maybe);
    mrtbb::serialize(bytes, list);
    mrtbb::serialize(bytes, text);
    std::string_view in = bytes;
    EXPECT_EQ(mrtbb::deserialize<std::int64_t>(in), number);
    EXPECT_EQ(mrtbb::deserialize<std::string>(in), text);
    EXPECT_EQ(mrtbb::deserialize<Point>(in), point);
    EXPECT_EQ(mrtbb::deserialize<std::optional<double>>(in), maybe);
    EXPECT_EQ(mrtbb::deserialize<std::vector<Colour>>(in), list);
    EXPECT_EQ(mrtbb::deserialize<std::string>(in), text);
    EXPECT_TRUE(in.empty());
  }
}

// The error of reading `bytes` as T, whole.
template <class T>
SerializationError error_of(std::string_view bytes) {
  try {
    mrtbb::from_bytes<T>(bytes);
  } catch (const SerializationError& error) {
    return error;
  }
  ADD_FAILURE() << "no SerializationError reading " << mrtbb::serialized_type_name<T>() << " from "
                << hex(bytes);
  return SerializationError("", "");
}

TEST(Malformed, BytesThatEncodeNoValueAreRejectedWithTheTypeAndReason) {
  using namespace std::string_literals;
  const auto short_string = error_of<std::vector<std::string>>(
      "\x02\x03"
      "ab"s);
  EXPECT_EQ(short_string.type(), "string");
  EXPECT_STREQ(short_string.what(), "cannot read string: needs 3 more bytes, 2 left");

  EXPECT_EQ(error_of<bool>("\x02"s).reason(), "the byte 2 is neither 0 nor 1");
  EXPECT_EQ(error_of<std::optional<int>>("\x05"s).type(), "optional<int32>");
  EXPECT_EQ(error_of<std::string>("\x80\x00"s).reason(), "the length is not in its shortest form");
  EXPECT_EQ(error_of<std::string>("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02"s).reason(),
            "the length does not fit in 64 bits");
  EXPECT_EQ(error_of<std::string>("\x80\x80"s).reason(), "the bytes end inside the length");
  // A count that the bytes left cannot hold is rejected before anything is allocated for it.
  const auto huge = error_of<std::vector<std::uint64_t>>("\xff\xff\xff\xff\xff\xff\xff\xff\x7f"s);
  EXPECT_EQ(huge.type(), "vector<uint64>");
  EXPECT_NE(huge.reason().find("needs at least 8 bytes each, 0 left"), std::string::npos);
  EXPECT_EQ(error_of<std::uint16_t>("\x01\x02\x03"s).reason(), "1 bytes left after the value");
  EXPECT_EQ(error_of<std::int32_t>("\x01"s).what(),
            std::string("cannot read int32: needs 4 more bytes, 1 left"));
  EXPECT_EQ(error_of<Point>("\x01\x02"s).type(), "int32");
  // Types without a name() of their own are named by the compiler.
  EXPECT_NE(mrtbb::serialized_type_name<Point>().find("Point"), std::string::npos);
  EXPECT_NE(mrtbb::serialized_type_name<std::vector<Colour>>().find("vector<"), std::string::npos);
  EXPECT_NE(mrtbb::serialized_type_name<std::vector<Colour>>().find("Colour>"), std::string::npos);
}

// Random bytes read as each type give a value or a SerializationError, never anything else.
template <class T>
void read_garbage(Rng& rng) {
  for (int i = 0; i < 3000; ++i) {
    const std::string bytes = random_bytes(rng, rng() % 48);
    const auto block = std::make_unique<char[]>(bytes.size());
    std::copy(bytes.begin(), bytes.end(), block.get());
    std::string_view in(block.get(), bytes.size());
    try {
      const T value = mrtbb::deserialize<T>(in);
      // Every value has one encoding, so what was read is the value's own.
      EXPECT_EQ(mrtbb::to_bytes(value), bytes.substr(0, bytes.size() - in.size()));
    } catch (const SerializationError&) {
    }
  }
}

TEST(Malformed, RandomBytesNeverCrash) {
  Rng rng(15);
  read_garbage<std::string>(rng);
  read_garbage<Nested>(rng);
  read_garbage<Deep>(rng);
  read_garbage<std::vector<std::optional<bool>>>(rng);
  read_garbage<std::array<Point, 2>>(rng);
}

}  // namespace
