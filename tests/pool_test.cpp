// mrtbb::Pool against plain sequential loops: results, order, laziness, callbacks, worker state,
// life cycle, and retries that neither lose nor duplicate a result.

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <numeric>
#include <ranges>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "mrtbb/mrtbb.hpp"

namespace {

using mrtbb::Pool;
using mrtbb::PoolOptions;

std::vector<int> numbers(int n) {
  std::vector<int> v(static_cast<std::size_t>(n));
  std::iota(v.begin(), v.end(), 0);
  return v;
}

long square(int x) {
  return static_cast<long>(x) * x;
}

TEST(Pool, MapKeepsInputOrderForEveryWorkerCountAndChunksize) {
  const auto items = numbers(1000);
  std::vector<long> expected;
  for (int x : items)
    expected.push_back(square(x));
  for (std::size_t workers = 1; workers <= 4; ++workers) {
    Pool pool({.workers = workers});
    for (std::size_t chunksize : {0, 1, 3, 100, 5000}) {
      EXPECT_EQ(pool.map(square, items, chunksize), expected) << workers << " " << chunksize;
    }
  }
}

TEST(Pool, ApplyStarmapAndEmptyInput) {
  Pool pool({.workers = 2});
  EXPECT_EQ(pool.apply([](int a, const std::string& b) { return b + std::to_string(a); }, 7,
                       std::string("x")),
            "x7");
  const std::vector<std::tuple<int, std::string>> pairs = {{1, "chunk1"}, {3, "chunk2"}, {5, "c"}};
  const auto joined = pool.starmap(
      [](int n, const std::string& s) { return s + "-" + std::to_string(n * n); }, pairs, 2);
  EXPECT_EQ(joined, (std::vector<std::string>{"chunk1-1", "chunk2-9", "c-25"}));
  EXPECT_TRUE(pool.map(square, std::vector<int>{}).empty());
}

TEST(Pool, MapAsyncCallsOneCallbackAndReportsReadiness) {
  Pool pool({.workers = 2});
  std::promise<std::vector<long>> seen;
  auto result = pool.map_async(
      square, numbers(10), 2, [&](const std::vector<long>& r) { seen.set_value(r); },
      [&](std::exception_ptr) { ADD_FAILURE() << "no error expected"; });
  EXPECT_EQ(seen.get_future().get(), pool.map(square, numbers(10)));
  result.wait();
  EXPECT_TRUE(result.ready());
  EXPECT_TRUE(result.successful());
  EXPECT_TRUE(result.wait_for(std::chrono::seconds(0)));

  std::promise<std::string> error_seen;
  auto failing = pool.map_async([](int) -> int { throw std::runtime_error("boom"); }, numbers(3), 1,
                                [&](const std::vector<int>&) { ADD_FAILURE(); },
                                [&](std::exception_ptr e) {
                                  try {
                                    std::rethrow_exception(e);
                                  } catch (const mrtbb::TaskError& t) {
                                    error_seen.set_value(t.what());
                                  }
                                });
  EXPECT_NE(error_seen.get_future().get().find("boom"), std::string::npos);
  failing.wait();
  EXPECT_FALSE(failing.successful());
  EXPECT_THROW(failing.get(), mrtbb::TaskError);
}

TEST(Pool, SuccessfulBeforeReadyIsAnError) {
  Pool pool({.workers = 1});
  std::promise<void> release;
  auto gate = release.get_future().share();
  auto pending = pool.apply_async([gate] {
    gate.wait();
    return 1;
  });
  EXPECT_FALSE(pending.ready());
  EXPECT_FALSE(pending.wait_for(std::chrono::milliseconds(1)));
  EXPECT_THROW(pending.successful(), mrtbb::Error);
  release.set_value();
  EXPECT_EQ(pending.get(), 1);
}

TEST(Pool, ThrowingCallbackIsReportedAndThePoolGoesOn) {
  Pool pool({.workers = 2});
  auto result = pool.map_async(square, numbers(5), 1,
                               [](const std::vector<long>&) { throw std::logic_error("cb"); });
  try {
    result.get();
    FAIL() << "expected CallbackError";
  } catch (const mrtbb::CallbackError& e) {
    EXPECT_NE(std::string(e.what()).find("cb"), std::string::npos);
    EXPECT_THROW(std::rethrow_if_nested(e), std::logic_error);
  }
  EXPECT_EQ(pool.map(square, numbers(5)), (std::vector<long>{0, 1, 4, 9, 16}));
}

TEST(Pool, ImapIsOrderedLazyAndBounded) {
  Pool pool({.workers = 3});
  // An endless input: only what is asked for (plus the bounded look-ahead) is ever read.
  auto results =
      pool.imap(square, std::views::iota(0), /*chunksize=*/4, /*max_chunks_in_flight=*/3);
  std::vector<long> got;
  for (int i = 0; i < 50; ++i) {
    got.push_back(*results.next());
    ASSERT_LE(results.chunks_in_flight(), 3u);
    ASSERT_LE(results.items_read(), static_cast<std::size_t>(i + 1) + 4 * 4);
  }
  std::vector<long> expected;
  for (int i = 0; i < 50; ++i)
    expected.push_back(square(i));
  EXPECT_EQ(got, expected);
}

TEST(Pool, ImapUnorderedYieldsEveryResultOnceWithItsIndex) {
  Pool pool({.workers = 4});
  const auto items = numbers(200);
  std::map<std::size_t, long> got;
  for (const auto& [index, value] : pool.imap_unordered(square, items, 3)) {
    ASSERT_TRUE(got.emplace(index, value).second) << "duplicate " << index;
  }
  ASSERT_EQ(got.size(), items.size());
  for (const auto& [index, value] : got)
    EXPECT_EQ(value, square(static_cast<int>(index)));
}

TEST(Pool, ImapFailureIsThrownAtItsPositionAndIterationGoesOn) {
  Pool pool({.workers = 2});
  const auto items = numbers(6);
  auto results = pool.imap(
      [](int x) {
        if (x == 2) throw std::runtime_error("two");
        return x;
      },
      items);
  EXPECT_EQ(*results.next(), 0);
  EXPECT_EQ(*results.next(), 1);
  EXPECT_THROW(results.next(), std::runtime_error);
  EXPECT_EQ(*results.next(), 3);
}

struct WorkerId {
  int id;
  int tasks = 0;
};

TEST(Pool, InitializerMakesEachWorkersStateAndRefreshesIt) {
  std::atomic<int> made{0};
  Pool pool(
      {.workers = 2, .max_tasks_per_worker = 3},
      [&made](int base) { return WorkerId{base + made++}; }, 100);
  const auto tasks_seen = pool.map(
      [](int) {
        auto& state = Pool::worker_state<WorkerId>();
        return ++state.tasks;
      },
      numbers(60), 1);
  // A state never sees more than max_tasks_per_worker tasks before it is made again.
  for (int seen : tasks_seen)
    EXPECT_LE(seen, 3);
  EXPECT_GE(pool.initializations(), 20u);
  EXPECT_EQ(pool.initializations(), static_cast<std::size_t>(made.load()));
  EXPECT_THROW(Pool::worker_state<WorkerId>(), mrtbb::Error);  // not inside a task
}

TEST(Pool, FailingInitializerFailsTheTasksInsteadOfHanging) {
  Pool pool({.workers = 2}, []() -> int { throw std::runtime_error("no state"); });
  EXPECT_THROW(pool.map(square, numbers(4)), mrtbb::TaskError);
}

TEST(Pool, LifeCycle) {
  Pool pool({.workers = 2});
  EXPECT_THROW(pool.join(), mrtbb::Error);  // join before close
  auto pending = pool.map_async(square, numbers(100), 1);
  pool.close();
  EXPECT_THROW(pool.map(square, numbers(1)), mrtbb::Error);
  pool.join();
  EXPECT_TRUE(pending.ready());
  EXPECT_EQ(pending.get().size(), 100u);
}

TEST(Pool, DestructorDrainsSubmittedWork) {
  std::atomic<int> ran{0};
  std::optional<mrtbb::AsyncResult<std::vector<int>>> result;
  {
    Pool pool({.workers = 2});
    result = pool.map_async(
        [&ran](int x) {
          ++ran;
          return x;
        },
        numbers(500), 1);
  }
  EXPECT_EQ(ran.load(), 500);
  EXPECT_EQ(result->get().size(), 500u);
}

TEST(Pool, TerminateFailsWhatHasNotStarted) {
  Pool pool({.workers = 1});
  std::promise<void> started;
  std::promise<void> release;
  auto gate = release.get_future().share();
  auto blocked = pool.apply_async([gate, &started] {
    started.set_value();
    gate.wait();
    return 1;
  });
  started.get_future().wait();  // the only worker is now busy, so the map cannot have started
  auto queued = pool.map_async(square, numbers(10), 1);
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    release.set_value();
  });
  pool.terminate();
  releaser.join();
  EXPECT_EQ(blocked.get(), 1);
  EXPECT_THROW(queued.get(), mrtbb::TaskError);
}

// Fails the first attempt of about one item in five, chosen by a hash of the item, and counts
// every injected failure.
class FaultInjector {
 public:
  template <class R>
  R run(int item, R value) {
    if (std::hash<int>{}(item * 2654435761u) % 5 == 0) {
      std::lock_guard lock(mutex_);
      if (failed_once_.insert(item).second) {
        ++injected_;
        throw std::runtime_error("injected failure for " + std::to_string(item));
      }
    }
    return value;
  }
  int injected() const { return injected_; }

 private:
  std::mutex mutex_;
  std::set<int> failed_once_;
  int injected_ = 0;
};

TEST(PoolRetries, InjectedFaultsGiveTheFaultFreeResultEverywhere) {
  const auto items = numbers(400);
  std::vector<long> expected;
  for (int x : items)
    expected.push_back(square(x));
  for (std::size_t workers = 1; workers <= 4; ++workers) {
    const PoolOptions options{.workers = workers, .retry = {.attempts = 3}};
    {
      FaultInjector faults;
      Pool pool(options);
      EXPECT_EQ(pool.map([&](int x) { return faults.run(x, square(x)); }, items, 7), expected);
      EXPECT_GT(faults.injected(), 40);
      EXPECT_EQ(pool.retries(), static_cast<std::size_t>(faults.injected()));
    }
    {
      FaultInjector faults;
      Pool pool(options);
      std::vector<std::tuple<int>> tuples;
      for (int x : items)
        tuples.emplace_back(x);
      EXPECT_EQ(pool.starmap([&](int x) { return faults.run(x, square(x)); }, tuples), expected);
    }
    {
      FaultInjector faults;
      Pool pool(options);
      std::vector<long> got;
      for (long v : pool.imap([&](int x) { return faults.run(x, square(x)); }, items, 5)) {
        got.push_back(v);
      }
      EXPECT_EQ(got, expected);
    }
    {
      FaultInjector faults;
      Pool pool(options);
      std::vector<long> got(items.size(), -1);
      std::size_t seen = 0;
      for (const auto& [i, v] :
           pool.imap_unordered([&](int x) { return faults.run(x, square(x)); }, items, 5)) {
        got[i] = v;
        ++seen;
      }
      EXPECT_EQ(seen, items.size());
      EXPECT_EQ(got, expected);
    }
  }
}

TEST(PoolRetries, ItemsThatKeepFailingAreEachReportedOnce) {
  Pool pool({.workers = 3, .retry = {.attempts = 4}});
  std::atomic<int> calls{0};
  try {
    pool.map(
        [&](int x) {
          ++calls;
          if (x % 10 == 3) throw std::runtime_error("always");
          return x;
        },
        numbers(50), 2);
    FAIL();
  } catch (const mrtbb::TaskError& error) {
    std::vector<std::size_t> indices;
    for (const auto& f : error.failures()) {
      indices.push_back(f.index);
      EXPECT_EQ(f.attempts, 4u);
    }
    EXPECT_EQ(indices, (std::vector<std::size_t>{3, 13, 23, 33, 43}));
  }
  EXPECT_EQ(calls.load(), 45 + 5 * 4);
}

TEST(PoolRetries, OnlyRetryableExceptionsAreRetried) {
  Pool pool({.workers = 2, .retry = {.attempts = 5, .retryable = [](const std::exception_ptr& e) {
                                       try {
                                         std::rethrow_exception(e);
                                       } catch (const std::runtime_error&) {
                                         return true;
                                       } catch (...) {
                                         return false;
                                       }
                                     }}});
  std::atomic<int> calls{0};
  EXPECT_THROW(pool.apply([&] {
    ++calls;
    throw std::logic_error("not worth retrying");
    return 0;
  }),
               std::logic_error);
  EXPECT_EQ(calls.load(), 1);
}

}  // namespace
