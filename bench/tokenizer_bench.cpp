// The map phase alone: each word rule over in-memory text into one thread's count table, in bytes
// per second, on English-like (ASCII) and multi-script generated text, for several segment sizes.

#include <benchmark/benchmark.h>

#include "generated_corpus.hpp"
#include "mrtbb/mrtbb.hpp"

namespace {

constexpr std::uint64_t text_bytes = 16 << 20;

void BM_Tokenize(benchmark::State& state) {
  const auto kind = static_cast<mrtbb::TokenizerKind>(state.range(0));
  const bool multi_script = state.range(1) != 0;
  const auto segment = static_cast<std::size_t>(state.range(2));
  static const std::string ascii = mrtbb::bench::generated_text(text_bytes, 50000, false);
  static const std::string multi = mrtbb::bench::generated_text(text_bytes, 50000, true);
  const std::string_view text = multi_script ? multi : ascii;
  const auto tokenizer = mrtbb::make_tokenizer({.kind = kind});
  for (auto _ : state) {
    mrtbb::CountTable table;
    mrtbb::CountEmitter emitter(table);
    mrtbb::TextSegment piece;
    for (std::size_t at = 0; at < text.size(); at += segment) {
      piece.text = text.substr(at, segment);
      tokenizer(piece, emitter);
    }
    benchmark::DoNotOptimize(table.size());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetLabel(std::string(mrtbb::tokenizer_name(kind)) + (multi_script ? "/multi" : "/ascii"));
}
BENCHMARK(BM_Tokenize)
    ->ArgNames({"rule", "multi_script", "segment"})
    ->ArgsProduct({{0, 1, 2}, {0, 1}, {4 << 10, 1 << 20}})
    ->Unit(benchmark::kMillisecond);

// The count table alone: every word of the text added in turn, for small and large vocabularies
// (the table fits in cache, or does not).
void BM_CountTable(benchmark::State& state) {
  const auto vocabulary = static_cast<std::uint64_t>(state.range(0));
  const std::string text = mrtbb::bench::generated_text(text_bytes, vocabulary);
  std::vector<std::string_view> words;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = text.find_first_of(" \n", at);
    if (end != at) words.push_back(std::string_view(text).substr(at, end - at));
    at = end + 1;
  }
  for (auto _ : state) {
    mrtbb::CountTable table;
    for (const auto word : words)
      table.add(word);
    benchmark::DoNotOptimize(table.size());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * words.size()));
}
BENCHMARK(BM_CountTable)->Arg(1000)->Arg(50000)->Arg(5000000)->Unit(benchmark::kMillisecond);

}  // namespace
