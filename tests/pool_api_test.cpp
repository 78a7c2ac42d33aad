// What Python users reach for: apply_async with callbacks that cannot be taken for task
// arguments, waits with a timeout, and inputs that can be read only once or only as non-const.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <future>
#include <ranges>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "mrtbb/mrtbb.hpp"
#include "pool_test_support.hpp"

namespace {

using mrtbb::AsyncCallbacks;
using mrtbb::Pool;
using mrtbb::testing::collect;
using mrtbb::testing::finishes_within;
using mrtbb::testing::GeneratedNumbers;
using mrtbb::testing::hang_limit;
using mrtbb::testing::InputBroke;
using mrtbb::testing::numbers;
using mrtbb::testing::sequential_map;
using mrtbb::testing::square;

TEST(PoolApi, ApplyAsyncCallsExactlyOneCallback) {
  Pool pool({.workers = 2});
  std::promise<long> value_seen;
  auto good =
      pool.apply_async(AsyncCallbacks{.on_success = [&](long v) { value_seen.set_value(v); },
                                      .on_error = [](const std::exception_ptr&) { ADD_FAILURE(); }},
                       square, 9);
  EXPECT_EQ(value_seen.get_future().get(), 81);
  EXPECT_EQ(good.get(), 81);

  std::promise<std::exception_ptr> error_seen;
  auto bad = pool.apply_async(
      AsyncCallbacks{.on_success = [](int) { ADD_FAILURE(); },
                     .on_error = [&](std::exception_ptr e) { error_seen.set_value(e); }},
      [](int x) -> int { throw std::domain_error("no " + std::to_string(x)); }, 4);
  EXPECT_THROW(std::rethrow_exception(error_seen.get_future().get()), std::domain_error);
  EXPECT_THROW(bad.get(), std::domain_error);

  // Only one of the two may be given.
  std::promise<void> only_error;
  pool.apply_async(
          AsyncCallbacks{.on_error = [&](const std::exception_ptr&) { only_error.set_value(); }},
          []() -> int { throw std::domain_error("x"); })
      .wait();
  EXPECT_EQ(only_error.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
}

TEST(PoolApi, CallablesAreTaskArgumentsUnlessWrappedAsCallbacks) {
  Pool pool({.workers = 1});
  // Two callables after f are arguments of f, as Python's args tuple would hold them.
  const std::function<long(int)> twice = [](int x) { return 2L * x; };
  const std::function<long(int)> thrice = [](int x) { return 3L * x; };
  const auto combine = [](const std::function<long(int)>& a, const std::function<long(int)>& b) {
    return a(1) + b(1);
  };
  EXPECT_EQ(pool.apply(combine, twice, thrice), 5);
  EXPECT_EQ(pool.apply_async(combine, twice, thrice).get(), 5);
}

TEST(PoolApi, GetAndNextWithATimeoutRaiseTimeoutErrorAndCanBeRetried) {
  Pool pool({.workers = 1});
  std::promise<void> release;
  auto gate = release.get_future().share();
  auto blocked = pool.apply_async([gate] {
    gate.wait();
    return 7;
  });
  EXPECT_THROW(blocked.get(std::chrono::milliseconds(1)), mrtbb::TimeoutError);
  EXPECT_THROW(blocked.get(std::chrono::seconds(0)), mrtbb::TimeoutError);

  const std::vector<int> items = numbers(3);
  auto results = pool.imap(square, items);  // queued behind the blocked task
  EXPECT_THROW(results.next(std::chrono::milliseconds(1)), mrtbb::TimeoutError);
  EXPECT_THROW(results.next(std::chrono::microseconds(0)), mrtbb::TimeoutError);

  release.set_value();
  EXPECT_EQ(blocked.get(std::chrono::hours(1)), 7);
  EXPECT_EQ(blocked.get(std::chrono::hours::max()), 7);  // no overflow for "no limit"
  EXPECT_EQ(*results.next(std::chrono::minutes(1)), 0);
  EXPECT_EQ(*results.next(std::chrono::hours::max()), 1);
  EXPECT_EQ(*results.next(), 4);
  EXPECT_FALSE(results.next(std::chrono::seconds(1)).has_value());
}

TEST(PoolApi, FilterViewsWorkEverywhere) {
  const auto all = numbers(50);
  const auto is_odd = [](int x) { return x % 2 == 1; };
  std::vector<int> odd;
  std::copy_if(all.begin(), all.end(), std::back_inserter(odd), is_odd);
  const auto expected = sequential_map(odd, square);
  for (std::size_t workers = 1; workers <= 4; ++workers) {
    Pool pool({.workers = workers});
    for (std::size_t chunksize : {0, 1, 4, 100}) {
      auto odd_view = all | std::views::filter(is_odd);  // begin() only on a non-const view
      EXPECT_EQ(pool.map(square, odd_view, chunksize), expected);
      EXPECT_EQ(pool.map_async(square, odd_view, chunksize).get(), expected);
      EXPECT_EQ(pool.map(square, all | std::views::filter(is_odd), chunksize), expected);
      EXPECT_EQ(collect(pool.imap(square, odd_view, chunksize == 0 ? 1 : chunksize)), expected);
      EXPECT_EQ(collect(pool.imap(square, all | std::views::filter(is_odd))), expected);
      auto pairs = odd_view | std::views::transform([](int x) { return std::tuple(x, x); });
      EXPECT_EQ(
          pool.starmap([](int a, int b) { return static_cast<long>(a) * b; }, pairs, chunksize),
          expected);
    }
  }
}

TEST(PoolApi, InputsThatCanBeReadOnlyOnceAreReadOnce) {
  const auto expected = sequential_map(numbers(30), square);
  for (std::size_t workers = 1; workers <= 4; ++workers) {
    Pool pool({.workers = workers});
    for (std::size_t chunksize : {1, 2, 7, 30, 31}) {
      GeneratedNumbers lvalue(30);
      EXPECT_EQ(pool.map(square, lvalue, chunksize), expected);
      EXPECT_EQ(pool.map(square, GeneratedNumbers(30), chunksize), expected);
      EXPECT_EQ(collect(pool.imap(square, GeneratedNumbers(30), chunksize)), expected);
      GeneratedNumbers for_unordered(30);
      std::vector<long> any_order(30, -1);
      for (const auto& [index, value] : pool.imap_unordered(square, for_unordered, chunksize))
        any_order[index] = value;
      EXPECT_EQ(any_order, expected);
    }
  }
}

// Python's test_map_handle_iterable_exception: the input's own error, and the pool still works.
TEST(PoolApi, MapOverABrokenInputRaisesTheInputsErrorAtTheCall) {
  Pool pool({.workers = 2});
  for (int broken_at : {0, 3, 9}) {
    EXPECT_THROW(pool.map(square, GeneratedNumbers(10, broken_at), 1), InputBroke);
    EXPECT_THROW(pool.map_async(square, GeneratedNumbers(10, broken_at)), InputBroke);
    EXPECT_THROW(pool.starmap([](int x) { return x; },
                              GeneratedNumbers(10, broken_at) |
                                  std::views::transform([](int x) { return std::tuple(x); })),
                 InputBroke);
  }
  EXPECT_EQ(pool.map(square, GeneratedNumbers(4)), (std::vector<long>{0, 1, 4, 9}));
}

TEST(PoolApi, WaitingForAResultInsideItsOwnCallbackRaises) {
  Pool pool({.workers = 1});
  std::optional<mrtbb::AsyncResult<long>> self;
  std::promise<void> stored;
  auto ready = stored.get_future().share();
  self = pool.apply_async(AsyncCallbacks{.on_success =
                                             [&self, ready](long) {
                                               ready.wait();
                                               (void)self->get();
                                             }},
                          square, 3);
  stored.set_value();
  try {
    finishes_within(hang_limit, "get() inside its own callback", [&] { return self->get(); });
    FAIL() << "expected CallbackError";
  } catch (const mrtbb::CallbackError& error) {
    EXPECT_EQ(error.callback(), "on_success callback");
    EXPECT_THROW(std::rethrow_if_nested(error), mrtbb::Error);
  }
}

}  // namespace
