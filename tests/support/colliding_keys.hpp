#pragma once

// Keys an attacker could have sent when the short-key hash had no seed: shared by the test that
// shows the per-process seed spreads them and the benchmark that shows they run at normal speed.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
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

}  // namespace mrtbb::testing
