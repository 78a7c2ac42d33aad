// map_fold: each value is folded into its key's running value as soon as it is emitted, so a sum
// over ten million items keeps 1024 numbers, not ten million.
#include <mrtbb/mrtbb.hpp>

#include <cstdint>
#include <cstdio>
#include <numeric>
#include <vector>

int main() {
  std::vector<std::int64_t> items(10'000'000);
  std::iota(items.begin(), items.end(), 0);
  const auto sums = mrtbb::map_fold<std::int64_t, std::int64_t>(
      items, [](std::int64_t item, auto& emit) { emit.emit(item % 1024, item); },
      [](std::int64_t& into, std::int64_t value) { into += value; });
  std::printf("keys: %zu\n", sums.size());
  std::printf("key 0: %lld\n", static_cast<long long>(sums.front().second));
  std::printf("key 1023: %lld\n", static_cast<long long>(sums.back().second));
}
