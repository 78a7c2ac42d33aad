// The partition stage alone: thread tables of many distinct keys combined by each strategy.

#include <benchmark/benchmark.h>

#include <oneapi/tbb/task_arena.h>

#include <string>
#include <vector>

#include "mrtbb/mrtbb.hpp"

namespace {

std::vector<mrtbb::CountTable> overlapping_tables(std::size_t tables, std::size_t keys) {
  std::vector<mrtbb::CountTable> out(tables);
  for (std::size_t t = 0; t < tables; ++t) {
    // Each table holds 3/4 of the keys, so most keys meet in several tables.
    for (std::size_t k = 0; k < keys; ++k) {
      if ((k + t) % 4 != 0) out[t].add(std::to_string(k * 2654435761u), k + 1);
    }
  }
  return out;
}

void BM_Combine(benchmark::State& state) {
  const auto workers = static_cast<std::size_t>(state.range(0));
  const auto keys = static_cast<std::size_t>(state.range(1));
  const auto strategy = static_cast<mrtbb::PartitionStrategy>(state.range(2));
  const auto prototype = overlapping_tables(workers, keys);
  tbb::task_arena arena(static_cast<int>(workers));
  std::size_t pairs = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto tables = prototype;
    std::vector<mrtbb::CountTable*> pointers;
    for (auto& t : tables)
      pointers.push_back(&t), pairs += t.size();
    state.ResumeTiming();
    arena.execute([&] {
      auto partitions = mrtbb::combine_by_key(pointers, strategy, 8 * workers,
                                              [](std::uint64_t& a, std::uint64_t&& b) { a += b; });
      benchmark::DoNotOptimize(partitions.data());
    });
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(pairs));
}
BENCHMARK(BM_Combine)
    ->ArgNames({"workers", "keys", "strategy"})
    ->ArgsProduct({{1, 2}, {30000, 1000000}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
