#pragma once

// The partition stage: the thread-local tables of the map phase are combined by key, either with a
// hash-partitioned merge that locks nothing or through one shared tbb::concurrent_hash_map.

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/concurrent_hash_map.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>

#include <boost/unordered/unordered_flat_map.hpp>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include "mrtbb/core/concepts.hpp"
#include "mrtbb/core/count_table.hpp"
#include "mrtbb/core/hashing.hpp"
#include "mrtbb/core/options.hpp"

namespace mrtbb {

/// Combined pairs: every key appears once, in exactly one partition. Partitions are unordered.
template <class K, class V>
using Partitions = std::vector<std::vector<std::pair<K, V>>>;

/// The fewest keys worth a partition of their own in the hash-partitioned merge: below that, a
/// partition's task, map and buckets cost more than merging its keys.
inline constexpr std::size_t min_keys_per_partition = 1024;

/// How many partitions the hash-partitioned merge of `tables` tables holding `keys` keys in all (a
/// key counted once per table that holds it) uses, given at most `limit` (a power of two): the
/// largest power of two that gives every partition at least min_keys_per_partition keys and at
/// least one key per table, so the tables x partitions buckets of the scatter never outnumber the
/// keys; 1 at the least. The work of the combine so follows the data, not the worker count.
constexpr std::size_t partitions_for(std::size_t limit, std::size_t tables,
                                     std::size_t keys) noexcept {
  const std::size_t keys_per_partition = std::max(tables, min_keys_per_partition);
  return std::min(limit, std::bit_floor(std::max<std::size_t>(keys / keys_per_partition, 1)));
}

/// What a combine works on: the tables that hold keys (a thread that mapped nothing leaves an empty
/// table behind; such tables are left out), how many keys they hold, and the partitions to use.
template <class Table>
struct CombinePlan {
  std::vector<Table*> tables;
  std::size_t keys = 0;
  std::size_t partitions = 1;
};

template <class Table>
CombinePlan<Table> plan_combine(const std::vector<Table*>& locals, std::size_t partition_limit) {
  CombinePlan<Table> plan;
  for (Table* table : locals) {
    if (table->empty()) continue;
    plan.tables.push_back(table);
    plan.keys += table->size();
  }
  plan.partitions = partitions_for(partition_limit, plan.tables.size(), plan.keys);
  return plan;
}

namespace detail {

// Hands every (key, value) of a table to visit(K&&, V&&) and empties it. Flat maps store
// pair<const K, V>; their keys are moved out just before the table is cleared, as the table itself
// does when it rehashes. Tables that keep keys in their own form (CountTable) drain themselves.
template <class Table, class Visitor>
void drain(Table& table, Visitor&& visit) {
  if constexpr (requires { table.drain(visit); }) {
    table.drain(visit);
  } else {
    using Key = typename Table::key_type;
    for (auto& entry : table)
      visit(std::move(const_cast<Key&>(entry.first)), std::move(entry.second));
    table.clear();
  }
}

// The hash-partitioned merge of CountTables, which keeps keys in the tables' own form until the
// end: each thread table's slots are moved into lists by partition (and its slot array given back
// at once), each partition's lists folded into one CountTable sized for them, and only then is a
// string made, once per distinct key. Compared with pairs from the start, this makes no string for
// a key that several tables hold, and hashes and compares packed words instead of strings.
template <class Merge>
Partitions<std::string, std::uint64_t> combine_count_tables(const std::vector<CountTable*>& locals,
                                                            std::size_t partition_count,
                                                            Merge& merge) {
  const WordHash hasher = locals.empty() ? WordHash{} : locals.front()->hash_function();
  std::vector<std::vector<std::vector<CountTable::Slot>>> scattered(locals.size());
  tbb::parallel_for(std::size_t{0}, locals.size(), [&](std::size_t l) {
    scattered[l] = locals[l]->take_slots_by_partition(partition_count, hasher);
  });

  Partitions<std::string, std::uint64_t> partitions(partition_count);
  tbb::parallel_for(std::size_t{0}, partition_count, [&](std::size_t p) {
    std::size_t held = 0;
    for (const auto& lists : scattered)
      held += lists[p].size();
    CountTable merged(hasher.seed);
    merged.reserve(held);
    for (std::size_t l = 0; l < locals.size(); ++l) {
      merged.merge_slots(scattered[l][p], *locals[l], merge);
      std::vector<CountTable::Slot>().swap(scattered[l][p]);
    }
    auto& out = partitions[p];
    out.reserve(merged.size());
    merged.for_each(
        [&](std::string_view key, std::uint64_t count) { out.emplace_back(key, count); });
  });
  for (CountTable* table : locals)
    table->release();
  return partitions;
}

template <class Table, class Merge>
auto combine_hash_partitioned(const std::vector<Table*>& locals, std::size_t partition_count,
                              Merge& merge)
    -> Partitions<typename Table::key_type, typename Table::mapped_type> {
  using K = typename Table::key_type;
  using V = typename Table::mapped_type;
  using Bucket = std::vector<std::pair<K, V>>;

  // Scatter: each thread table is split by key hash into one bucket per partition. One hasher for
  // all, so that a key goes to the same partition from every table, whatever each was keyed with.
  // Each made on its own: copying one empty list of buckets would need copyable values.
  std::vector<std::vector<Bucket>> scattered(locals.size());
  for (auto& buckets : scattered)
    buckets.resize(partition_count);
  const auto hasher = locals.empty() ? typename Table::hasher{} : locals.front()->hash_function();
  tbb::parallel_for(std::size_t{0}, locals.size(), [&](std::size_t l) {
    Table& table = *locals[l];
    auto& buckets = scattered[l];
    for (auto& bucket : buckets)
      bucket.reserve(table.size() / partition_count + 1);
    drain(table, [&](K&& key, V&& value) {
      buckets[partition_of(hasher(key), partition_count)].emplace_back(std::move(key),
                                                                       std::move(value));
    });
  });

  // Merge: partition p is owned by one task, which folds bucket p of every thread table. A bucket
  // that is the only one of its partition holding keys is the partition already.
  Partitions<K, V> partitions(partition_count);
  tbb::parallel_for(std::size_t{0}, partition_count, [&](std::size_t p) {
    std::size_t largest = 0;
    std::size_t holding = 0;
    Bucket* only = nullptr;
    for (auto& buckets : scattered) {
      if (buckets[p].empty()) continue;
      largest = std::max(largest, buckets[p].size());
      ++holding;
      only = &buckets[p];
    }
    if (holding <= 1) {
      if (only != nullptr) partitions[p] = std::move(*only);
      return;
    }
    boost::unordered_flat_map<K, V, typename Table::hasher, typename Table::key_equal> merged;
    merged.reserve(largest);
    for (auto& buckets : scattered) {
      for (auto& [key, value] : buckets[p]) {
        auto [slot, inserted] = merged.try_emplace(std::move(key), std::move(value));
        if (!inserted) fold_into(merge, slot->second, std::move(value));
      }
      Bucket().swap(buckets[p]);
    }
    auto& out = partitions[p];
    out.reserve(merged.size());
    drain(merged, [&](K&& key, V&& value) { out.emplace_back(std::move(key), std::move(value)); });
  });
  return partitions;
}

template <class Hash, class Equal>
struct HashCompare {
  Hash hasher;
  Equal equal_to;
  template <class K>
  std::size_t hash(const K& key) const {
    return hasher(key);
  }
  template <class K>
  bool equal(const K& a, const K& b) const {
    return equal_to(a, b);
  }
};

template <class Table, class Merge>
auto combine_concurrent_hash_map(const std::vector<Table*>& locals, Merge& merge)
    -> Partitions<typename Table::key_type, typename Table::mapped_type> {
  using K = typename Table::key_type;
  using V = typename Table::mapped_type;
  // A slot is made empty and its first value moved in under the slot's lock, so V needs no default
  // constructor.
  using Shared =
      tbb::concurrent_hash_map<K, std::optional<V>,
                               HashCompare<typename Table::hasher, typename Table::key_equal>>;

  std::size_t total = 0;
  for (const Table* table : locals)
    total += table->size();
  Shared shared(total);

  tbb::parallel_for(std::size_t{0}, locals.size(), [&](std::size_t l) {
    std::vector<std::pair<K, V>> entries;
    entries.reserve(locals[l]->size());
    drain(*locals[l],
          [&](K&& key, V&& value) { entries.emplace_back(std::move(key), std::move(value)); });
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, entries.size()),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t i = range.begin(); i != range.end(); ++i) {
                          typename Shared::accessor slot;
                          if (shared.insert(slot, std::move(entries[i].first))) {
                            slot->second.emplace(std::move(entries[i].second));
                          } else {
                            fold_into(merge, *slot->second, std::move(entries[i].second));
                          }
                        }
                      });
  });

  tbb::enumerable_thread_specific<std::vector<std::pair<K, V>>> collected;
  tbb::parallel_for(shared.range(), [&](const typename Shared::range_type& range) {
    auto& out = collected.local();
    for (auto it = range.begin(); it != range.end(); ++it) {
      out.emplace_back(std::move(const_cast<K&>(it->first)), std::move(*it->second));
    }
  });
  Partitions<K, V> partitions;
  for (auto& part : collected)
    partitions.push_back(std::move(part));
  return partitions;
}

}  // namespace detail

/// Combines the tables of `plan` by key and empties them. `merge` folds the value of a key seen in
/// two tables, in place (`void(V& into, V&& from)`) or value-returning (`V(V, V)`).
template <class Table, FoldFunction<typename Table::mapped_type> Merge>
auto combine_by_key(const CombinePlan<Table>& plan, PartitionStrategy strategy, Merge merge)
    -> Partitions<typename Table::key_type, typename Table::mapped_type> {
  if (strategy == PartitionStrategy::concurrent_hash_map) {
    return detail::combine_concurrent_hash_map(plan.tables, merge);
  }
  if constexpr (std::same_as<Table, CountTable>) {
    return detail::combine_count_tables(plan.tables, plan.partitions, merge);
  } else {
    return detail::combine_hash_partitioned(plan.tables, plan.partitions, merge);
  }
}

/// Combines the thread-local tables by key, using at most `partition_limit` (a power of two)
/// partitions, and empties them.
template <class Table, FoldFunction<typename Table::mapped_type> Merge>
auto combine_by_key(const std::vector<Table*>& locals, PartitionStrategy strategy,
                    std::size_t partition_limit, Merge merge)
    -> Partitions<typename Table::key_type, typename Table::mapped_type> {
  return combine_by_key(plan_combine(locals, partition_limit), strategy, std::move(merge));
}

}  // namespace mrtbb
