// Pool calls against the plain sequential loop for every worker count and chunk size, extreme
// sizes included, and inputs that break part-way (CPython's exception_throwing_generator).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <tuple>
#include <vector>

#include "mrtbb/mrtbb.hpp"
#include "pool_test_support.hpp"

namespace {

using mrtbb::Pool;
using mrtbb::testing::collect;
using mrtbb::testing::finishes_within;
using mrtbb::testing::GeneratedNumbers;
using mrtbb::testing::hang_limit;
using mrtbb::testing::InputBroke;
using mrtbb::testing::numbers;
using mrtbb::testing::sequential_map;
using mrtbb::testing::square;

constexpr std::size_t huge = SIZE_MAX;

std::vector<std::size_t> chunksizes_for(std::size_t n) {
  return {0, 1, 2, 3, 7, n - 1, n, n + 1, huge / 2, huge};
}

TEST(PoolInputs, EveryCallMatchesTheSequentialLoop) {
  const auto items = numbers(23);
  const auto expected = sequential_map(items, square);
  std::vector<std::tuple<int, int>> pairs;
  for (int x : items)
    pairs.emplace_back(x, x);
  for (std::size_t workers = 1; workers <= 4; ++workers) {
    Pool pool({.workers = workers});
    for (std::size_t chunksize : chunksizes_for(items.size())) {
      SCOPED_TRACE(testing::Message() << workers << " workers, chunksize " << chunksize);
      EXPECT_EQ(pool.map(square, items, chunksize), expected);
      EXPECT_EQ(pool.map_async(square, items, chunksize).get(), expected);
      EXPECT_EQ(
          pool.starmap([](int a, int b) { return static_cast<long>(a) * b; }, pairs, chunksize),
          expected);
      if (chunksize == 0) continue;  // imap's chunksize is at least 1
      for (std::size_t in_flight : {std::size_t{0}, std::size_t{1}, huge}) {
        auto ordered = pool.imap(square, items, chunksize, in_flight);
        EXPECT_EQ(collect(ordered), expected);
        std::vector<long> any_order(items.size(), -1);
        for (const auto& [index, value] : pool.imap_unordered(square, items, chunksize, in_flight))
          any_order[index] = value;
        EXPECT_EQ(any_order, expected);
      }
    }
  }
}

// Collects what an iteration yields and how often it raises InputBroke, for a bounded number of
// calls (an iteration that never ends must still end the test).
template <class Results>
std::pair<std::vector<long>, int> drain(Results& results) {
  std::vector<long> values;
  int errors = 0;
  for (int call = 0; call < 200; ++call) {
    try {
      auto next = results.next();
      if (!next) break;
      if constexpr (requires { next->second; }) {
        values.push_back(next->second);
      } else {
        values.push_back(*next);
      }
    } catch (const InputBroke&) {
      ++errors;
    }
  }
  return {values, errors};
}

TEST(PoolInputs, ImapYieldsEveryResultBeforeABrokenItemThenTheErrorOnce) {
  for (std::size_t workers = 1; workers <= 4; ++workers) {
    Pool pool({.workers = workers});
    for (std::size_t chunksize : {1, 2, 3, 5}) {
      for (int broken_at : {0, 1, 4, 7, 19}) {
        SCOPED_TRACE(testing::Message() << workers << " workers, chunksize " << chunksize
                                        << ", broken at " << broken_at);
        std::vector<long> before;
        for (int x = 0; x < broken_at; ++x)
          before.push_back(square(x));

        GeneratedNumbers input(20, broken_at);
        auto ordered = pool.imap(square, input, chunksize);
        const auto [values, errors] =
            finishes_within(hang_limit, "imap over a broken input", [&] { return drain(ordered); });
        EXPECT_EQ(values, before);
        EXPECT_EQ(errors, 1);

        GeneratedNumbers again(20, broken_at);
        auto unordered = pool.imap_unordered(square, again, chunksize);
        auto [any_order, unordered_errors] = finishes_within(
            hang_limit, "imap_unordered over a broken input", [&] { return drain(unordered); });
        std::sort(any_order.begin(), any_order.end());
        EXPECT_EQ(any_order, before);
        EXPECT_EQ(unordered_errors, 1);
      }
    }
  }
}

}  // namespace
