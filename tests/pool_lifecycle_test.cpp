// The Pool's life cycle as CPython's Pool tests know it: close() lets iterators already made
// finish, a closed pool refuses new calls whatever their input, terminate() ends iteration at once,
// a task can use its own pool, and nothing a call was given is kept once it is done.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <ranges>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "mrtbb/mrtbb.hpp"
#include "pool_test_support.hpp"

namespace {

using mrtbb::Pool;
using mrtbb::testing::collect;
using mrtbb::testing::finishes_within;
using mrtbb::testing::hang_limit;
using mrtbb::testing::numbers;
using mrtbb::testing::sequential_map;
using mrtbb::testing::square;

// Python: it = pool.imap(f, xs); pool.close(); list(it); pool.join()
TEST(PoolLifeCycle, ImapMadeBeforeCloseYieldsEveryResult) {
  const auto items = numbers(40);
  const auto expected = sequential_map(items, square);
  for (std::size_t workers = 1; workers <= 4; ++workers) {
    for (std::size_t chunksize : {1, 3, 40}) {
      Pool pool({.workers = workers});
      auto ordered = pool.imap(square, items, chunksize, /*max_chunks_in_flight=*/2);
      auto unordered = pool.imap_unordered(square, items, chunksize, 2);
      pool.close();
      const auto got = finishes_within(hang_limit, "imap after close()", [&] {
        const auto values = collect(ordered);
        std::vector<long> any_order(items.size(), -1);
        for (const auto& [index, value] : unordered)
          any_order[index] = value;
        return std::pair(values, any_order);
      });
      pool.join();
      EXPECT_EQ(got.first, expected) << workers << " workers, chunksize " << chunksize;
      EXPECT_EQ(got.second, expected) << workers << " workers, chunksize " << chunksize;
    }
  }
}

TEST(PoolLifeCycle, ImapOnAClosedPoolRaisesAtTheCall) {
  Pool pool({.workers = 2});
  pool.close();
  EXPECT_THROW(pool.imap(square, numbers(3)), mrtbb::Error);
  EXPECT_THROW(pool.imap_unordered(square, numbers(3)), mrtbb::Error);
  pool.join();
}

TEST(PoolLifeCycle, NextAfterTerminateRaisesAtOnceEveryTime) {
  Pool pool({.workers = 2});
  auto results = pool.imap(square, std::views::iota(0), 1, 4);
  EXPECT_EQ(*results.next(), 0);
  pool.terminate();
  for (int call = 0; call < 10; ++call) {
    EXPECT_THROW(
        finishes_within(hang_limit, "next() after terminate()", [&] { return results.next(); }),
        mrtbb::Error);
  }
}

TEST(PoolLifeCycle, EveryCallOnAClosedPoolRaisesEvenForEmptyInput) {
  Pool pool({.workers = 2});
  pool.close();
  const std::vector<int> none;
  const std::vector<std::tuple<int>> no_tuples;
  EXPECT_THROW(pool.map(square, none), mrtbb::Error);
  EXPECT_THROW(pool.map_async(square, none), mrtbb::Error);
  EXPECT_THROW(pool.starmap(square, no_tuples), mrtbb::Error);
  EXPECT_THROW(pool.starmap_async(square, no_tuples), mrtbb::Error);
  EXPECT_THROW(pool.imap(square, none), mrtbb::Error);
  EXPECT_THROW(pool.apply_async(square, 1), mrtbb::Error);
  pool.join();
}

TEST(PoolLifeCycle, EmptyInputsGiveEmptyResults) {
  Pool pool({.workers = 1});
  const std::vector<int> none;
  EXPECT_TRUE(pool.map(square, none).empty());
  EXPECT_TRUE(pool.map(square, none, 1).empty());
  auto pending = pool.map_async(square, none, 1);
  EXPECT_TRUE(pending.wait_for(std::chrono::seconds(10)));
  EXPECT_TRUE(pending.get().empty());
  EXPECT_FALSE(pool.imap(square, none).next().has_value());
  EXPECT_FALSE(pool.imap_unordered(square, none).next().has_value());
}

// Python's maxtasksperchild with an early close: join() must not wait for workers to be remade.
TEST(PoolLifeCycle, CloseAndJoinWithShortLivedWorkerStates) {
  Pool pool({.workers = 3, .max_tasks_per_worker = 1}, [] { return 0; });
  std::vector<mrtbb::AsyncResult<long>> results;
  for (int i = 0; i < 6; ++i)
    results.push_back(pool.apply_async(square, i));
  pool.close();
  finishes_within(hang_limit, "join()", [&] { pool.join(); });
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(results[static_cast<std::size_t>(i)].get(), square(i));
}

// Python's test_release_task_refs: once a call is done the pool holds none of its inputs.
TEST(PoolLifeCycle, NothingACallWasGivenIsKeptAfterIt) {
  Pool pool({.workers = 3});
  std::vector<std::shared_ptr<int>> items;
  for (int i = 0; i < 20; ++i)
    items.push_back(std::make_shared<int>(i));
  const auto value_of = [](const std::shared_ptr<int>& p) { return *p; };
  EXPECT_EQ(pool.map(value_of, items, 3).size(), items.size());
  auto pending = pool.map_async(value_of, items, 1);
  pending.wait();
  auto one = pool.apply_async(value_of, items[0]);
  EXPECT_EQ(one.get(), 0);
  std::vector<int> streamed;
  for (int v : pool.imap(value_of, items, 2))
    streamed.push_back(v);
  EXPECT_EQ(streamed.size(), items.size());
  for (const auto& item : items)
    EXPECT_EQ(item.use_count(), 1) << "item " << *item << " is still held";
}

// f may use the caller's locals: once an iteration is gone, nothing calls f any more.
TEST(PoolLifeCycle, DroppingAnIterationStopsItsWork) {
  Pool pool({.workers = 3});
  for (int round = 0; round < 5; ++round) {
    std::atomic<bool> dropped{false};
    std::atomic<int> calls_after_drop{0};
    {
      auto results = pool.imap(
          [&](int x) {
            if (dropped) ++calls_after_drop;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            return x;
          },
          std::views::iota(0), 1, 12);
      EXPECT_EQ(*results.next(), 0);
    }
    dropped = true;
    pool.apply([] { return 0; });  // a task queued after the dropped chunks
    EXPECT_EQ(calls_after_drop.load(), 0);
  }
}

TEST(PoolLifeCycle, ATaskCanApplyMapAndIterateOnItsOwnPool) {
  for (std::size_t workers = 1; workers <= 3; ++workers) {
    Pool pool({.workers = workers});
    const auto items = numbers(12);
    const auto got = finishes_within(hang_limit, "a task using its own pool", [&] {
      return pool.map(
          [&pool](int x) {
            const long applied = pool.apply(square, x);
            const auto mapped = pool.map(square, numbers(x + 1), 2);
            long streamed = 0;
            for (long v : pool.imap(square, numbers(x + 1), 1, 1))
              streamed += v;
            auto pending = pool.apply_async(square, x);
            return applied + mapped.back() + streamed - pending.get();
          },
          items, 1);
    });
    const auto expected = sequential_map(items, [](int x) {
      long sum = 0;
      for (int k = 0; k <= x; ++k)
        sum += square(k);
      return square(x) + sum;
    });
    EXPECT_EQ(got, expected) << workers << " workers";
  }
}

TEST(PoolLifeCycle, JoinOrTerminateInsideOwnTaskRaisesAtOnce) {
  for (const bool terminate : {false, true}) {
    Pool pool({.workers = 2});
    auto inside = pool.apply_async([&pool, terminate] {
      if (terminate) {
        pool.terminate();
      } else {
        pool.close();
        pool.join();
      }
      return 0;
    });
    try {
      finishes_within(hang_limit, "join()/terminate() inside a task", [&] { return inside.get(); });
      ADD_FAILURE() << "expected an error";
    } catch (const mrtbb::Error& error) {
      EXPECT_NE(std::string(error.what()).find("own tasks"), std::string::npos) << error.what();
    }
    pool.close();
    pool.join();
  }
}

}  // namespace
