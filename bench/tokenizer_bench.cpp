// The map phase alone: each word rule over in-memory text into one thread's count table, in bytes
// per second, on English-like (ASCII), multi-script, Cyrillic (two-byte) and CJK (three-byte)
// generated text, for several segment sizes.

#include <benchmark/benchmark.h>

#include "generated_corpus.hpp"
#include "mrtbb/mrtbb.hpp"

namespace {

constexpr std::uint64_t text_bytes = 16 << 20;

enum class Script { ascii, multi, cyrillic, cjk };

// The ASCII text with each Latin letter written in another script, the same words in the same
// order: a to а (U+0430) and A to А for Cyrillic, a to U+4E00 and up for CJK (which has no case).
std::string transliterated(std::string_view ascii, char32_t lower_a, char32_t upper_a) {
  std::string out;
  out.reserve(ascii.size() * 3);
  for (const char c : ascii) {
    if (c >= 'a' && c <= 'z') {
      mrtbb::utf8::append(out, lower_a + static_cast<char32_t>(c - 'a'));
    } else if (c >= 'A' && c <= 'Z') {
      mrtbb::utf8::append(out, upper_a + static_cast<char32_t>(c - 'A'));
    } else {
      out += c;
    }
  }
  return out;
}

std::string_view text_in(Script script) {
  static const std::string ascii = mrtbb::bench::generated_text(text_bytes, 50000, false);
  static const std::string multi = mrtbb::bench::generated_text(text_bytes, 50000, true);
  static const std::string cyrillic =
      transliterated(std::string_view(ascii).substr(0, text_bytes / 2), U'\u0430', U'\u0410');
  static const std::string cjk =
      transliterated(std::string_view(ascii).substr(0, text_bytes / 3), U'\u4e00', U'\u4e00');
  switch (script) {
    case Script::ascii:
      return ascii;
    case Script::multi:
      return multi;
    case Script::cyrillic:
      return cyrillic;
    case Script::cjk:
      return cjk;
  }
  return ascii;
}

constexpr const char* script_names[] = {"/ascii", "/multi", "/cyrillic", "/cjk"};

void BM_Tokenize(benchmark::State& state) {
  const auto kind = static_cast<mrtbb::TokenizerKind>(state.range(0));
  const auto script = static_cast<Script>(state.range(1));
  const auto segment = static_cast<std::size_t>(state.range(2));
  const std::string_view text = text_in(script);
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
  state.SetLabel(std::string(mrtbb::tokenizer_name(kind)) + script_names[state.range(1)]);
}
BENCHMARK(BM_Tokenize)
    ->ArgNames({"rule", "script", "segment"})
    ->ArgsProduct({{0, 1, 2}, {0, 1, 2, 3}, {4 << 10, 1 << 20}})
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
