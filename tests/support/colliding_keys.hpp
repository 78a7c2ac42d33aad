#pragma once

// Keys an attacker could have sent when the short-key hash had no seed: shared by the test that
// shows the per-process seed spreads them and the benchmark that shows they run at normal speed.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace mrtbb::testing {

/// Distinct 16-byte keys whose last 8 bytes cancel the second factor of the short-key hash, so
/// that all of them hash to 0 under HashSeed{} (the hash as it was before it was seeded).
inline std::vector<std::string> keys_colliding_without_a_seed(std::size_t count) {
  const std::uint64_t tail = 0xd6e8feb86659fd93ULL ^ (std::uint64_t{16} << 56);
  std::vector<std::string> keys;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::string key(16, '\0');
    const std::uint64_t head = 0x6b65790000000000ULL + i;
    std::memcpy(key.data(), &head, 8);
    std::memcpy(key.data() + 8, &tail, 8);
    keys.push_back(std::move(key));
  }
  return keys;
}

/// Distinct keys of `size` bytes, 24 <= size <= 32, all of whose halves cancel a first factor of
/// the hash of keys of 17 to 32 bytes, so that all of them hash to 0 under HashSeed{}. Their
/// varying bytes are lowercase letters, so that a text of them splits on blanks into the keys.
inline std::vector<std::string> wide_keys_colliding_without_a_seed(std::size_t count,
                                                                   std::size_t size) {
  const std::uint64_t front_head = 0x9e3779b97f4a7c15ULL;
  const std::uint64_t back_head = 0x9e3779b97f4a7c15ULL ^ 0x165667b19e3779f9ULL;
  std::vector<std::string> keys;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::string key(size, 'a');
    std::memcpy(key.data(), &front_head, 8);
    std::memcpy(key.data() + 16, &back_head, 8);
    std::uint64_t digits = i;
    for (std::size_t at : {8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31}) {
      if (at >= size) break;
      key[at] = static_cast<char>('a' + digits % 26);
      digits /= 26;
    }
    keys.push_back(std::move(key));
  }
  return keys;
}

/// Two keys of `size` bytes, 17 <= size <= 32, that hashed alike under every seed while the hash of
/// such keys added the products of its two halves unrotated: each key's front half is the other's
/// back half with its words swapped and shifted by the hash's constants.
inline std::pair<std::string, std::string> wide_keys_with_traded_halves(std::size_t size) {
  const std::uint64_t length = std::uint64_t{size} << 56;
  const auto front_for = [&](const std::string& back) {
    std::uint64_t words[2] = {};
    std::memcpy(words, back.data(), back.size());
    return std::pair{
        words[1] ^ 0x27d4eb2f165667c5ULL ^ 0xd6e8feb86659fd93ULL ^ 0x9e3779b97f4a7c15ULL ^ length,
        words[0] ^ 0x165667b19e3779f9ULL ^ 0x9e3779b97f4a7c15ULL ^ 0xd6e8feb86659fd93ULL ^ length};
  };
  const auto key = [&](const std::string& back_of_other, const std::string& back) {
    const auto [head, tail] = front_for(back_of_other);
    std::string bytes(16, '\0');
    std::memcpy(bytes.data(), &head, 8);
    std::memcpy(bytes.data() + 8, &tail, 8);
    return bytes + back;
  };
  const std::string y(size - 16, 'y');
  const std::string q(size - 16, 'q');
  return {key(q, y), key(y, q)};
}

}  // namespace mrtbb::testing
