// Pools made and destroyed in a loop, as Pool.MapKeepsInputOrderForEveryWorkerCountAndChunksize
// does (1, 2, 3 then 4 workers, five maps each), timing every step: the longest step is the
// longest stall a caller saw. Not a Google Benchmark: what matters is the worst step over thousands
// of pool lifetimes, not a mean. scripts/pool-stall runs it alone and beside busy loops.
//
// usage: pool_churn [ROUNDS] [MODE]
//   MODE pool (default): mrtbb::Pool.
//   MODE tbb-cap-per-arena: the same steps on plain oneTBB, with a global_control raising
//     max_allowed_parallelism for each arena that needs it and dropped with the arena (mrtbb's
//     WorkerArena before WorkerThreadClaim).
//   MODE tbb-cap-kept: the same, with one cap raised once and kept (WorkerThreadClaim's way).

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "mrtbb/pool/pool.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t most_workers = 4;
constexpr double slow_ms = 50;

long square(int x) {
  return static_cast<long>(x) * x;
}

class StepTimes {
 public:
  template <class Step>
  void time(const std::string& what, Step step) {
    const auto start = Clock::now();
    step();
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (ms > longest_ms_) {
      longest_ms_ = ms;
      longest_ = what;
    }
    if (ms > slow_ms) {
      auto& [count, worst] = slow_[what];
      ++count;
      worst = std::max(worst, ms);
    }
  }

  void report(const std::string& mode, int rounds, double seconds) const {
    long slow_steps = 0;
    for (const auto& entry : slow_)
      slow_steps += entry.second.first;
    std::printf(
        "%s: %d rounds (%d pool lifetimes) in %.1f s; longest step %.1f ms (%s); %ld steps over "
        "%.0f ms\n",
        mode.c_str(), rounds, rounds * static_cast<int>(most_workers), seconds, longest_ms_,
        longest_.c_str(), slow_steps, slow_ms);
    for (const auto& [what, entry] : slow_)
      std::printf("  %-20s %5ld over %.0f ms, longest %.0f ms\n", what.c_str(), entry.first,
                  slow_ms, entry.second);
  }

 private:
  double longest_ms_ = 0;
  std::string longest_ = "none";
  std::map<std::string, std::pair<long, double>> slow_;
};

void pool_round(const std::vector<int>& items, StepTimes& times) {
  for (std::size_t workers = 1; workers <= most_workers; ++workers) {
    const std::string name = std::to_string(workers) + " workers";
    std::optional<mrtbb::Pool> pool;
    times.time("make, " + name, [&] { pool.emplace(mrtbb::PoolOptions{.workers = workers}); });
    for (std::size_t chunksize : {0, 1, 3, 100, 5000}) {
      times.time("map c" + std::to_string(chunksize) + ", " + name, [&] {
        if (pool->map(square, items, chunksize).size() != items.size()) std::abort();
      });
    }
    times.time("destroy, " + name, [&] { pool.reset(); });
  }
}

// What WorkerArena and PoolCore do, without mrtbb: an arena of `workers` oneTBB threads and none
// for the caller, tasks enqueued, the caller waiting on a condition variable.
void tbb_round(bool keep_cap, const std::vector<int>& items, StepTimes& times) {
  static std::optional<tbb::global_control> kept_cap;
  if (keep_cap && !kept_cap) {
    kept_cap.emplace(tbb::global_control::max_allowed_parallelism, most_workers + 1);
  }
  for (std::size_t workers = 1; workers <= most_workers; ++workers) {
    const std::string name = std::to_string(workers) + " workers";
    std::optional<tbb::global_control> cap;
    std::optional<tbb::task_arena> arena;
    times.time("make, " + name, [&] {
      if (!keep_cap && workers + 1 > static_cast<std::size_t>(tbb::info::default_concurrency())) {
        cap.emplace(tbb::global_control::max_allowed_parallelism, workers + 1);
      }
      arena.emplace(static_cast<int>(workers), 0);
    });
    std::mutex mutex;
    std::condition_variable idle;
    std::size_t pending = 0;
    // The chunk counts of map's chunksizes 0, 1, 3, 100 and 5000 over 1000 items.
    for (std::size_t chunks :
         {4 * workers, std::size_t{1000}, std::size_t{334}, std::size_t{10}, std::size_t{1}}) {
      times.time("enqueue " + std::to_string(chunks) + ", " + name, [&] {
        {
          std::lock_guard lock(mutex);
          pending += chunks;
        }
        const std::size_t per_chunk = (items.size() + chunks - 1) / chunks;
        for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
          arena->enqueue([&, chunk] {
            long sum = 0;
            for (std::size_t i = chunk * per_chunk;
                 i < std::min(items.size(), (chunk + 1) * per_chunk); ++i)
              sum += square(items[i]);
            if (sum < 0) std::abort();
            std::lock_guard lock(mutex);
            if (--pending == 0) idle.notify_all();
          });
        }
        std::unique_lock lock(mutex);
        idle.wait(lock, [&] { return pending == 0; });
      });
    }
    times.time("destroy, " + name, [&] {
      arena.reset();
      cap.reset();
    });
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 1000;
  const std::string mode = argc > 2 ? argv[2] : "pool";
  if (rounds < 1 || (mode != "pool" && mode != "tbb-cap-per-arena" && mode != "tbb-cap-kept")) {
    std::fprintf(stderr, "usage: pool_churn [ROUNDS >= 1] [pool|tbb-cap-per-arena|tbb-cap-kept]\n");
    return 2;
  }
  std::vector<int> items(1000);
  std::iota(items.begin(), items.end(), 0);
  StepTimes times;
  const auto start = Clock::now();
  for (int round = 0; round < rounds; ++round) {
    if (mode == "pool") {
      pool_round(items, times);
    } else {
      tbb_round(mode == "tbb-cap-kept", items, times);
    }
  }
  times.report(mode, rounds, std::chrono::duration<double>(Clock::now() - start).count());
}
