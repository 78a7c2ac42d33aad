// The reduce side and the item API: ordering word counts (all of them, or the top 100), and the
// generic map_reduce on 10 M small items against hand-written tbb::parallel_reduce versions of the
// same job (the library-overhead target).

#include <benchmark/benchmark.h>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_reduce.h>
#include <oneapi/tbb/task_arena.h>

#include <boost/unordered/unordered_flat_map.hpp>

#include <numeric>
#include <random>
#include <vector>

#include "mrtbb/mrtbb.hpp"

namespace {

std::vector<mrtbb::WordCount> random_counts(std::size_t keys) {
  std::mt19937_64 rng(3);
  std::vector<mrtbb::WordCount> counts;
  counts.reserve(keys);
  for (std::size_t k = 0; k < keys; ++k)
    counts.emplace_back("w" + std::to_string(rng() % (keys * 4)), 1 + rng() % 1000);
  return counts;
}

void BM_SortCounts(benchmark::State& state) {
  const auto keys = static_cast<std::size_t>(state.range(0));
  const auto top = static_cast<std::size_t>(state.range(1));
  const auto workers = static_cast<int>(state.range(2));
  const auto prototype = random_counts(keys);
  tbb::task_arena arena(workers);
  for (auto _ : state) {
    state.PauseTiming();
    auto counts = prototype;
    state.ResumeTiming();
    arena.execute([&] {
      auto sorted = mrtbb::sorted_top_k(std::move(counts), top, mrtbb::MoreFrequentFirst{});
      benchmark::DoNotOptimize(sorted.data());
    });
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * keys));
}
BENCHMARK(BM_SortCounts)
    ->ArgNames({"keys", "top", "workers"})
    ->ArgsProduct({{30000, 1000000}, {0, 100}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// A count job's results as its combine leaves them, 16 partitions of distinct words whose counts
// follow Zipf's law (rank r seen about 10^6 / r times, so most are small and tie often).
mrtbb::Partitions<std::string, std::uint64_t> zipf_count_partitions(std::size_t keys) {
  std::mt19937_64 rng(5);
  mrtbb::Partitions<std::string, std::uint64_t> partitions(16);
  for (std::size_t rank = 1; rank <= keys; ++rank) {
    partitions[rng() % partitions.size()].emplace_back("w" + std::to_string(rng()),
                                                       1 + 1000000 / (rank * 4));
  }
  return partitions;
}

// Ordering a count job's results most frequent first: method 0 flattens the partitions and sorts
// the pairs by comparison (the generic path), 1 is the counting pass of sorted_by_count.
void BM_OrderCountPartitions(benchmark::State& state) {
  const auto keys = static_cast<std::size_t>(state.range(0));
  const bool counting = state.range(1) == 1;
  const auto workers = static_cast<int>(state.range(2));
  const auto prototype = zipf_count_partitions(keys);
  const auto keep_all = [](const mrtbb::WordCount&) { return true; };
  tbb::task_arena arena(workers);
  for (auto _ : state) {
    state.PauseTiming();
    auto partitions = prototype;
    state.ResumeTiming();
    arena.execute([&] {
      auto sorted = counting ? mrtbb::sorted_by_count(std::move(partitions), keep_all, 0)
                             : mrtbb::sorted_top_k(mrtbb::flatten(std::move(partitions), keep_all),
                                                   0, mrtbb::MoreFrequentFirst{});
      benchmark::DoNotOptimize(sorted.data());
    });
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * keys));
}
BENCHMARK(BM_OrderCountPartitions)
    ->ArgNames({"keys", "counting", "workers"})
    ->ArgsProduct({{1000000}, {0, 1}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

constexpr std::size_t item_count = 10'000'000;
constexpr int key_count = 1024;

const std::vector<int>& items() {
  static const std::vector<int> all = [] {
    std::vector<int> v(item_count);
    std::iota(v.begin(), v.end(), 0);
    return v;
  }();
  return all;
}

// Each item emits (item mod 1024, item); each key's values are summed.
void BM_ItemMapReduce(benchmark::State& state) {
  const mrtbb::Options options{.workers = static_cast<std::size_t>(state.range(0))};
  for (auto _ : state) {
    auto sums = mrtbb::map_reduce<int, int>(
        items(),
        [](int item, mrtbb::Emitter<int, int>& emit) { emit.emit(item % key_count, item); },
        [](int, const std::vector<int>& values) {
          return std::accumulate(values.begin(), values.end(), std::int64_t{0});
        },
        options);
    benchmark::DoNotOptimize(sums.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * item_count));
}
BENCHMARK(BM_ItemMapReduce)
    ->ArgName("workers")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The same sums through map_fold, which folds each value as it is emitted (a combiner).
void BM_ItemMapFold(benchmark::State& state) {
  const mrtbb::Options options{.workers = static_cast<std::size_t>(state.range(0))};
  for (auto _ : state) {
    auto sums = mrtbb::map_fold<int, std::int64_t>(
        items(), [](int item, auto& emit) { emit.emit(item % key_count, item); },
        [](std::int64_t& into, std::int64_t value) { into += value; }, options);
    benchmark::DoNotOptimize(sums.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * item_count));
}
BENCHMARK(BM_ItemMapFold)
    ->ArgName("workers")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The same job written by hand as SimpleMapReduce does it: values grouped by key in per-task
// tables, groups joined, then each key's values summed. No input-order guarantee.
void BM_HandWrittenGroupThenReduce(benchmark::State& state) {
  using Groups = boost::unordered_flat_map<int, std::vector<int>>;
  tbb::task_arena arena(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    arena.execute([&] {
      Groups groups = tbb::parallel_reduce(
          tbb::blocked_range<std::size_t>(0, item_count), Groups{},
          [](const tbb::blocked_range<std::size_t>& range, Groups local) {
            for (std::size_t i = range.begin(); i != range.end(); ++i)
              local[items()[i] % key_count].push_back(items()[i]);
            return local;
          },
          [](Groups a, Groups b) {
            for (auto& [key, values] : b)
              a[key].insert(a[key].end(), values.begin(), values.end());
            return a;
          });
      std::vector<std::pair<int, std::int64_t>> sums;
      for (const auto& [key, values] : groups)
        sums.emplace_back(key, std::accumulate(values.begin(), values.end(), std::int64_t{0}));
      benchmark::DoNotOptimize(sums.data());
    });
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * item_count));
}
BENCHMARK(BM_HandWrittenGroupThenReduce)
    ->ArgName("workers")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The least work that gives the same sums: no values kept at all, a running sum per key.
void BM_HandWrittenRunningSums(benchmark::State& state) {
  using Sums = std::vector<std::int64_t>;
  tbb::task_arena arena(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    arena.execute([&] {
      Sums sums = tbb::parallel_reduce(
          tbb::blocked_range<std::size_t>(0, item_count), Sums(key_count, 0),
          [](const tbb::blocked_range<std::size_t>& range, Sums local) {
            for (std::size_t i = range.begin(); i != range.end(); ++i)
              local[static_cast<std::size_t>(items()[i] % key_count)] += items()[i];
            return local;
          },
          [](Sums a, const Sums& b) {
            for (std::size_t k = 0; k < a.size(); ++k)
              a[k] += b[k];
            return a;
          });
      benchmark::DoNotOptimize(sums.data());
    });
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * item_count));
}
BENCHMARK(BM_HandWrittenRunningSums)
    ->ArgName("workers")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
