// Worker state belongs to the pool's worker, not to whichever oneTBB thread happens to serve it:
// exactly one initializer run per worker, and one more after every max_tasks_per_worker tasks,
// even while a busy pool beside it moves oneTBB's threads between arenas.

#include <gtest/gtest.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <future>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "mrtbb/mrtbb.hpp"
#include "pool_test_support.hpp"

namespace {

using mrtbb::Pool;
using mrtbb::testing::finishes_within;
using mrtbb::testing::hang_limit;
using mrtbb::testing::numbers;

struct TaskCounter {
  int tasks = 0;
};

// Keeps a 4-worker pool busy with short tasks until destroyed, so that oneTBB moves its threads
// between that pool's arena and the arena of the pool under test. (Tasks that never end would keep
// four threads to themselves and move none.)
class BusyNeighbour {
 public:
  BusyNeighbour()
      : feeder_([this] {
          while (!stop_) {
            pool_.map(
                [](int x) {
                  std::this_thread::sleep_for(std::chrono::microseconds(50));
                  return x;
                },
                numbers(32), 1);
          }
        }) {}
  ~BusyNeighbour() {
    stop_ = true;
    feeder_.join();
  }

 private:
  std::atomic<bool> stop_{false};
  Pool pool_{{.workers = 4}};
  std::thread feeder_;
};

// One call at a time, so the pool's arena empties between calls and its thread can leave.
template <class Call>
void one_at_a_time(Pool& pool, int calls, Call call) {
  for (int i = 0; i < calls; ++i) {
    EXPECT_NO_THROW(pool.apply(call));
  }
}

TEST(PoolWorkers, OneWorkerRunsItsInitializerOnceBesideABusyPool) {
  BusyNeighbour neighbour;
  std::atomic<int> runs{0};
  Pool pool({.workers = 1}, [&runs] {
    ++runs;
    return TaskCounter{};
  });
  one_at_a_time(pool, 300, [] { return ++Pool::worker_state<TaskCounter>().tasks; });
  EXPECT_EQ(runs.load(), 1);
  EXPECT_EQ(pool.initializations(), 1u);
  EXPECT_EQ(pool.apply([] { return Pool::worker_state<TaskCounter>().tasks; }), 300);
}

TEST(PoolWorkers, EachWorkerRunsItsInitializerAtMostOnce) {
  BusyNeighbour neighbour;
  for (std::size_t workers = 1; workers <= 3; ++workers) {
    std::atomic<int> runs{0};
    Pool pool({.workers = workers}, [&runs] {
      ++runs;
      return TaskCounter{};
    });
    for (int round = 0; round < 20; ++round) {
      pool.map([](int) { return ++Pool::worker_state<TaskCounter>().tasks; }, numbers(40), 1);
    }
    EXPECT_GE(runs.load(), 1);
    EXPECT_LE(runs.load(), static_cast<int>(workers));
    EXPECT_EQ(pool.initializations(), static_cast<std::size_t>(runs.load()));
  }
}

TEST(PoolWorkers, StateIsRemadeExactlyEveryMaxTasksPerWorker) {
  BusyNeighbour neighbour;
  for (std::size_t limit : {1, 3, 7}) {
    std::atomic<int> runs{0};
    Pool pool({.workers = 1, .max_tasks_per_worker = limit}, [&runs] {
      ++runs;
      return TaskCounter{};
    });
    std::vector<int> seen;
    for (int i = 0; i < 50; ++i)
      seen.push_back(pool.apply([] { return ++Pool::worker_state<TaskCounter>().tasks; }));
    // A fresh state every `limit` tasks: 1, 2, ..., limit, 1, 2, ...
    for (std::size_t i = 0; i < seen.size(); ++i)
      EXPECT_EQ(seen[i], static_cast<int>(i % limit) + 1) << "limit " << limit << ", task " << i;
    EXPECT_EQ(static_cast<std::size_t>(runs.load()), (50 + limit - 1) / limit);
  }
}

struct Generation {
  explicit Generation(int n, std::atomic<int>& alive) : number(n), alive_count(&alive) {
    ++*alive_count;
  }
  Generation(Generation&& other) noexcept
      : number(other.number), alive_count(std::exchange(other.alive_count, nullptr)) {}
  Generation& operator=(Generation&&) = delete;
  ~Generation() {
    if (alive_count != nullptr) --*alive_count;
  }
  int number;
  std::atomic<int>* alive_count;
};

// A task that waits for work of its own pool runs that work on its own worker; with one task per
// state, that work remakes the worker's state while the waiting task still holds the old one.
TEST(PoolWorkers, AStateOutlivesEveryTaskUsingIt) {
  std::atomic<int> made{0};
  std::atomic<int> alive{0};
  {
    Pool pool({.workers = 1, .max_tasks_per_worker = 1}, [&] { return Generation(++made, alive); });
    const auto seen = pool.apply([&pool] {
      const Generation& mine = Pool::worker_state<Generation>();
      const int inner = pool.apply([] { return Pool::worker_state<Generation>().number; });
      // Still this task's own state, and still alive, after the inner task remade the worker's.
      return std::tuple(mine.number, inner, Pool::worker_state<Generation>().number);
    });
    EXPECT_EQ(std::get<0>(seen), 1);
    EXPECT_EQ(std::get<1>(seen), 2);
    EXPECT_EQ(std::get<2>(seen), 1);
    EXPECT_EQ(made.load(), 2);
  }
  EXPECT_EQ(alive.load(), 0);
}

// Every worker of one pool blocks until a task of another pool runs. The blocked pool has as many
// workers as cores, one more than the worker threads oneTBB lends by default, so without threads
// claimed per pool every thread oneTBB would lend is held by it and the other pool's task never
// starts.
TEST(PoolWorkers, APoolWhoseWorkersAllBlockLeavesAnotherPoolItsThreads) {
  const std::size_t blocked_workers = static_cast<std::size_t>(tbb::info::default_concurrency());
  Pool blocked({.workers = blocked_workers});
  Pool other({.workers = 1});
  std::promise<void> released;
  const std::shared_future<void> release = released.get_future().share();
  std::atomic<std::size_t> started{0};
  std::promise<void> all_started;
  auto waiting = blocked.map_async(
      [&](int item) {
        if (++started == blocked_workers) all_started.set_value();
        release.wait();
        return item;
      },
      numbers(static_cast<int>(blocked_workers)), 1);
  // Only once every worker of `blocked` holds its thread is the other pool asked for work.
  finishes_within(hang_limit, "the blocked pool's workers starting",
                  [&] { all_started.get_future().wait(); });
  finishes_within(hang_limit, "a task of a pool beside a pool whose workers all block", [&] {
    return other.apply([&] {
      released.set_value();
      return 0;
    });
  });
  EXPECT_EQ(waiting.get(), numbers(static_cast<int>(blocked_workers)));
}

// The program's own higher cap on oneTBB's threads stays in force after an arena that needed more
// than the default has come and gone. (mrtbb's cap, never lowered, used to be made regardless,
// and oneTBB applies the lowest live cap: the program's 64 became the arena's size for good.)
TEST(PoolWorkers, AnArenaLeavesTheProgramsOwnHigherCapInForce) {
  const auto cap = tbb::global_control::max_allowed_parallelism;
  const std::size_t cores = static_cast<std::size_t>(tbb::info::default_concurrency());
  tbb::global_control programs_own(cap, cores + 64);
  // cores + 64, or less where mrtbb raised a cap of its own earlier in this process.
  const std::size_t before = tbb::global_control::active_value(cap);
  {
    mrtbb::WorkerArena arena(cores + 2);
    EXPECT_EQ(arena.execute([] { return 7; }), 7);
  }
  EXPECT_EQ(tbb::global_control::active_value(cap), before);
}

}  // namespace
