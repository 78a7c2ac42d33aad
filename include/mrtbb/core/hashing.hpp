#pragma once

#include <boost/container_hash/hash.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <type_traits>

#include <xxhash.h>  // linked (mrtbb::xxhash): no macro of ours reaches the user's code

namespace mrtbb {

/// The secret that the library's key hashes are keyed with. Input crafted so that many keys share a
/// hash (and so one probe chain of a table) needs the seed; results never depend on it, because
/// every result is put in an order of its own (count, then key) before it is returned.
struct HashSeed {
  std::uint64_t head = 0;
  std::uint64_t tail = 0;
};

namespace detail {

inline HashSeed draw_hash_seed() {
  std::random_device entropy;
  const auto word = [&] { return std::uint64_t{entropy()} << 32 | entropy(); };
  const std::uint64_t head = word();
  return {head, word()};
}

inline std::atomic<const HashSeed*>& hash_seed_override() {
  static std::atomic<const HashSeed*> seed{nullptr};
  return seed;
}

}  // namespace detail

/// This process's seed, drawn from std::random_device the first time it is asked for.
inline HashSeed process_hash_seed() {
  if (const HashSeed* seed = detail::hash_seed_override().load(std::memory_order_acquire)) {
    return *seed;
  }
  static const HashSeed drawn = detail::draw_hash_seed();
  return drawn;
}

/// For tests only, to run the same job under seeds of their choice: while one lives, tables and
/// hashers made in this process take `seed` instead of the process's own. Not for concurrent use.
class ScopedHashSeedForTesting {
 public:
  explicit ScopedHashSeedForTesting(HashSeed seed)
      : seed_(seed), previous_(detail::hash_seed_override().exchange(&seed_)) {}
  ~ScopedHashSeedForTesting() { detail::hash_seed_override().store(previous_); }
  ScopedHashSeedForTesting(const ScopedHashSeedForTesting&) = delete;
  ScopedHashSeedForTesting& operator=(const ScopedHashSeedForTesting&) = delete;

 private:
  HashSeed seed_;
  const HashSeed* previous_;
};

/// XXH3 over the bytes of a string, keyed with the process's seed. Transparent, so tables of
/// std::string are probed with std::string_view and no key is allocated just to look it up.
struct StringHash {
  using is_transparent = void;
  // XXH3 mixes every input bit into every output bit: flat tables may skip their own post-mix.
  using is_avalanching = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return static_cast<std::size_t>(XXH3_64bits_withSeed(s.data(), s.size(), seed.head));
  }
  HashSeed seed = process_hash_seed();
};

struct StringEqual {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
};

/// The hash the library uses for keys of type K: StringHash for strings, boost::hash otherwise.
template <class K>
using DefaultHash = std::conditional_t<std::is_convertible_v<const K&, std::string_view>,
                                       StringHash, boost::hash<K>>;

template <class K>
using DefaultEqual = std::conditional_t<std::is_convertible_v<const K&, std::string_view>,
                                        StringEqual, std::equal_to<K>>;

/// Which of `partition_count` (a power of two) partitions a key hash belongs to. The bits come from
/// the middle of the hash: flat tables take their slot from the top bits and their tag from the
/// lowest byte, so a partition's keys still spread over a whole table.
constexpr std::size_t partition_of(std::size_t hash, std::size_t partition_count) noexcept {
  return (hash >> 8) & (partition_count - 1);
}

}  // namespace mrtbb
