#pragma once

#include <cstdint>
#include <string_view>
#include <type_traits>

#include <boost/container_hash/hash.hpp>

#include "mrtbb/core/hashing.hpp"

namespace mrtbb::mpi {

/// Which rank owns a key: the same on every rank, since all place keys with the seed rank 0 drew,
/// and unrelated to the hashes that place keys in a rank's own tables and partitions.
class KeyPlacement {
 public:
  KeyPlacement(HashSeed seed, int ranks) noexcept
      : seed_(seed.tail), ranks_(static_cast<std::uint64_t>(ranks)) {}

  template <class K>
  int owner(const K& key) const noexcept {
    std::uint64_t hash;
    if constexpr (std::is_convertible_v<const K&, std::string_view>) {
      const std::string_view bytes = key;
      hash = XXH3_64bits_withSeed(bytes.data(), bytes.size(), seed_);
    } else {
      const std::uint64_t plain = boost::hash<K>{}(key);
      hash = XXH3_64bits_withSeed(&plain, sizeof plain, seed_);
    }
    __extension__ using Wide = unsigned __int128;
    return static_cast<int>((Wide{hash} * ranks_) >> 64);
  }

 private:
  std::uint64_t seed_;
  std::uint64_t ranks_;
};

}  // namespace mrtbb::mpi
