#pragma once

// The thread-local tables of a file job's map phase, and the emitters a map function writes into.
// Which table a job uses follows from its combiner: CountTable for sums of counts (word counting),
// a FoldingTable for any other combiner, a ValueListTable when there is none.

#include <boost/unordered/unordered_flat_map.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "mrtbb/core/concepts.hpp"
#include "mrtbb/core/count_table.hpp"
#include "mrtbb/core/emitter.hpp"
#include "mrtbb/core/errors.hpp"
#include "mrtbb/core/hashing.hpp"

namespace mrtbb {

/// How a map function passes a key of type K: a std::string key as a view (the table copies it only
/// when it first stores it), any other key as itself.
template <class K>
using EmittedKey = std::conditional_t<std::same_as<K, std::string>, std::string_view, const K&>;

/// A job's combiner that adds values: `into += value`. With std::string keys and std::uint64_t
/// values it makes the job a count, run on CountTable.
struct Sum {
  template <class V>
  void operator()(V& into, V&& value) const {
    into += value;
  }
};

namespace detail {
// The user's combiner, whose exception leaves as a CallbackError naming it.
template <class V, class Combine>
void combine_named(Combine& combine, V& into, V&& value) {
  call_callback("the job's combiner", [&] { fold_into(combine, into, std::move(value)); });
}
}  // namespace detail

/// One thread's pairs of a job with a combiner: key -> the fold of every value emitted for it.
template <class K, class V, FoldFunction<V> Combine>
class FoldingTable {
 public:
  using Map = boost::unordered_flat_map<K, V, DefaultHash<K>, DefaultEqual<K>>;
  using key_type = K;
  using mapped_type = V;
  using hasher = typename Map::hasher;
  using key_equal = typename Map::key_equal;

  class Emitter {
   public:
    explicit Emitter(FoldingTable& table) noexcept : table_(&table) {}
    void emit(EmittedKey<K> key, V value) {
      ++table_->emitted_;
      table_->fold(key, std::move(value));
    }

   private:
    FoldingTable* table_;
  };

  explicit FoldingTable(Combine& combine) : combine_(&combine) {}

  Emitter emitter(std::uint64_t /*chunk*/) noexcept { return Emitter(*this); }

  /// Folds every pair of `staging` into this table and empties it.
  void absorb(FoldingTable& staging) {
    for (auto& [key, value] : staging.map_)
      fold(key, std::move(value));
    emitted_ += staging.emitted_;
    staging.clear();
  }

  void clear() {
    map_.clear();
    emitted_ = 0;
  }
  std::size_t size() const noexcept { return map_.size(); }
  bool empty() const noexcept { return map_.empty(); }
  std::uint64_t emitted() const noexcept { return emitted_; }
  hasher hash_function() const { return map_.hash_function(); }

  template <class Visitor>
  void drain(Visitor&& visit) {
    for (auto& entry : map_)
      visit(std::move(const_cast<K&>(entry.first)), std::move(entry.second));
    clear();
  }

 private:
  template <class Key>
  void fold(const Key& key, V&& value) {
    if (const auto slot = map_.find(key); slot != map_.end()) {
      detail::combine_named(*combine_, slot->second, std::move(value));
    } else {
      map_.emplace(K(key), std::move(value));
    }
  }

  Map map_;
  Combine* combine_;
  std::uint64_t emitted_ = 0;
};

/// One thread's pairs of a job without a combiner: key -> every value emitted for it, each tagged
/// with its chunk. A chunk is mapped by one thread, in order, so sorting a key's values stably by
/// chunk puts them back in input order.
template <class K, class V>
class ValueListTable {
 public:
  using Values = std::vector<Tagged<V>>;
  using Map = boost::unordered_flat_map<K, Values, DefaultHash<K>, DefaultEqual<K>>;
  using key_type = K;
  using mapped_type = Values;
  using hasher = typename Map::hasher;
  using key_equal = typename Map::key_equal;

  class Emitter {
   public:
    Emitter(ValueListTable& table, std::uint64_t chunk) noexcept : table_(&table), chunk_(chunk) {}
    void emit(EmittedKey<K> key, V value) {
      ++table_->emitted_;
      table_->values_of(key).push_back(Tagged<V>{chunk_, std::move(value)});
    }

   private:
    ValueListTable* table_;
    std::size_t chunk_;
  };

  Emitter emitter(std::uint64_t chunk) noexcept { return Emitter(*this, chunk); }

  void absorb(ValueListTable& staging) {
    for (auto& [key, values] : staging.map_) {
      Values& into = values_of(key);
      into.insert(into.end(), std::make_move_iterator(values.begin()),
                  std::make_move_iterator(values.end()));
    }
    emitted_ += staging.emitted_;
    staging.clear();
  }

  void clear() {
    map_.clear();
    emitted_ = 0;
  }
  std::size_t size() const noexcept { return map_.size(); }
  bool empty() const noexcept { return map_.empty(); }
  std::uint64_t emitted() const noexcept { return emitted_; }
  hasher hash_function() const { return map_.hash_function(); }

  template <class Visitor>
  void drain(Visitor&& visit) {
    for (auto& entry : map_)
      visit(std::move(const_cast<K&>(entry.first)), std::move(entry.second));
    clear();
  }

 private:
  template <class Key>
  Values& values_of(const Key& key) {
    if (const auto slot = map_.find(key); slot != map_.end()) return slot->second;
    return map_.emplace(K(key), Values{}).first->second;
  }

  Map map_;
  std::uint64_t emitted_ = 0;
};

}  // namespace mrtbb
