#pragma once

// MapReduce over in-memory items: map each item to key/value pairs, group the values by key
// (the partition step), and reduce each key's values. Results are the same for every worker count
// and grain: keys come out sorted, and each key's values reach `reduce` in input order.

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/concurrent_vector.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <optional>
#include <ranges>
#include <utility>
#include <vector>

#include "mrtbb/core/combine.hpp"
#include "mrtbb/core/concepts.hpp"
#include "mrtbb/core/emitter.hpp"
#include "mrtbb/core/errors.hpp"
#include "mrtbb/core/map_failure.hpp"
#include "mrtbb/core/options.hpp"
#include "mrtbb/core/reduce.hpp"
#include "mrtbb/core/worker_arena.hpp"

namespace mrtbb {

namespace detail {

// Runs map on one item under the job's retry policy, each try emitting into `staging`; the pairs
// of the successful try are moved into `table`. Returns the failure when every try failed.
template <class K, class V, class Item, class MapFn>
std::optional<MapFailure> map_item_with_retries(const Item& item, std::size_t index, MapFn& map,
                                                const RetryPolicy& retry,
                                                std::vector<std::pair<K, V>>& staging,
                                                GroupTable<K, V>& table) {
  const AttemptOutcome outcome = run_with_retries(retry, [&](std::size_t) {
    staging.clear();
    Emitter<K, V> emitter(staging, index);
    map(item, emitter);
  });
  if (outcome.error) {
    return MapFailure{{}, index, exception_message(outcome.error), outcome.error, outcome.attempts};
  }
  for (auto& [key, value] : staging)
    table[std::move(key)].push_back(Tagged<V>{index, std::move(value)});
  return std::nullopt;
}

template <class K, class V, class Items, class MapFn>
Partitions<K, std::vector<Tagged<V>>> map_and_partition(const Items& items, MapFn& map,
                                                        const Options& options,
                                                        const ResolvedItemJob& resolved,
                                                        std::vector<MapFailure>* failures) {
  if (options.on_map_error == ErrorPolicy::skip_and_report && failures == nullptr) {
    throw OptionsError(
        "on_map_error = skip_and_report needs somewhere to report skipped items: pass a "
        "std::vector<MapFailure> to map_reduce or group_by_key");
  }
  const std::size_t count = static_cast<std::size_t>(std::ranges::size(items));
  const auto first = std::ranges::begin(items);
  const bool staged =
      options.retry.attempts > 1 || options.on_map_error == ErrorPolicy::skip_and_report;

  tbb::enumerable_thread_specific<GroupTable<K, V>> locals;
  tbb::enumerable_thread_specific<std::vector<std::pair<K, V>>> staging;
  tbb::concurrent_vector<MapFailure> skipped;
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, count, resolved.grain),
      [&](const tbb::blocked_range<std::size_t>& range) {
        auto& table = locals.local();
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
          const auto& item = first[static_cast<std::ptrdiff_t>(i)];
          if (!staged) {
            Emitter<K, V> emitter(table, i);
            try {
              map(item, emitter);
            } catch (...) {
              std::throw_with_nested(MapError(i, current_exception_message()));
            }
            continue;
          }
          auto failure =
              map_item_with_retries<K, V>(item, i, map, options.retry, staging.local(), table);
          if (!failure) continue;
          if (options.on_map_error == ErrorPolicy::skip_and_report) {
            skipped.push_back(std::move(*failure));
            continue;
          }
          throw_with_cause(MapError(i, with_attempts(failure->reason, failure->attempts)),
                           failure->error);
        }
      },
      tbb::simple_partitioner{});

  if (failures != nullptr) {
    failures->assign(skipped.begin(), skipped.end());
    std::sort(failures->begin(), failures->end(),
              [](const MapFailure& a, const MapFailure& b) { return a.position < b.position; });
  }
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

}  // namespace detail

/// Groups the values that `map(item, emitter)` emits by key (the seed's partition step).
/// Returns (key, values) sorted by key, each key's values in input order. Items whose map still
/// throws after Options::retry are left out and listed in `failures` (on_map_error =
/// skip_and_report), or end the job with a MapError (on_map_error = fail).
template <class K, class V, std::ranges::random_access_range Items,
          ItemMapFunction<std::ranges::range_reference_t<const Items>, K, V> MapFn>
std::vector<std::pair<K, std::vector<V>>> group_by_key(const Items& items, MapFn map,
                                                       const Options& options,
                                                       std::vector<MapFailure>* failures) {
  const ResolvedItemJob resolved =
      resolve_item_job(options, static_cast<std::size_t>(std::ranges::size(items)));
  WorkerArena arena(resolved.workers);
  return arena.execute([&] {
    auto groups =
        reduce_partitions(detail::map_and_partition<K, V>(items, map, options, resolved, failures),
                          [](const K&, std::vector<Tagged<V>>&& tagged) {
                            return detail::in_input_order(std::move(tagged));
                          });
    sort_by_key(groups);
    return groups;
  });
}

template <class K, class V, std::ranges::random_access_range Items,
          ItemMapFunction<std::ranges::range_reference_t<const Items>, K, V> MapFn>
std::vector<std::pair<K, std::vector<V>>> group_by_key(const Items& items, MapFn map,
                                                       const Options& options = {}) {
  return group_by_key<K, V>(items, std::move(map), options, nullptr);
}

/// Runs a MapReduce job over `items`: `map(item, emitter)` emits key/value pairs through
/// `emitter.emit(key, value)`, and `reduce(key, values)` turns a key and all its values (in input
/// order, as a std::vector<V>) into one result. Returns (key, result) sorted by key.
///
/// An item whose map throws is tried again per Options::retry, the pairs of its failed tries
/// discarded. When its tries are used up the job throws MapError (on_map_error = fail), or leaves
/// the item out and lists it in `failures`, by item index (on_map_error = skip_and_report).
template <class K, class V, std::ranges::random_access_range Items,
          ItemMapFunction<std::ranges::range_reference_t<const Items>, K, V> MapFn,
          ItemReduceFunction<K, V> ReduceFn>
auto map_reduce(const Items& items, MapFn map, ReduceFn reduce, const Options& options,
                std::vector<MapFailure>* failures) {
  const ResolvedItemJob resolved =
      resolve_item_job(options, static_cast<std::size_t>(std::ranges::size(items)));
  WorkerArena arena(resolved.workers);
  return arena.execute([&] {
    auto results =
        reduce_partitions(detail::map_and_partition<K, V>(items, map, options, resolved, failures),
                          [&](const K& key, std::vector<Tagged<V>>&& tagged) {
                            return reduce(key, detail::in_input_order(std::move(tagged)));
                          });
    sort_by_key(results);
    return results;
  });
}

template <class K, class V, std::ranges::random_access_range Items,
          ItemMapFunction<std::ranges::range_reference_t<const Items>, K, V> MapFn,
          ItemReduceFunction<K, V> ReduceFn>
auto map_reduce(const Items& items, MapFn map, ReduceFn reduce, const Options& options = {}) {
  return map_reduce<K, V>(items, std::move(map), std::move(reduce), options, nullptr);
}

}  // namespace mrtbb
