// End-to-end text job throughput: workers x grain x partition strategy, in bytes per second.

#include <benchmark/benchmark.h>

#include <string_view>

#include "mrtbb/mrtbb.hpp"
#include "synthetic_text.hpp"

namespace {

constexpr std::size_t input_bytes = 32 << 20;
constexpr std::size_t vocabulary = 50000;

void split_on_spaces(const mrtbb::TextSegment& segment, mrtbb::CountEmitter& emit) {
  const std::string_view text = segment.text;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\n'))
      ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\n')
      ++i;
    if (i > start) emit.emit(text.substr(start, i - start));
  }
}

void BM_TextJob(benchmark::State& state) {
  const std::string& path = mrtbb::bench::zipf_file(input_bytes, vocabulary);
  const mrtbb::Options options{.workers = static_cast<std::size_t>(state.range(0)),
                               .grain = static_cast<std::size_t>(state.range(1)),
                               .partition = static_cast<mrtbb::PartitionStrategy>(state.range(2))};
  std::uint64_t bytes = 0;
  for (auto _ : state) {
    const auto result = mrtbb::run_text_job({path}, split_on_spaces, options);
    benchmark::DoNotOptimize(result.counts.data());
    bytes += result.stats.bytes;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_TextJob)
    ->ArgNames({"workers", "grain", "strategy"})
    ->ArgsProduct({{1, 2}, {64 << 10, 1 << 20, 8 << 20}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
