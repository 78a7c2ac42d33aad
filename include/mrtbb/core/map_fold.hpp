#pragma once

// MapReduce with a combiner: when a key's values reduce by an associative and commutative fold
// (sums, counts, minima, set unions), each value is folded into its thread's running value as soon
// as it is emitted, so no list of values is ever kept. Much faster than map_reduce for such jobs;
// map_reduce remains for reductions that need all values, in input order.

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>

#include <boost/unordered/unordered_flat_map.hpp>

#include <cstddef>
#include <ranges>
#include <utility>
#include <vector>

#include "mrtbb/core/combine.hpp"
#include "mrtbb/core/concepts.hpp"
#include "mrtbb/core/errors.hpp"
#include "mrtbb/core/hashing.hpp"
#include "mrtbb/core/options.hpp"
#include "mrtbb/core/reduce.hpp"
#include "mrtbb/core/worker_arena.hpp"

namespace mrtbb {

namespace detail {
// The user's fold, whose exception leaves as a CallbackError naming it.
template <class V, class Fold>
void fold_named(Fold& fold, V& into, V&& value) {
  call_callback("map_fold's fold", [&] { fold_into(fold, into, std::move(value)); });
}
}  // namespace detail

template <class K, class V>
using FoldTable = boost::unordered_flat_map<K, V, DefaultHash<K>, DefaultEqual<K>>;

/// What map_fold's map function emits into: each value is folded into the key's running value.
template <class K, class V, class Fold>
class FoldEmitter {
  static_assert(FoldFunction<Fold, V>);

 public:
  FoldEmitter(FoldTable<K, V>& table, Fold& fold) noexcept : table_(&table), fold_(&fold) {}

  void emit(K key, V value) {
    const auto [slot, inserted] = table_->try_emplace(std::move(key), std::move(value));
    if (!inserted) detail::fold_named(*fold_, slot->second, std::move(value));
  }

 private:
  FoldTable<K, V>* table_;
  Fold* fold_;
};

/// Runs `map(item, emitter)` over `items`, folding every value emitted for a key with `fold`, in
/// place (`void fold(V& into, V&& value)`) or value-returning (`V fold(V, V)`, e.g. std::plus<V>),
/// which must be associative and commutative: values are folded in no set order, per thread first,
/// then across threads. Returns (key, folded value) sorted by key.
/// The emitter's type names the fold, so write the map function with `auto& emitter`.
/// An exception from `map` surfaces as MapError naming the item, one from `fold` as a CallbackError
/// naming "map_fold's fold" (nested in a MapError naming the item when it was folding that item's
/// value); both nest the original. Options::retry is not honoured here (a fold cannot be undone);
/// use map_reduce for retried jobs.
template <class K, class V, std::ranges::random_access_range Items, FoldFunction<V> Fold,
          FoldMapFunction<std::ranges::range_reference_t<const Items>, K, V, Fold> MapFn>
std::vector<std::pair<K, V>> map_fold(const Items& items, MapFn map, Fold fold,
                                      const Options& options = {}) {
  const ResolvedItemJob resolved =
      resolve_item_job(options, static_cast<std::size_t>(std::ranges::size(items)));
  WorkerArena arena(resolved.workers);
  return arena.execute([&] {
    const std::size_t count = static_cast<std::size_t>(std::ranges::size(items));
    const auto first = std::ranges::begin(items);
    tbb::enumerable_thread_specific<FoldTable<K, V>> locals;
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, count, resolved.grain),
        [&](const tbb::blocked_range<std::size_t>& range) {
          FoldEmitter<K, V, Fold> emitter(locals.local(), fold);
          for (std::size_t i = range.begin(); i != range.end(); ++i) {
            try {
              map(first[static_cast<std::ptrdiff_t>(i)], emitter);
            } catch (...) {
              std::throw_with_nested(MapError(i, current_exception_message()));
            }
          }
        },
        tbb::simple_partitioner{});
    std::vector<FoldTable<K, V>*> tables;
    for (auto& table : locals)
      tables.push_back(&table);
    auto results = flatten(combine_by_key(tables, options.partition, resolved.partitions,
                                          [&](V& into, V&& value) {
                                            detail::fold_named(fold, into, std::move(value));
                                          }),
                           [](const auto&) { return true; });
    sort_by_key(results);
    return results;
  });
}

}  // namespace mrtbb
