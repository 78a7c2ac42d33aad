#pragma once

// The reduce stage: every key's combined value is reduced in parallel, and results are put in a
// deterministic order (or cut to the top k) in parallel as well.

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_reduce.h>
#include <oneapi/tbb/parallel_sort.h>

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "mrtbb/core/combine.hpp"
#include "mrtbb/core/concepts.hpp"
#include "mrtbb/core/errors.hpp"

namespace mrtbb {

/// A key and how often it was seen.
using WordCount = std::pair<std::string, std::uint64_t>;

/// Count descending, then key ascending by bytes (std::string compares as unsigned char).
struct MoreFrequentFirst {
  bool operator()(const WordCount& a, const WordCount& b) const noexcept {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  }
};

/// Applies `reduce(key, value)` to every combined pair in parallel; the result's order is
/// unspecified. An exception from `reduce` surfaces as a ReduceError that nests it. Results are
/// gathered per thread rather than by tbb::parallel_reduce, whose identity value is copied: values
/// and results need only be movable.
template <class K, class V, ReduceFunction<K, V> ReduceFn>
auto reduce_partitions(Partitions<K, V>&& partitions, ReduceFn&& reduce) {
  using R = std::decay_t<std::invoke_result_t<ReduceFn&, const K&, V&&>>;
  using Results = std::vector<std::pair<K, R>>;
  tbb::enumerable_thread_specific<Results> gathered;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, partitions.size()),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      Results& acc = gathered.local();
                      for (std::size_t p = range.begin(); p != range.end(); ++p) {
                        for (auto& [key, value] : partitions[p]) {
                          try {
                            R reduced = reduce(std::as_const(key), std::move(value));
                            acc.emplace_back(std::move(key), std::move(reduced));
                          } catch (...) {
                            std::throw_with_nested(ReduceError(current_exception_message()));
                          }
                        }
                        // Not `= {}`: that assigns from an initializer list, which needs
                        // copyable values.
                        std::vector<std::pair<K, V>>().swap(partitions[p]);
                      }
                    });
  Results all;
  for (Results& part : gathered) {
    if (all.empty()) {
      all.swap(part);
    } else {
      all.insert(all.end(), std::make_move_iterator(part.begin()),
                 std::make_move_iterator(part.end()));
    }
  }
  return all;
}

/// Moves every pair of the partitions into one vector, in parallel, keeping those `keep` accepts.
template <class K, class V, std::predicate<const std::pair<K, V>&> Keep>
std::vector<std::pair<K, V>> flatten(Partitions<K, V>&& partitions, Keep keep) {
  std::vector<std::size_t> offsets(partitions.size() + 1, 0);
  tbb::parallel_for(std::size_t{0}, partitions.size(), [&](std::size_t p) {
    auto& part = partitions[p];
    part.erase(std::remove_if(part.begin(), part.end(), [&](const auto& e) { return !keep(e); }),
               part.end());
  });
  for (std::size_t p = 0; p < partitions.size(); ++p) {
    offsets[p + 1] = offsets[p] + partitions[p].size();
  }
  std::vector<std::pair<K, V>> all;
  if constexpr (std::default_initializable<std::pair<K, V>>) {
    all.resize(offsets.back());
    tbb::parallel_for(std::size_t{0}, partitions.size(), [&](std::size_t p) {
      std::move(partitions[p].begin(), partitions[p].end(), all.begin() + offsets[p]);
      std::vector<std::pair<K, V>>().swap(partitions[p]);
    });
  } else {
    // Values without a default to move over are moved in one partition after the other.
    all.reserve(offsets.back());
    for (auto& part : partitions) {
      all.insert(all.end(), std::make_move_iterator(part.begin()),
                 std::make_move_iterator(part.end()));
      std::vector<std::pair<K, V>>().swap(part);
    }
  }
  return all;
}

namespace detail {

// Where a pair lies in its partitions, and the first 8 bytes of its word as a big-endian number
// (zero-padded): the count sort orders these 16 bytes, which decide between most words without
// reading them, and moves each pair once, to its final place.
struct WordSortKey {
  std::uint64_t prefix;
  std::uint64_t place;  // partition << 40 | index in it
};

inline constexpr unsigned sort_place_bits = 40;

inline std::uint64_t word_prefix(std::string_view word) noexcept {
  unsigned char bytes[8] = {};
  std::memcpy(bytes, word.data(), std::min<std::size_t>(word.size(), 8));
  std::uint64_t prefix = 0;
  for (const unsigned char byte : bytes)
    prefix = prefix << 8 | byte;
  return prefix;
}

}  // namespace detail

/// Counts below this have a group each in sorted_by_count; larger ones, few in text, share one.
inline constexpr std::uint64_t sorted_by_count_groups = 1024;

/// The first k (all when k is 0) of the combined counts that `keep` accepts, in MoreFrequentFirst
/// order, without comparing counts: a counting pass groups the pairs by count, and only the words
/// within a group are compared (as prefixes first), in parallel across groups; then each pair is
/// moved once, to its place. Groups past the k-th pair are never sorted. Empties `partitions`.
template <std::predicate<const WordCount&> Keep>
std::vector<WordCount> sorted_by_count(Partitions<std::string, std::uint64_t>&& partitions,
                                       Keep keep, std::size_t k) {
  using detail::WordSortKey;
  constexpr std::uint64_t exact = sorted_by_count_groups;
  // Group 0 holds every count of at least `exact`; group g > 0 the count exact - g.
  const auto group_of = [](std::uint64_t count) -> std::size_t {
    return count >= exact ? 0 : static_cast<std::size_t>(exact - count);
  };
  constexpr std::size_t groups = exact + 1;
  const std::size_t parts = partitions.size();
  std::vector<std::vector<std::size_t>> sizes(parts, std::vector<std::size_t>(groups, 0));
  tbb::parallel_for(std::size_t{0}, parts, [&](std::size_t p) {
    std::erase_if(partitions[p], [&](const WordCount& entry) { return !keep(entry); });
    if (partitions[p].size() >> detail::sort_place_bits) {
      throw std::length_error("more than 2^40 distinct keys in one partition");
    }
    for (const WordCount& entry : partitions[p])
      ++sizes[p][group_of(entry.second)];
  });

  // Where each group starts, and how many groups hold the first k pairs.
  std::vector<std::size_t> group_start(groups + 1, 0);
  std::size_t used = groups;
  for (std::size_t g = 0; g < groups && used == groups; ++g) {
    for (std::size_t p = 0; p < parts; ++p)
      group_start[g + 1] += sizes[p][g];
    group_start[g + 1] += group_start[g];
    if (k != 0 && group_start[g + 1] >= k) used = g + 1;
  }
  // Partition p's pairs of group g go after those of the partitions before it.
  std::vector<std::vector<std::size_t>> next(parts, std::vector<std::size_t>(used, 0));
  for (std::size_t g = 0; g < used; ++g) {
    std::size_t at = group_start[g];
    for (std::size_t p = 0; p < parts; ++p) {
      next[p][g] = at;
      at += sizes[p][g];
    }
  }

  std::vector<WordSortKey> keys(group_start[used]);
  tbb::parallel_for(std::size_t{0}, parts, [&](std::size_t p) {
    const auto& part = partitions[p];
    for (std::size_t i = 0; i < part.size(); ++i) {
      const std::size_t g = group_of(part[i].second);
      if (g < used) {
        keys[next[p][g]++] = {detail::word_prefix(part[i].first),
                              std::uint64_t{p} << detail::sort_place_bits | i};
      }
    }
  });
  const auto pair_at = [&](const WordSortKey& key) -> WordCount& {
    constexpr std::uint64_t index_mask = (std::uint64_t{1} << detail::sort_place_bits) - 1;
    return partitions[key.place >> detail::sort_place_bits][key.place & index_mask];
  };
  const auto by_word = [&](const WordSortKey& a, const WordSortKey& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    return pair_at(a).first < pair_at(b).first;
  };
  tbb::parallel_for(std::size_t{0}, used, [&](std::size_t g) {
    const auto first = keys.begin() + static_cast<std::ptrdiff_t>(group_start[g]);
    const auto last = keys.begin() + static_cast<std::ptrdiff_t>(group_start[g + 1]);
    if (g == 0) {
      tbb::parallel_sort(first, last, [&](const WordSortKey& a, const WordSortKey& b) {
        const std::uint64_t count_a = pair_at(a).second;
        const std::uint64_t count_b = pair_at(b).second;
        return count_a != count_b ? count_a > count_b : by_word(a, b);
      });
    } else {
      tbb::parallel_sort(first, last, by_word);
    }
  });

  std::vector<WordCount> sorted(k == 0 ? keys.size() : std::min(k, keys.size()));
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, sorted.size()),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t i = range.begin(); i != range.end(); ++i)
                        sorted[i] = std::move(pair_at(keys[i]));
                    });
  Partitions<std::string, std::uint64_t>().swap(partitions);
  return sorted;
}

/// Sorts (key, value) pairs by key, in parallel: the order item jobs return their results in.
template <class Results>
void sort_by_key(Results& results) {
  tbb::parallel_sort(results.begin(), results.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
}

/// Sorts by `less` in parallel and keeps the first k (all when k is 0). For a small k the
/// candidates are found with a tbb::parallel_reduce over local top-k lists, without a full sort.
template <class T, std::strict_weak_order<const T&, const T&> Less>
std::vector<T> sorted_top_k(std::vector<T>&& items, std::size_t k, Less less) {
  if (k == 0 || k >= items.size() / 4) {
    tbb::parallel_sort(items.begin(), items.end(), less);
    if (k != 0 && k < items.size())
      items.erase(items.begin() + static_cast<std::ptrdiff_t>(k), items.end());
    return std::move(items);
  }
  using Indices = std::vector<std::size_t>;
  const auto index_less = [&](std::size_t a, std::size_t b) { return less(items[a], items[b]); };
  const auto keep_best = [&](Indices& candidates) {
    if (candidates.size() <= k) return;
    std::nth_element(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(k),
                     candidates.end(), index_less);
    candidates.resize(k);
  };
  Indices best = tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, items.size()), Indices{},
      [&](const tbb::blocked_range<std::size_t>& range, Indices acc) {
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
          acc.push_back(i);
          if (acc.size() >= 4 * k + 64) keep_best(acc);
        }
        keep_best(acc);
        return acc;
      },
      [&](Indices left, Indices right) {
        left.insert(left.end(), right.begin(), right.end());
        keep_best(left);
        return left;
      });
  std::sort(best.begin(), best.end(), index_less);
  std::vector<T> top;
  top.reserve(best.size());
  for (std::size_t i : best)
    top.push_back(std::move(items[i]));
  return top;
}

}  // namespace mrtbb
