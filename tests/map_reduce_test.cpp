// The item API must give the answer of a plain sequential run for every worker count, grain and
// partition strategy, with each key's values in input order.

#include <gtest/gtest.h>

#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "mrtbb/mrtbb.hpp"
#include "support/corpus.hpp"
#include "support/reference.hpp"

namespace {

using mrtbb::Emitter;
using mrtbb::Options;
using mrtbb::PartitionStrategy;

// A line maps to (word, position of the word in the line) for each word.
void words_with_positions(const std::string& line, Emitter<std::string, int>& emit) {
  int position = 0;
  for (auto& word : mrtbb::testing::split_blanks(line))
    emit.emit(std::move(word), position++);
}

std::vector<std::string> sample_lines(std::uint32_t seed, std::size_t count) {
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < count; ++i) {
    lines.push_back(mrtbb::testing::generated_text(seed + static_cast<std::uint32_t>(i), i % 13));
  }
  return lines;
}

std::map<std::string, std::vector<int>> sequential_groups(const std::vector<std::string>& lines) {
  std::map<std::string, std::vector<int>> groups;
  for (const auto& line : lines) {
    int position = 0;
    for (auto& word : mrtbb::testing::split_blanks(line))
      groups[word].push_back(position++);
  }
  return groups;
}

struct Sweep {
  std::size_t workers;
  std::size_t grain;
  PartitionStrategy strategy;
};

std::vector<Sweep> every_setting() {
  std::vector<Sweep> sweeps;
  for (std::size_t workers = 1; workers <= 8; ++workers) {
    for (std::size_t grain : {1, 2, 7, 64, 100000}) {
      for (auto strategy :
           {PartitionStrategy::hash_partitioned, PartitionStrategy::concurrent_hash_map}) {
        sweeps.push_back({workers, grain, strategy});
      }
    }
  }
  return sweeps;
}

TEST(GroupByKey, MatchesSequentialGroupingForEverySetting) {
  const auto lines = sample_lines(7, 300);
  const auto expected = sequential_groups(lines);
  for (const auto& s : every_setting()) {
    const Options options{.workers = s.workers, .grain = s.grain, .partition = s.strategy};
    const auto groups = mrtbb::group_by_key<std::string, int>(lines, words_with_positions, options);
    const std::map<std::string, std::vector<int>> actual(groups.begin(), groups.end());
    ASSERT_EQ(actual, expected) << "workers=" << s.workers << " grain=" << s.grain;
    ASSERT_TRUE(std::is_sorted(groups.begin(), groups.end(),
                               [](const auto& a, const auto& b) { return a.first < b.first; }));
  }
}

TEST(GroupByKey, ResultsAreTheSameUnderEveryHashSeed) {
  const auto lines = sample_lines(5, 200);
  const auto expected = sequential_groups(lines);
  for (const mrtbb::HashSeed seed :
       {mrtbb::HashSeed{}, mrtbb::HashSeed{7, 9}, mrtbb::HashSeed{~0ULL, 0x5555555555555555ULL}}) {
    const mrtbb::ScopedHashSeedForTesting scoped(seed);
    for (std::size_t workers = 1; workers <= 4; ++workers) {
      const auto groups = mrtbb::group_by_key<std::string, int>(lines, words_with_positions,
                                                                {.workers = workers, .grain = 3});
      ASSERT_EQ((std::map<std::string, std::vector<int>>(groups.begin(), groups.end())), expected);
    }
  }
}

TEST(MapReduce, OrderSensitiveReduceIsDeterministic) {
  // Concatenating the positions is not commutative: it only matches if values arrive in input
  // order.
  const auto lines = sample_lines(11, 500);
  const auto concat = [](const std::string&, std::vector<int> values) {
    std::string joined;
    for (int v : values)
      joined += std::to_string(v) + ",";
    return joined;
  };
  std::vector<std::pair<std::string, std::string>> expected;
  for (const auto& [word, positions] : sequential_groups(lines)) {
    expected.emplace_back(word, concat(word, positions));
  }
  for (const auto& s : every_setting()) {
    const Options options{.workers = s.workers, .grain = s.grain, .partition = s.strategy};
    const auto actual =
        mrtbb::map_reduce<std::string, int>(lines, words_with_positions, concat, options);
    ASSERT_EQ(actual, expected) << "workers=" << s.workers << " grain=" << s.grain;
  }
}

TEST(MapReduce, IntegerKeysSumLikeAPlainLoop) {
  std::vector<int> items(20000);
  std::iota(items.begin(), items.end(), 0);
  std::map<int, long> expected;
  for (int i : items)
    expected[i % 97] += i;
  const auto map = [](int item, Emitter<int, long>& emit) { emit.emit(item % 97, item); };
  const auto sum = [](int, const std::vector<long>& values) {
    return std::accumulate(values.begin(), values.end(), 0L);
  };
  for (std::size_t workers : {1, 3, 8}) {
    const auto actual = mrtbb::map_reduce<int, long>(items, map, sum, Options{.workers = workers});
    ASSERT_EQ((std::map<int, long>(actual.begin(), actual.end())), expected);
  }
}

TEST(MapReduce, EmptyInputGivesEmptyResult) {
  const std::vector<std::string> none;
  const auto result = mrtbb::map_reduce<std::string, int>(
      none, words_with_positions, [](const std::string&, std::vector<int> v) { return v.size(); });
  EXPECT_TRUE(result.empty());
}

TEST(MapReduce, MapExceptionNamesTheItemAndNestsTheCause) {
  std::vector<int> items(100);
  std::iota(items.begin(), items.end(), 0);
  const auto map = [](int item, Emitter<int, int>& emit) {
    if (item == 42) throw std::invalid_argument("bad item");
    emit.emit(item, item);
  };
  const auto identity = [](int, std::vector<int> v) { return v.front(); };
  for (std::size_t workers : {1, 4}) {
    try {
      mrtbb::map_reduce<int, int>(items, map, identity, Options{.workers = workers, .grain = 3});
      FAIL() << "expected a MapError";
    } catch (const mrtbb::MapError& error) {
      EXPECT_EQ(error.item(), 42u);
      EXPECT_NE(std::string(error.what()).find("item 42"), std::string::npos) << error.what();
      EXPECT_NE(std::string(error.what()).find("bad item"), std::string::npos);
      EXPECT_THROW(std::rethrow_if_nested(error), std::invalid_argument);
    }
  }
}

TEST(MapReduce, ReduceExceptionSurfacesAsReduceError) {
  const std::vector<int> items = {1, 2, 3};
  const auto map = [](int item, Emitter<int, int>& emit) { emit.emit(item, item); };
  const auto reduce = [](int key, std::vector<int>) -> int {
    if (key == 2) throw std::runtime_error("cannot reduce 2");
    return key;
  };
  EXPECT_THROW((mrtbb::map_reduce<int, int>(items, map, reduce)), mrtbb::ReduceError);
}

TEST(Options, RejectsAbsurdWorkerCounts) {
  const std::vector<int> items = {1};
  const auto map = [](int item, Emitter<int, int>& emit) { emit.emit(item, item); };
  const auto reduce = [](int key, std::vector<int>) { return key; };
  EXPECT_THROW((mrtbb::map_reduce<int, int>(items, map, reduce, Options{.workers = 1u << 20})),
               mrtbb::OptionsError);
}

// An item job never has more tasks at once than its items in grains; it starts no more workers.
TEST(ItemJobs, StartNoMoreWorkersThanTheyHaveTasks) {
  std::vector<int> items(10);
  std::iota(items.begin(), items.end(), 0);
  std::atomic<int> widest_arena{0};
  const auto note_arena = [&] {
    int seen = widest_arena.load();
    const int now = tbb::this_task_arena::max_concurrency();
    while (now > seen && !widest_arena.compare_exchange_weak(seen, now)) {
    }
  };
  const auto map = [&](int item, Emitter<int, int>& emit) {
    note_arena();
    emit.emit(item % 3, item);
  };
  const auto sum = [](int, const std::vector<int>& values) {
    return std::accumulate(values.begin(), values.end(), 0);
  };
  const Options asked{.workers = mrtbb::max_workers, .grain = 1};
  const auto sums = mrtbb::map_reduce<int, int>(items, map, sum, asked);
  EXPECT_EQ(sums, (std::vector<std::pair<int, int>>{{0, 18}, {1, 12}, {2, 15}}));
  EXPECT_LE(widest_arena.load(), 10);
  widest_arena = 0;
  mrtbb::group_by_key<int, int>(items, map, {.workers = mrtbb::max_workers, .grain = 4});
  EXPECT_LE(widest_arena.load(), 5) << "10 items in tasks of at least 2";
  widest_arena = 0;
  const auto folded = mrtbb::map_fold<int, int>(
      items,
      [&](int item, auto& emit) {
        note_arena();
        emit.emit(item % 3, item);
      },
      std::plus<int>{}, asked);
  EXPECT_EQ(folded, sums);
  EXPECT_LE(widest_arena.load(), 10);

  EXPECT_EQ(mrtbb::resolve_item_job({.workers = 4}, 10).workers, 4u);
  EXPECT_EQ(mrtbb::resolve_item_job({.workers = 4}, 3).workers, 3u);
  EXPECT_EQ(mrtbb::resolve_item_job({.workers = 4, .grain = 100}, 1000).workers, 4u);
  EXPECT_EQ(mrtbb::resolve_item_job({.workers = 4, .grain = 100}, 100).workers, 1u);
}

TEST(ItemJobs, MatchEverySequentialResultForEveryPartitionLimit) {
  const auto lines = sample_lines(17, 300);
  const auto expected = sequential_groups(lines);
  for (std::size_t workers = 1; workers <= 4; ++workers) {
    for (std::size_t partitions :
         {std::size_t{1}, std::size_t{3}, std::size_t{64}, mrtbb::max_partitions}) {
      const Options options{.workers = workers, .grain = 5, .partitions = partitions};
      const auto groups =
          mrtbb::group_by_key<std::string, int>(lines, words_with_positions, options);
      ASSERT_EQ((std::map<std::string, std::vector<int>>(groups.begin(), groups.end())), expected)
          << "workers=" << workers << " partitions=" << partitions;
    }
  }
}

// Options that cannot work are OptionsErrors, never a bad_alloc or an overflow.
TEST(Options, RejectsSettingsThatCannotWork) {
  const std::vector<int> items = {1, 2, 3};
  const auto map = [](int item, Emitter<int, int>& emit) { emit.emit(item, item); };
  const auto reduce = [](int key, std::vector<int>) { return key; };
  const Options huge_partitions{.partitions = std::size_t{1} << 40};
  EXPECT_THROW((mrtbb::map_reduce<int, int>(items, map, reduce, huge_partitions)),
               mrtbb::OptionsError);
  EXPECT_THROW((mrtbb::group_by_key<int, int>(items, map, huge_partitions)), mrtbb::OptionsError);
  EXPECT_THROW((mrtbb::map_fold<int, int>(
                   items, [](int item, auto& emit) { emit.emit(item, item); }, std::plus<int>{},
                   huge_partitions)),
               mrtbb::OptionsError);
  EXPECT_THROW((mrtbb::map_reduce<int, int>(items, map, reduce,
                                            {.retry = {.backoff = std::chrono::milliseconds(-5)}})),
               mrtbb::OptionsError);
  EXPECT_THROW(mrtbb::resolve({.partitions = ~std::size_t{0}}), mrtbb::OptionsError);
  // An item grain is a count of items, not memory: any size works.
  EXPECT_EQ((mrtbb::map_reduce<int, int>(items, map, reduce, {.grain = ~std::size_t{0}})).size(),
            3u);
  // The default grain of a huge count does not wrap around to one item per task.
  EXPECT_EQ(mrtbb::resolve_item_job({.workers = 4}, ~std::size_t{0}).grain,
            ~std::size_t{0} / 16 + 1);
}

TEST(MapFold, MatchesSequentialSumsForEverySetting) {
  const auto lines = sample_lines(11, 400);
  std::map<std::string, long> expected;
  for (const auto& line : lines) {
    long position = 0;
    for (const auto& word : mrtbb::testing::split_blanks(line))
      expected[word] += ++position;
  }
  for (const auto& s : every_setting()) {
    const Options options{.workers = s.workers, .grain = s.grain, .partition = s.strategy};
    const auto sums = mrtbb::map_fold<std::string, long>(
        lines,
        [](const std::string& line, auto& emit) {
          long position = 0;
          for (auto& word : mrtbb::testing::split_blanks(line))
            emit.emit(std::move(word), ++position);
        },
        [](long& into, long value) { into += value; }, options);
    const std::map<std::string, long> actual(sums.begin(), sums.end());
    ASSERT_EQ(actual, expected) << "workers=" << s.workers << " grain=" << s.grain;
    ASSERT_TRUE(std::is_sorted(sums.begin(), sums.end(),
                               [](const auto& a, const auto& b) { return a.first < b.first; }));
  }
}

// A fold written the usual way returns the combined value; its result must not be thrown away.
TEST(MapFold, ValueReturningFoldsAgreeWithInPlaceOnesForEverySetting) {
  const auto lines = sample_lines(13, 300);
  std::map<std::string, long> sums;
  std::map<std::string, long> maxima;
  for (const auto& line : lines) {
    long position = 0;
    for (const auto& word : mrtbb::testing::split_blanks(line)) {
      sums[word] += ++position;
      maxima[word] = std::max(maxima[word], position);
    }
  }
  const auto map = [](const std::string& line, auto& emit) {
    long position = 0;
    for (auto& word : mrtbb::testing::split_blanks(line))
      emit.emit(std::move(word), ++position);
  };
  const auto as_map = [](const std::vector<std::pair<std::string, long>>& results) {
    return std::map<std::string, long>(results.begin(), results.end());
  };
  for (const auto& s : every_setting()) {
    const Options options{.workers = s.workers, .grain = s.grain, .partition = s.strategy};
    ASSERT_EQ(as_map(mrtbb::map_fold<std::string, long>(lines, map, std::plus<long>{}, options)),
              sums)
        << "std::plus, workers=" << s.workers << " grain=" << s.grain;
    ASSERT_EQ(as_map(mrtbb::map_fold<std::string, long>(
                  lines, map, [](long a, long b) { return a + b; }, options)),
              sums)
        << "lambda, workers=" << s.workers << " grain=" << s.grain;
    ASSERT_EQ(
        as_map(mrtbb::map_fold<std::string, long>(
            lines, map, [](const auto& a, const auto& b) { return std::max(a, b); }, options)),
        maxima)
        << "generic max, workers=" << s.workers << " grain=" << s.grain;
  }
}

TEST(MapFold, ThreeEqualKeysFoldedByStdPlusSumToThree) {
  const std::vector<std::string> words = {"a", "a", "a"};
  const auto counts = mrtbb::map_fold<std::string, int>(
      words, [](const std::string& word, auto& emit) { emit.emit(word, 1); }, std::plus<int>{},
      {.workers = 1});
  EXPECT_EQ(counts, (std::vector<std::pair<std::string, int>>{{"a", 3}}));
}

TEST(MapFold, AThrowingMapNamesTheItem) {
  const std::vector<int> items = {1, 2, 3, 4, 5};
  try {
    mrtbb::map_fold<int, int>(
        items,
        [](int item, auto& emit) {
          if (item == 4) throw std::runtime_error("bad item");
          emit.emit(item % 2, item);
        },
        [](int& into, int value) { into += value; }, {.workers = 2, .grain = 1});
    FAIL() << "expected MapError";
  } catch (const mrtbb::MapError& error) {
    EXPECT_EQ(error.item(), std::optional<std::size_t>(3));
    EXPECT_THROW(std::rethrow_if_nested(error), std::runtime_error);
  }
}

}  // namespace
