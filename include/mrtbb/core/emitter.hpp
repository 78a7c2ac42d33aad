#pragma once

#include <boost/unordered/unordered_flat_map.hpp>

#include <cstddef>
#include <utility>
#include <vector>

#include "mrtbb/core/hashing.hpp"

namespace mrtbb {

/// A value emitted by an item job, tagged with the index of the item that emitted it so that the
/// values of a key can be put back in input order whatever thread emitted them.
template <class V>
struct Tagged {
  std::size_t item;
  V value;
};

/// One thread's grouping of an item job: key -> every value emitted for it on this thread.
template <class K, class V>
using GroupTable =
    boost::unordered_flat_map<K, std::vector<Tagged<V>>, DefaultHash<K>, DefaultEqual<K>>;

/// What an item job's map function emits key/value pairs into: straight into the thread's table,
/// or, when the job retries or skips failed items, into a staging list that is kept only if the
/// item's map returns normally.
template <class K, class V>
class Emitter {
 public:
  Emitter(GroupTable<K, V>& table, std::size_t item) noexcept : table_(&table), item_(item) {}
  Emitter(std::vector<std::pair<K, V>>& staging, std::size_t item) noexcept
      : staging_(&staging), item_(item) {}

  void emit(K key, V value) {
    if (staging_ != nullptr) {
      staging_->emplace_back(std::move(key), std::move(value));
    } else {
      (*table_)[std::move(key)].push_back(Tagged<V>{item_, std::move(value)});
    }
  }

 private:
  GroupTable<K, V>* table_ = nullptr;
  std::vector<std::pair<K, V>>* staging_ = nullptr;
  std::size_t item_;
};

}  // namespace mrtbb
