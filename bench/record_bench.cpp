// The record path end to end, as group_stats uses it: a job over the lines of generated TSV
// records (make-corpus --tsv) that parses each line's key and integer value and folds count, sum,
// minimum and maximum per key, in bytes per second: workers x grain.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "generated_corpus.hpp"
#include "mrtbb/mrtbb.hpp"

namespace {

constexpr std::uint64_t rows = 2'000'000;
constexpr std::uint64_t keys = 1'000'000;

__extension__ using Sum = __int128;  // exact for any number of int64 values a machine can hold

struct KeyStats {
  std::uint64_t count = 0;
  Sum sum = 0;
  std::int64_t min = 0;
  std::int64_t max = 0;
};

void merge(KeyStats& into, KeyStats&& from) {
  into.count += from.count;
  into.sum += from.sum;
  into.min = std::min(into.min, from.min);
  into.max = std::max(into.max, from.max);
}

// The generated records are all well formed; a line that is not would be left out.
const auto parse = [](const mrtbb::Record& record, auto& emitter) {
  const std::string_view line = record.text;
  const auto tab = line.find('\t');
  if (tab == std::string_view::npos) return;
  std::int64_t value = 0;
  const char* end = line.data() + line.size();
  const auto [stop, error] = std::from_chars(line.data() + tab + 1, end, value);
  if (error != std::errc{} || stop != end) return;
  emitter.emit(line.substr(0, tab), KeyStats{1, value, value, value});
};

void BM_RecordJob(benchmark::State& state) {
  const std::string& path = mrtbb::bench::generated_records_file(rows, keys);
  const auto job = mrtbb::record_job<std::string, KeyStats>(parse).combine_with(merge);
  const mrtbb::Options options{.workers = static_cast<std::size_t>(state.range(0)),
                               .grain = static_cast<std::size_t>(state.range(1))};
  std::uint64_t bytes = 0;
  for (auto _ : state) {
    const auto result = mrtbb::run_file_job(job, {path}, options);
    benchmark::DoNotOptimize(result.results.data());
    bytes += result.stats.bytes;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_RecordJob)
    ->ArgNames({"workers", "grain"})
    ->ArgsProduct({{1, 2}, {64 << 10, 256 << 10, 1 << 20, 4 << 20}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
