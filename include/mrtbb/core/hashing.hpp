#pragma once

#include <boost/container_hash/hash.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

#ifndef XXH_INLINE_ALL
#define XXH_INLINE_ALL  // xxhash's header-only mode: nothing to link, and XXH3 inlines into
                        // lookups.
#endif
#include <xxhash.h>

namespace mrtbb {

/// XXH3 over the bytes of a string. Transparent, so tables of std::string are probed with
/// std::string_view and no key is allocated just to look it up.
struct StringHash {
  using is_transparent = void;
  // XXH3 mixes every input bit into every output bit: flat tables may skip their own post-mix.
  using is_avalanching = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return static_cast<std::size_t>(XXH3_64bits(s.data(), s.size()));
  }
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
