// How failures leave a Pool: a task's own exception comes back as it was thrown (CPython's
// ThreadPool, std::future); TaskError only gathers several; every user callback that throws is a
// CallbackError naming it; options that cannot work are refused when the pool is made.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "mrtbb/mrtbb.hpp"
#include "pool_test_support.hpp"

namespace {

using mrtbb::Pool;
using mrtbb::testing::finishes_within;
using mrtbb::testing::hang_limit;
using mrtbb::testing::numbers;
using mrtbb::testing::square;

struct KeyMissing : std::out_of_range {
  using std::out_of_range::out_of_range;
};

long fails_on_seven(int x) {
  if (x == 7) throw KeyMissing("no key 7");
  return square(x);
}

TEST(PoolErrors, ApplyRethrowsTheTasksOwnException) {
  Pool pool({.workers = 1});
  EXPECT_THROW(pool.apply([] { return fails_on_seven(7); }), KeyMissing);
  auto pending = pool.apply_async(fails_on_seven, 7);
  EXPECT_THROW(pending.get(), KeyMissing);
  EXPECT_FALSE(pending.successful());
  EXPECT_EQ(pool.apply(fails_on_seven, 3), 9);
}

TEST(PoolErrors, MapWithOneFailedItemRethrowsItsException) {
  for (std::size_t workers = 1; workers <= 4; ++workers) {
    Pool pool({.workers = workers});
    for (std::size_t chunksize : {0, 1, 4, 100}) {
      EXPECT_THROW(pool.map(fails_on_seven, numbers(20), chunksize), KeyMissing);
      EXPECT_THROW(pool.map_async(fails_on_seven, numbers(20), chunksize).get(), KeyMissing);
      auto results = pool.imap(fails_on_seven, numbers(9), chunksize == 0 ? 1 : chunksize);
      for (int x = 0; x < 7; ++x)
        EXPECT_EQ(*results.next(), square(x));
      EXPECT_THROW(results.next(), KeyMissing);
      EXPECT_EQ(*results.next(), square(8));
    }
  }
}

TEST(PoolErrors, SeveralFailedItemsComeAsOneTaskErrorHoldingEachOriginal) {
  Pool pool({.workers = 3});
  const auto fails_on_multiples_of_7 = [](int x) {
    if (x > 0 && x % 7 == 0) throw std::invalid_argument("bad " + std::to_string(x));
    return x;
  };
  try {
    pool.map(fails_on_multiples_of_7, numbers(30), 4);
    FAIL() << "expected TaskError";
  } catch (const mrtbb::TaskError& error) {
    std::vector<std::size_t> indices;
    for (const auto& failure : error.failures()) {
      indices.push_back(failure.index);
      EXPECT_THROW(std::rethrow_exception(failure.error), std::invalid_argument);
    }
    EXPECT_EQ(indices, (std::vector<std::size_t>{7, 14, 21, 28}));
    EXPECT_NE(std::string(error.what()).find("item 7"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("bad 7"), std::string::npos) << error.what();
  }
}

// Python's test_async_error_callback and test_map_async_callbacks.
TEST(PoolErrors, ErrorCallbackGetsWhatGetThrows) {
  Pool pool({.workers = 2});
  std::promise<std::exception_ptr> seen;
  auto failing = pool.map_async(
      fails_on_seven, numbers(10), 1, [](const std::vector<long>&) { ADD_FAILURE(); },
      [&seen](std::exception_ptr error) { seen.set_value(error); });
  EXPECT_THROW(std::rethrow_exception(seen.get_future().get()), KeyMissing);
  EXPECT_THROW(failing.get(), KeyMissing);
}

// Python's test_map_no_failfast: a failure does not end the call before its other items are done.
TEST(PoolErrors, MapRaisesOnlyAfterEveryItemHasRun) {
  Pool pool({.workers = 2});
  std::atomic<bool> first_failed{false};
  std::atomic<bool> second_done{false};
  EXPECT_THROW(pool.map(
                   [&](int x) {
                     if (x == 0) {
                       first_failed = true;
                       throw KeyMissing("first");
                     }
                     while (!first_failed)
                       std::this_thread::yield();
                     second_done = true;
                     return x;
                   },
                   numbers(2), 1),
               KeyMissing);
  EXPECT_TRUE(second_done);
}

bool throws_while_judging(const std::exception_ptr&) {
  throw std::logic_error("predicate broke");
}

TEST(PoolErrors, ThrowingRetryPredicateIsACallbackErrorNotAnAbort) {
  Pool pool({.workers = 2, .retry = {.attempts = 3, .retryable = throws_while_judging}});
  for (int round = 0; round < 2; ++round) {
    try {
      finishes_within(hang_limit, "a pool whose retry predicate throws",
                      [&] { return pool.map(fails_on_seven, numbers(10), 1); });
      FAIL() << "expected CallbackError";
    } catch (const mrtbb::CallbackError& error) {
      EXPECT_EQ(error.callback(), "RetryPolicy::retryable");
      EXPECT_THROW(std::rethrow_if_nested(error), std::logic_error);
    }
  }
  EXPECT_EQ(pool.map(square, numbers(3)), (std::vector<long>{0, 1, 4}));
}

TEST(PoolErrors, ThrowingInitializerIsACallbackErrorForEachTask) {
  Pool pool({.workers = 2}, []() -> int { throw std::runtime_error("no state"); });
  try {
    pool.apply(square, 3);
    FAIL() << "expected CallbackError";
  } catch (const mrtbb::CallbackError& error) {
    EXPECT_EQ(error.callback(), "Pool initializer");
    EXPECT_THROW(std::rethrow_if_nested(error), std::runtime_error);
  }
  try {
    pool.map(square, numbers(4), 1);
    FAIL() << "expected TaskError";
  } catch (const mrtbb::TaskError& error) {
    ASSERT_EQ(error.failures().size(), 4u);
    for (const auto& failure : error.failures())
      EXPECT_THROW(std::rethrow_exception(failure.error), mrtbb::CallbackError);
  }
}

TEST(PoolErrors, ThrowingCompletionCallbacksAreReportedAndThePoolGoesOn) {
  Pool pool({.workers = 2});
  auto on_success_broke = pool.map_async(
      square, numbers(5), 1, [](const std::vector<long>&) { throw std::logic_error("cb"); });
  try {
    on_success_broke.get();
    FAIL() << "expected CallbackError";
  } catch (const mrtbb::CallbackError& error) {
    EXPECT_EQ(error.callback(), "on_success callback");
    EXPECT_THROW(std::rethrow_if_nested(error), std::logic_error);
  }
  auto on_error_broke = pool.map_async(
      fails_on_seven, numbers(10), 3, [](const std::vector<long>&) {},
      [](std::exception_ptr) { throw std::length_error("error callback broke"); });
  try {
    on_error_broke.get();
    FAIL() << "expected CallbackError";
  } catch (const mrtbb::CallbackError& error) {
    EXPECT_EQ(error.callback(), "on_error callback");
    EXPECT_THROW(std::rethrow_if_nested(error), std::length_error);
  }
  EXPECT_EQ(pool.map(square, numbers(5)), (std::vector<long>{0, 1, 4, 9, 16}));
}

TEST(PoolErrors, OptionsThatCannotWorkAreRefusedAtConstruction) {
  EXPECT_THROW(Pool({.retry = {.attempts = 0}}), mrtbb::OptionsError);
  EXPECT_THROW(Pool({.workers = 1u << 20}), mrtbb::OptionsError);
  EXPECT_THROW(Pool({.retry = {.attempts = 2, .backoff = std::chrono::milliseconds(-1)}}),
               mrtbb::OptionsError);
  EXPECT_THROW(Pool({.retry = {.attempts = 2, .backoff = std::chrono::milliseconds::max() / 2}}),
               mrtbb::OptionsError);
  Pool fine({.workers = 1, .max_tasks_per_worker = 1, .retry = {.attempts = 1}});
  EXPECT_EQ(fine.apply(square, 2), 4);
}

}  // namespace
