// A word count whose map function fails part-way through one line in five: every failed try's pairs
// are thrown away and the line is mapped again, so the counts equal those of a fault-free run. A
// line that can never be mapped is left out and reported instead of failing the whole job.
#include <mrtbb/mrtbb.hpp>

#include <atomic>
#include <cstdio>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

int main() {
  const std::vector<std::string> lines = {"the map may fail", "the map is retried",
                                          "no count is doubled", "BROKEN line",
                                          "the counts are exact"};
  std::atomic<int> injected{0};
  const auto map = [&](const std::string& line, mrtbb::Emitter<std::string, int>& emit) {
    thread_local std::mt19937 rng(std::random_device{}());
    std::istringstream words(line);
    for (std::string word; words >> word;) {
      emit.emit(word, 1);  // emitted before the failure below: discarded with the failed try
      if (word == "BROKEN") throw std::runtime_error("cannot map this line");
      if (rng() % 5 == 0) {
        ++injected;
        throw std::runtime_error("injected failure");
      }
    }
  };
  const auto count = [](const std::string&, const std::vector<int>& ones) { return ones.size(); };

  std::vector<mrtbb::MapFailure> failures;
  const mrtbb::Options options{.workers = 2,
                               .retry = {.attempts = 1000},
                               .on_map_error = mrtbb::ErrorPolicy::skip_and_report};
  const auto counts = mrtbb::map_reduce<std::string, int>(lines, map, count, options, &failures);

  std::printf("injected failures: %s\n", injected.load() > 0 ? "some" : "none");
  for (const auto& [word, n] : counts)
    std::printf("%s %zu\n", word.c_str(), n);
  for (const auto& failure : failures)
    std::printf("left out line %llu after %zu tries: %s\n",
                static_cast<unsigned long long>(failure.position), failure.attempts,
                failure.reason.c_str());
}
