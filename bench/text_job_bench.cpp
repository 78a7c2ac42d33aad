// End-to-end text job throughput (read, map with the default letters rule, combine, order), in
// bytes per second: workers x grain x partition strategy, and workers x vocabulary size.

#include <benchmark/benchmark.h>

#include <string_view>

#include "generated_corpus.hpp"
#include "mrtbb/mrtbb.hpp"

namespace {

constexpr std::size_t input_bytes = 32 << 20;
constexpr std::size_t vocabulary = 50000;

void BM_TextJob(benchmark::State& state) {
  const std::string& path = mrtbb::bench::generated_file(input_bytes, vocabulary);
  static const auto tokenizer = mrtbb::make_tokenizer({});
  const mrtbb::Options options{.workers = static_cast<std::size_t>(state.range(0)),
                               .grain = static_cast<std::size_t>(state.range(1)),
                               .partition = static_cast<mrtbb::PartitionStrategy>(state.range(2))};
  std::uint64_t bytes = 0;
  for (auto _ : state) {
    const auto result = mrtbb::run_text_job({path}, tokenizer, options);
    benchmark::DoNotOptimize(result.results.data());
    bytes += result.stats.bytes;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_TextJob)
    ->ArgNames({"workers", "grain", "strategy"})
    ->ArgsProduct({{1, 2}, {16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20, 8 << 20}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Many distinct keys make the tables, not the text, the cost.
void BM_TextJobVocabulary(benchmark::State& state) {
  const auto workers = static_cast<std::size_t>(state.range(0));
  const auto words = static_cast<std::uint64_t>(state.range(1));
  const std::string& path = mrtbb::bench::generated_file(input_bytes, words);
  static const auto tokenizer = mrtbb::make_tokenizer({});
  std::uint64_t bytes = 0;
  for (auto _ : state) {
    const auto result = mrtbb::run_text_job({path}, tokenizer, {.workers = workers});
    benchmark::DoNotOptimize(result.results.data());
    bytes += result.stats.bytes;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_TextJobVocabulary)
    ->ArgNames({"workers", "vocabulary"})
    ->ArgsProduct({{1, 2}, {1000, 50000, 5000000}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
