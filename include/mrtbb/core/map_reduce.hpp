#pragma once

// MapReduce over in-memory items: map each item to key/value pairs, group the values by key
// (the partition step), and reduce each key's values. Results are the same for every worker count
// and grain: keys come out sorted, and each key's values reach `reduce` in input order.

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_sort.h>
#include <oneapi/tbb/partitioner.h>

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <ranges>
#include <utility>
#include <vector>

#include "mrtbb/core/combine.hpp"
#include "mrtbb/core/emitter.hpp"
#include "mrtbb/core/errors.hpp"
#include "mrtbb/core/options.hpp"
#include "mrtbb/core/reduce.hpp"
#include "mrtbb/core/worker_arena.hpp"

namespace mrtbb {

namespace detail {

template <class K, class V, class Items, class MapFn>
Partitions<K, std::vector<Tagged<V>>> map_and_partition(const Items& items, MapFn& map,
                                                        const Options& options,
                                                        const ResolvedOptions& resolved) {
  const std::size_t count = static_cast<std::size_t>(std::ranges::size(items));
  const auto first = std::ranges::begin(items);
  const std::size_t grain = item_grain(options, count, resolved.workers);

  tbb::enumerable_thread_specific<GroupTable<K, V>> locals;
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, count, grain),
      [&](const tbb::blocked_range<std::size_t>& range) {
        auto& table = locals.local();
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
          Emitter<K, V> emitter(table, i);
          try {
            map(first[static_cast<std::ptrdiff_t>(i)], emitter);
          } catch (...) {
            std::throw_with_nested(MapError(i, current_exception_message()));
          }
        }
      },
      tbb::simple_partitioner{});

  std::vector<GroupTable<K, V>*> tables;
  for (auto& table : locals)
    tables.push_back(&table);
  return combine_by_key(tables, options.partition, resolved.partitions,
                        [](std::vector<Tagged<V>>& into, std::vector<Tagged<V>>&& from) {
                          into.insert(into.end(), std::make_move_iterator(from.begin()),
                                      std::make_move_iterator(from.end()));
                        });
}

// Each item's values were appended by one thread in emission order, so a stable sort by item index
// restores the order a sequential run would have produced.
template <class V>
std::vector<V> in_input_order(std::vector<Tagged<V>>&& tagged) {
  std::stable_sort(tagged.begin(), tagged.end(),
                   [](const Tagged<V>& a, const Tagged<V>& b) { return a.item < b.item; });
  std::vector<V> values;
  values.reserve(tagged.size());
  for (auto& t : tagged)
    values.push_back(std::move(t.value));
  return values;
}

template <class Results>
void sort_by_key(Results& results) {
  tbb::parallel_sort(results.begin(), results.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
}

}  // namespace detail

/// Groups the values that `map(item, emitter)` emits by key (the seed's partition step).
/// Returns (key, values) sorted by key, each key's values in input order.
template <class K, class V, std::ranges::random_access_range Items, class MapFn>
std::vector<std::pair<K, std::vector<V>>> group_by_key(const Items& items, MapFn map,
                                                       const Options& options = {}) {
  const ResolvedOptions resolved = resolve(options);
  WorkerArena arena(resolved.workers);
  return arena.execute([&] {
    auto groups = reduce_partitions(detail::map_and_partition<K, V>(items, map, options, resolved),
                                    [](const K&, std::vector<Tagged<V>>&& tagged) {
                                      return detail::in_input_order(std::move(tagged));
                                    });
    detail::sort_by_key(groups);
    return groups;
  });
}

/// Runs a MapReduce job over `items`: `map(item, emitter)` emits key/value pairs through
/// `emitter.emit(key, value)`, and `reduce(key, values)` turns a key and all its values (in input
/// order, as a std::vector<V>) into one result. Returns (key, result) sorted by key.
template <class K, class V, std::ranges::random_access_range Items, class MapFn, class ReduceFn>
auto map_reduce(const Items& items, MapFn map, ReduceFn reduce, const Options& options = {}) {
  const ResolvedOptions resolved = resolve(options);
  WorkerArena arena(resolved.workers);
  return arena.execute([&] {
    auto results =
        reduce_partitions(detail::map_and_partition<K, V>(items, map, options, resolved),
                          [&](const K& key, std::vector<Tagged<V>>&& tagged) {
                            return reduce(key, detail::in_input_order(std::move(tagged)));
                          });
    detail::sort_by_key(results);
    return results;
  });
}

}  // namespace mrtbb
