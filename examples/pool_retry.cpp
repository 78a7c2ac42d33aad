// A task that fails one time in five is retried until every item is done; results stay in input
// order (the seed's resubmit-from-a-queue approach loses it).
#include <mrtbb/mrtbb.hpp>

#include <atomic>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <vector>

int main() {
  std::atomic<int> failures{0};
  mrtbb::Pool pool({.workers = 5, .retry = {.attempts = 100}});
  const std::vector<int> numbers = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const auto results = pool.map(
      [&failures](int x) {
        thread_local std::mt19937 rng(std::random_device{}());
        if (rng() % 5 == 0) {
          ++failures;
          throw std::runtime_error("injected failure");
        }
        return x * x;
      },
      numbers, /*chunksize=*/2);
  std::printf("failures: %d (retried: %zu)\n", failures.load(), pool.retries());
  std::printf("final results:");
  for (int r : results)
    std::printf(" %d", r);
  std::printf("\n");
}
