#pragma once

// Keys and values as bytes, so that pairs can travel between processes. A type is Serializable when
// mrtbb::Serializer<T> is specialised for it; the library specialises it for arithmetic types,
// enumerations, std::string and the standard containers of serializable types. The wire format is
// the same on every platform (docs/serialization.md).

#include <algorithm>
#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "mrtbb/core/errors.hpp"

namespace mrtbb {

/// Bytes that cannot be read back as the type asked for: too few of them, or bytes that are not
/// the encoding of any value of that type.
class SerializationError : public Error {
 public:
  SerializationError(std::string type, std::string reason)
      : Error("cannot read " + type + ": " + reason),
        type_(std::move(type)),
        reason_(std::move(reason)) {}

  /// The type whose bytes were wrong, as serialized_type_name names it.
  const std::string& type() const noexcept { return type_; }
  const std::string& reason() const noexcept { return reason_; }

 private:
  std::string type_;
  std::string reason_;
};

/// Specialise for a type of your own with
///
///     static void write(std::string& out, const T& value);  // appends value's bytes to out
///     static T read(std::string_view& in);  // takes one value's bytes from the front of in
///
/// `read` throws SerializationError when `in` is too short or malformed, and never reads past its
/// end. Optional members: `static std::string name()` for error messages, and
/// `static constexpr std::size_t min_size`, the fewest bytes any value takes (lets a container
/// reject an impossible element count before reading any element).
template <class T>
struct Serializer;

/// T has a Serializer with `write(std::string&, const T&)` and `T read(std::string_view&)`.
template <class T>
concept Serializable = requires(std::string& out, const T& value, std::string_view& in) {
  { Serializer<T>::write(out, value) } -> std::same_as<void>;
  { Serializer<T>::read(in) } -> std::same_as<T>;
};

/// Appends the bytes of `value` to `out`.
template <Serializable T>
void serialize(std::string& out, const T& value) {
  Serializer<T>::write(out, value);
}

/// Reads one T from the front of `in` and removes its bytes from `in`.
template <Serializable T>
T deserialize(std::string_view& in) {
  return Serializer<T>::read(in);
}

/// The bytes of `value` alone.
template <Serializable T>
std::string to_bytes(const T& value) {
  std::string out;
  Serializer<T>::write(out, value);
  return out;
}

/// The T that `bytes` hold, all of them: bytes left over are a SerializationError too.
template <Serializable T>
T from_bytes(std::string_view bytes);

/// The name of T in SerializationError messages: Serializer<T>::name() where it has one, otherwise
/// the compiler's name for T.
template <class T>
std::string serialized_type_name();

/// The fewest bytes that a value of T takes: Serializer<T>::min_size, or 0 when it does not say.
template <class T>
constexpr std::size_t serialized_min_size() {
  if constexpr (requires {
                  { Serializer<T>::min_size } -> std::convertible_to<std::size_t>;
                }) {
    return Serializer<T>::min_size;
  } else {
    return 0;
  }
}

namespace serialization_detail {

template <class T>
std::string compiler_type_name() {
#if defined(__GNUC__) || defined(__clang__)
  // "... [with T = Name; ...]" from GCC, "... [T = Name]" from Clang.
  const std::string_view signature = __PRETTY_FUNCTION__;
  const std::size_t start = signature.find("T = ");
  if (start != std::string_view::npos) {
    std::size_t end = signature.find(';', start);
    if (end == std::string_view::npos) end = signature.rfind(']');
    if (end != std::string_view::npos && end > start + 4) {
      return std::string(signature.substr(start + 4, end - start - 4));
    }
  }
#endif
  return typeid(T).name();
}

template <class T>
[[noreturn]] void fail(const std::string& reason) {
  throw SerializationError(serialized_type_name<T>(), reason);
}

// The bytes of a value whose Serializer reads exactly `count` more; throws when fewer are left.
template <class T>
std::string_view take(std::string_view& in, std::uint64_t count) {
  if (count > in.size()) {
    fail<T>("needs " + std::to_string(count) + " more bytes, " + std::to_string(in.size()) +
            " left");
  }
  const std::string_view bytes = in.substr(0, static_cast<std::size_t>(count));
  in.remove_prefix(bytes.size());
  return bytes;
}

#ifdef __SIZEOF_INT128__
__extension__ typedef __int128 int128;
__extension__ typedef unsigned __int128 uint128;
#endif

// The unsigned type of the same width as an integer type, whose bits go on the wire.
template <class T>
struct WireBits {};
template <class T>
requires(std::integral<T> && !std::same_as<T, bool>) struct WireBits<T> {
  using type = std::make_unsigned_t<T>;
};
#ifdef __SIZEOF_INT128__
// Under -std=c++20 (not gnu++20) the standard traits do not count these as integers.
template <>
struct WireBits<int128> {
  using type = uint128;
};
template <>
struct WireBits<uint128> {
  using type = uint128;
};
#endif

template <class T>
concept WireInteger = requires {
  typename WireBits<T>::type;
};

// The unsigned integer holding the bits of a floating-point type of this size.
template <std::size_t Size>
struct FloatBits {};
template <>
struct FloatBits<4> {
  using type = std::uint32_t;
};
template <>
struct FloatBits<8> {
  using type = std::uint64_t;
};
#ifdef __SIZEOF_INT128__
template <>
struct FloatBits<16> {
  using type = uint128;
};
#endif

// Little-endian whatever the machine's order: byte i holds bits 8i to 8i+7.
template <class U>
void append_little_endian(std::string& out, U bits) {
  std::array<char, sizeof(U)> bytes;
  for (std::size_t i = 0; i < sizeof(U); ++i)
    bytes[i] = static_cast<char>(static_cast<unsigned char>(bits >> (8 * i)));
  out.append(bytes.data(), bytes.size());
}

template <class T, class U>
U take_little_endian(std::string_view& in) {
  const std::string_view bytes = take<T>(in, sizeof(U));
  U bits = 0;
  for (std::size_t i = 0; i < sizeof(U); ++i)
    bits |= static_cast<U>(static_cast<U>(static_cast<unsigned char>(bytes[i])) << (8 * i));
  return bits;
}

// LEB128: seven bits a byte, least significant first, the high bit set on every byte but the last.
inline void append_varint(std::string& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>(static_cast<unsigned char>(value | 0x80)));
    value >>= 7;
  }
  out.push_back(static_cast<char>(static_cast<unsigned char>(value)));
}

// Only the shortest encoding of a number is accepted, so that equal values have equal bytes.
template <class T>
std::uint64_t take_varint(std::string_view& in, std::string_view what) {
  std::uint64_t value = 0;
  for (std::size_t i = 0;; ++i) {
    if (i == in.size()) fail<T>("the bytes end inside the " + std::string(what));
    const auto byte = static_cast<unsigned char>(in[i]);
    if (i == 9 && byte > 1) fail<T>("the " + std::string(what) + " does not fit in 64 bits");
    value |= std::uint64_t{byte & 0x7Fu} << (7 * i);
    if (byte < 0x80) {
      if (byte == 0 && i > 0) fail<T>("the " + std::string(what) + " is not in its shortest form");
      in.remove_prefix(i + 1);
      return value;
    }
  }
}

// The element count of a container, checked against the bytes left where each element takes at
// least one, so that garbage cannot make a reader reserve memory for elements that are not there.
template <class Container, class Element>
std::size_t take_count(std::string_view& in) {
  const std::uint64_t count = take_varint<Container>(in, "element count");
  constexpr std::size_t least = serialized_min_size<Element>();
  if (least > 0 && count > in.size() / least) {
    fail<Container>("the element count " + std::to_string(count) + " needs at least " +
                    std::to_string(least) + " bytes each, " + std::to_string(in.size()) + " left");
  }
  return static_cast<std::size_t>(count);
}

}  // namespace serialization_detail

template <class T>
std::string serialized_type_name() {
  if constexpr (requires {
                  { Serializer<T>::name() } -> std::convertible_to<std::string>;
                }) {
    return Serializer<T>::name();
  } else {
    return serialization_detail::compiler_type_name<T>();
  }
}

template <Serializable T>
T from_bytes(std::string_view bytes) {
  T value = Serializer<T>::read(bytes);
  if (!bytes.empty()) {
    serialization_detail::fail<T>(std::to_string(bytes.size()) + " bytes left after the value");
  }
  return value;
}

// Integers and characters: their two's complement bits, sizeof(T) bytes, little-endian.
template <class T>
requires serialization_detail::WireInteger<T>
struct Serializer<T> {
  using Bits = typename serialization_detail::WireBits<T>::type;
  static constexpr std::size_t min_size = sizeof(T);

  static std::string name() {
    if constexpr (std::same_as<T, char>) {
      return "char";
    } else if constexpr (std::same_as<T, wchar_t>) {
      return "wchar_t";
    } else if constexpr (std::same_as<T, char8_t>) {
      return "char8_t";
    } else if constexpr (std::same_as<T, char16_t>) {
      return "char16_t";
    } else if constexpr (std::same_as<T, char32_t>) {
      return "char32_t";
    } else {
      return (std::same_as<T, Bits> ? "uint" : "int") + std::to_string(8 * sizeof(T));
    }
  }
  static void write(std::string& out, const T& value) {
    serialization_detail::append_little_endian(out, static_cast<Bits>(value));
  }
  static T read(std::string_view& in) {
    return static_cast<T>(serialization_detail::take_little_endian<T, Bits>(in));
  }
};

// One byte, 0 or 1; any other byte is malformed.
template <>
struct Serializer<bool> {
  static constexpr std::size_t min_size = 1;

  static std::string name() { return "bool"; }
  static void write(std::string& out, const bool& value) { out.push_back(value ? '\1' : '\0'); }
  static bool read(std::string_view& in) {
    const auto byte = static_cast<unsigned char>(serialization_detail::take<bool>(in, 1)[0]);
    if (byte > 1) {
      serialization_detail::fail<bool>("the byte " + std::to_string(byte) + " is neither 0 nor 1");
    }
    return byte == 1;
  }
};

// float and double: their IEEE 754 bits, little-endian. long double: the platform's format, its
// significant bytes only (10 for the x87 80-bit format), little-endian; every rank must share it.
template <std::floating_point T>
struct Serializer<T> {
  static constexpr bool x87 = std::numeric_limits<T>::digits == 64 && sizeof(T) >= 10 &&
                              std::endian::native == std::endian::little;
  static constexpr std::size_t min_size = x87 ? 10 : sizeof(T);

  static std::string name() {
    if constexpr (std::same_as<T, long double>) {
      return "long double";
    } else {
      return "float" + std::to_string(8 * sizeof(T));
    }
  }
  static void write(std::string& out, const T& value) {
    if constexpr (x87) {
      // The bytes past the tenth are padding, with no fixed value.
      const auto bytes = std::bit_cast<std::array<unsigned char, sizeof(T)>>(value);
      out.append(reinterpret_cast<const char*>(bytes.data()), min_size);
    } else {
      using Bits = typename serialization_detail::FloatBits<sizeof(T)>::type;
      serialization_detail::append_little_endian(out, std::bit_cast<Bits>(value));
    }
  }
  static T read(std::string_view& in) {
    if constexpr (x87) {
      const std::string_view wire = serialization_detail::take<T>(in, min_size);
      std::array<unsigned char, sizeof(T)> bytes{};
      for (std::size_t i = 0; i < min_size; ++i)
        bytes[i] = static_cast<unsigned char>(wire[i]);
      return std::bit_cast<T>(bytes);
    } else {
      using Bits = typename serialization_detail::FloatBits<sizeof(T)>::type;
      return std::bit_cast<T>(serialization_detail::take_little_endian<T, Bits>(in));
    }
  }
};

// Enumerations with a fixed underlying type (every enum class, and `enum E : int`): that integer.
// Any integer of that type is a value of such an enumeration; of one without, a value outside the
// range of its enumerators is not, and garbage must not make one.
template <class T>
requires(std::is_enum_v<T>&& requires { T{std::underlying_type_t<T>{}}; }) struct Serializer<T> {
  using Underlying = std::underlying_type_t<T>;
  static constexpr std::size_t min_size = serialized_min_size<Underlying>();

  static void write(std::string& out, const T& value) {
    Serializer<Underlying>::write(out, static_cast<Underlying>(value));
  }
  static T read(std::string_view& in) { return static_cast<T>(Serializer<Underlying>::read(in)); }
};

// The length as a varint, then the bytes as they are.
template <>
struct Serializer<std::string> {
  static constexpr std::size_t min_size = 1;

  static std::string name() { return "string"; }
  static void write(std::string& out, const std::string& value) {
    serialization_detail::append_varint(out, value.size());
    out.append(value);
  }
  static std::string read(std::string_view& in) { return std::string(read_view(in)); }
  /// The string's bytes where they lie in `in`, not copied: to look a key up before keeping it.
  static std::string_view read_view(std::string_view& in) {
    const std::uint64_t length = serialization_detail::take_varint<std::string>(in, "length");
    return serialization_detail::take<std::string>(in, length);
  }
};

// The element count as a varint, then the elements in order.
template <Serializable T>
struct Serializer<std::vector<T>> {
  static constexpr std::size_t min_size = 1;

  static std::string name() { return "vector<" + serialized_type_name<T>() + ">"; }
  static void write(std::string& out, const std::vector<T>& value) {
    serialization_detail::append_varint(out, value.size());
    for (const T& element : value)
      Serializer<T>::write(out, element);
  }
  static std::vector<T> read(std::string_view& in) {
    const std::size_t count = serialization_detail::take_count<std::vector<T>, T>(in);
    std::vector<T> value;
    value.reserve(std::min(count, in.size()));
    for (std::size_t i = 0; i < count; ++i)
      value.push_back(Serializer<T>::read(in));
    return value;
  }
};

// A byte, 0 when empty and 1 when a value follows.
template <Serializable T>
struct Serializer<std::optional<T>> {
  static constexpr std::size_t min_size = 1;

  static std::string name() { return "optional<" + serialized_type_name<T>() + ">"; }
  static void write(std::string& out, const std::optional<T>& value) {
    out.push_back(value ? '\1' : '\0');
    if (value) Serializer<T>::write(out, *value);
  }
  static std::optional<T> read(std::string_view& in) {
    const auto tag =
        static_cast<unsigned char>(serialization_detail::take<std::optional<T>>(in, 1)[0]);
    if (tag > 1) {
      serialization_detail::fail<std::optional<T>>("the presence byte " + std::to_string(tag) +
                                                   " is neither 0 nor 1");
    }
    if (tag == 0) return std::nullopt;
    return Serializer<T>::read(in);
  }
};

// Pairs, tuples and arrays: their elements in order, nothing else (an array's size is its type's).
template <Serializable A, Serializable B>
struct Serializer<std::pair<A, B>> {
  static constexpr std::size_t min_size = serialized_min_size<A>() + serialized_min_size<B>();

  static std::string name() {
    return "pair<" + serialized_type_name<A>() + ", " + serialized_type_name<B>() + ">";
  }
  static void write(std::string& out, const std::pair<A, B>& value) {
    Serializer<A>::write(out, value.first);
    Serializer<B>::write(out, value.second);
  }
  static std::pair<A, B> read(std::string_view& in) {
    // The elements of a braced list are evaluated in order.
    return std::pair<A, B>{Serializer<A>::read(in), Serializer<B>::read(in)};
  }
};

template <Serializable... Ts>
struct Serializer<std::tuple<Ts...>> {
  static constexpr std::size_t min_size = (std::size_t{0} + ... + serialized_min_size<Ts>());

  static std::string name() {
    std::string names;
    ((names += (names.empty() ? "" : ", ") + serialized_type_name<Ts>()), ...);
    return "tuple<" + names + ">";
  }
  static void write(std::string& out, const std::tuple<Ts...>& value) {
    std::apply([&out](const Ts&... elements) { (Serializer<Ts>::write(out, elements), ...); },
               value);
  }
  static std::tuple<Ts...> read([[maybe_unused]] std::string_view& in) {
    return std::tuple<Ts...>{Serializer<Ts>::read(in)...};
  }
};

template <Serializable T, std::size_t N>
struct Serializer<std::array<T, N>> {
  static constexpr std::size_t min_size = N * serialized_min_size<T>();

  static std::string name() {
    return "array<" + serialized_type_name<T>() + ", " + std::to_string(N) + ">";
  }
  static void write(std::string& out, const std::array<T, N>& value) {
    for (const T& element : value)
      Serializer<T>::write(out, element);
  }
  static std::array<T, N> read([[maybe_unused]] std::string_view& in) {
    return read(in, std::make_index_sequence<N>());
  }

 private:
  template <std::size_t... I>
  static std::array<T, N> read(std::string_view& in, std::index_sequence<I...>) {
    return std::array<T, N>{(static_cast<void>(I), Serializer<T>::read(in))...};
  }
};

}  // namespace mrtbb
