// Hash flooding: keys crafted so that the short-key hash without a seed sends every one of them to
// the same slot, counted by a table keyed with that fixed seed (HashSeed{}: each new key walks the
// whole probe chain, so n keys cost n^2 / 2 probes) and by one keyed with the process's random
// seed, beside ordinary keys of the same length. Items are keys added.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "mrtbb/core/count_table.hpp"
#include "support/colliding_keys.hpp"

namespace {

std::vector<std::string> ordinary_keys(std::size_t count) {
  std::mt19937_64 rng(1);
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < count; ++i) {
    std::string key(16, '\0');
    for (char& c : key)
      c = static_cast<char>('a' + rng() % 26);
    keys.push_back(std::move(key));
  }
  return keys;
}

enum class Input { crafted_fixed_seed, crafted_process_seed, ordinary_process_seed };

void BM_HashFlood(benchmark::State& state) {
  const auto input = static_cast<Input>(state.range(0));
  const auto count = static_cast<std::size_t>(state.range(1));
  const auto keys = input == Input::ordinary_process_seed
                        ? ordinary_keys(count)
                        : mrtbb::testing::keys_colliding_without_a_seed(count);
  for (auto _ : state) {
    mrtbb::CountTable table = input == Input::crafted_fixed_seed
                                  ? mrtbb::CountTable(mrtbb::HashSeed{})
                                  : mrtbb::CountTable();
    for (const auto& key : keys)
      table.add(key);
    benchmark::DoNotOptimize(table.size());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * keys.size()));
}
BENCHMARK(BM_HashFlood)
    ->ArgNames({"input", "keys"})
    ->ArgsProduct({{static_cast<int>(Input::crafted_fixed_seed),
                    static_cast<int>(Input::crafted_process_seed),
                    static_cast<int>(Input::ordinary_process_seed)},
                   {1 << 12, 1 << 15}})
    ->Unit(benchmark::kMillisecond);

}  // namespace
