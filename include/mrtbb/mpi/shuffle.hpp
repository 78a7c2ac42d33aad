#pragma once

// The shuffle: every rank sends each combined (key, value) to the rank that owns the key, where the
// values of a key from all ranks are combined. Pairs travel serialised, in rounds of a bounded
// number of bytes, so that a rank's buffers stay bounded however much it holds.

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "mrtbb/core/combine.hpp"
#include "mrtbb/core/emitter.hpp"
#include "mrtbb/core/hashing.hpp"
#include "mrtbb/core/serialization.hpp"
#include "mrtbb/mpi/agreement.hpp"
#include "mrtbb/mpi/byte_exchange.hpp"
#include "mrtbb/mpi/communicator.hpp"
#include "mrtbb/mpi/key_placement.hpp"

namespace mrtbb {

/// A value of a job without a combiner, with the chunk it came from (which puts it in input order).
template <Serializable V>
struct Serializer<Tagged<V>> {
  static constexpr std::size_t min_size = 8 + serialized_min_size<V>();
  static std::string name() { return "Tagged<" + serialized_type_name<V>() + ">"; }
  static void write(std::string& out, const Tagged<V>& tagged) {
    Serializer<std::uint64_t>::write(out, tagged.item);
    Serializer<V>::write(out, tagged.value);
  }
  static Tagged<V> read(std::string_view& in) {
    const auto item = static_cast<std::size_t>(Serializer<std::uint64_t>::read(in));
    return Tagged<V>{item, Serializer<V>::read(in)};
  }
};

}  // namespace mrtbb

namespace mrtbb::mpi::detail {

/// The bytes a rank puts in one round of an exchange: `round_bytes`, within what one MPI message
/// can carry from every rank at once. A single item may add up to as much again.
inline std::size_t round_budget(std::size_t round_bytes, int ranks) {
  return std::max<std::size_t>(
      1, std::min<std::size_t>(round_bytes,
                               max_message_bytes / (2 * static_cast<std::uint64_t>(ranks))));
}

/// Sends every pair of `local` to the rank placement names for its key, and combines the pairs
/// this rank receives with merge(Mapped& into, Mapped&& from). Returns this rank's keys, split into
/// `parts` parts for a parallel reduce. Collective: every rank calls it, and it returns once every
/// rank has sent all it holds; a failure on any rank (a Serializer or the merge throwing, a pair
/// too large for a round) is agreed on at the end (see agreement.hpp).
template <class K, class Mapped, class Merge>
Partitions<K, Mapped> shuffle_by_key(const Communicator& communicator,
                                     Partitions<K, Mapped>&& local, Merge& merge,
                                     const KeyPlacement& placement, std::size_t round_bytes,
                                     std::size_t parts) {
  const auto ranks = static_cast<std::size_t>(communicator.size());
  const int rank = communicator.rank();
  const std::size_t budget = round_budget(round_bytes, communicator.size());
  boost::unordered_flat_map<K, Mapped, DefaultHash<K>, DefaultEqual<K>> owned;
  std::exception_ptr error;
  // About a share of the keys of every rank is this rank's: room for as many as this rank holds
  // spares most of the growing.
  std::size_t held = 0;
  for (const auto& part : local)
    held += part.size();
  owned.reserve(held);
  // Takes a pair this rank owns; a std::string key is looked up where it lies in the bytes
  // received, and copied only when it is new here.
  const auto take = [&](auto&& key, Mapped&& value) {
    if (auto found = owned.find(key); found != owned.end()) {
      merge(found->second, std::move(value));
    } else {
      owned.emplace(K(std::forward<decltype(key)>(key)), std::move(value));
    }
  };

  std::size_t partition = 0;
  std::size_t entry = 0;
  const auto exhausted = [&] {
    while (partition < local.size() && entry == local[partition].size()) {
      std::vector<std::pair<K, Mapped>>().swap(local[partition]);
      ++partition;
      entry = 0;
    }
    return partition == local.size();
  };
  std::vector<std::string> outgoing(ranks);
  for (;;) {
    for (std::string& bytes : outgoing)
      bytes.clear();
    std::size_t filled = 0;
    if (!error) {
      try {
        while (filled < budget && !exhausted()) {
          auto& [key, value] = local[partition][entry++];
          const int owner = placement.owner(key);
          if (owner == rank) {
            take(std::move(key), std::move(value));
            continue;
          }
          std::string& bytes = outgoing[static_cast<std::size_t>(owner)];
          const std::size_t before = bytes.size();
          serialize(bytes, key);
          serialize(bytes, value);
          const std::size_t pair_bytes = bytes.size() - before;
          if (pair_bytes > budget && pair_bytes > max_message_bytes / (2 * ranks)) {
            throw Error("the shuffle: a pair of " + std::to_string(pair_bytes) +
                        " bytes is more than one round can carry across " + std::to_string(ranks) +
                        " ranks");
          }
          filled += pair_bytes;
        }
      } catch (...) {
        error = std::current_exception();
        for (std::string& bytes : outgoing)
          bytes.clear();
        filled = 0;
      }
    }
    // A rank that failed goes on exchanging (sending nothing) until every rank is done.
    if (!any_rank(communicator, filled > 0)) break;
    std::vector<std::string> received = all_to_all_bytes(communicator, outgoing);
    if (error) continue;
    try {
      for (const std::string& bytes : received) {
        std::string_view in = bytes;
        while (!in.empty()) {
          if constexpr (std::same_as<K, std::string>) {
            const std::string_view key = Serializer<std::string>::read_view(in);
            take(key, deserialize<Mapped>(in));
          } else {
            K key = deserialize<K>(in);
            take(std::move(key), deserialize<Mapped>(in));
          }
        }
      }
    } catch (...) {
      error = std::current_exception();
    }
  }
  agree(communicator, error);

  Partitions<K, Mapped> mine(std::max<std::size_t>(parts, 1));
  const std::size_t per_part = owned.size() / mine.size() + 1;
  std::size_t part = 0;
  for (auto& [key, value] : owned) {
    if (mine[part].size() == per_part) ++part;
    mine[part].emplace_back(std::move(const_cast<K&>(key)), std::move(value));
  }
  return mine;
}

}  // namespace mrtbb::mpi::detail
