// Ordering and combining must agree with plain sequential algorithms on random data.

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "mrtbb/mrtbb.hpp"

namespace {

std::vector<mrtbb::WordCount> random_counts(std::uint32_t seed, std::size_t n) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> count(1, 20);  // many ties, so the key order matters
  std::vector<mrtbb::WordCount> entries;
  for (std::size_t i = 0; i < n; ++i) {
    entries.emplace_back(std::string("k") + std::to_string(rng() % (n * 4)) + "\xc3\xa9",
                         static_cast<std::uint64_t>(count(rng)));
  }
  std::sort(entries.begin(), entries.end());
  entries.erase(std::unique(entries.begin(), entries.end(),
                            [](const auto& a, const auto& b) { return a.first == b.first; }),
                entries.end());
  std::shuffle(entries.begin(), entries.end(), rng);
  return entries;
}

TEST(SortedTopK, EqualsTheFirstKOfAFullSequentialSort) {
  for (std::size_t n : {0, 1, 5, 100, 5000}) {
    const auto entries = random_counts(static_cast<std::uint32_t>(n), n);
    auto expected = entries;
    std::sort(expected.begin(), expected.end(), mrtbb::MoreFrequentFirst{});
    for (std::size_t k : {0, 1, 2, 3, 10, 99, 1000, 10000}) {
      auto copy = entries;
      const auto top = mrtbb::sorted_top_k(std::move(copy), k, mrtbb::MoreFrequentFirst{});
      const std::size_t want = k == 0 ? entries.size() : std::min(k, entries.size());
      ASSERT_EQ(top, std::vector<mrtbb::WordCount>(expected.begin(), expected.begin() + want))
          << "n=" << n << " k=" << k;
    }
  }
}

TEST(MoreFrequentFirst, BreaksTiesByUnsignedBytes) {
  // 'z' (0x7a) sorts before the UTF-8 lead byte 0xc3 when bytes are compared unsigned.
  EXPECT_TRUE(mrtbb::MoreFrequentFirst{}({"z", 3}, {"\xc3\xa9", 3}));
  EXPECT_TRUE(mrtbb::MoreFrequentFirst{}({"zz", 4}, {"a", 3}));
}

// Pointers to each of `tables`, as combine_by_key takes them.
std::vector<mrtbb::CountTable*> pointers_to(std::vector<mrtbb::CountTable>& tables) {
  std::vector<mrtbb::CountTable*> pointers;
  for (auto& table : tables)
    pointers.push_back(&table);
  return pointers;
}

// The partitions as one map; a key found in two partitions fails the test.
std::map<std::string, std::uint64_t> sum_partitions(
    mrtbb::Partitions<std::string, std::uint64_t>&& partitions) {
  std::map<std::string, std::uint64_t> out;
  for (auto& part : partitions) {
    for (auto& [key, count] : part)
      EXPECT_TRUE(out.emplace(key, count).second) << "key in two partitions: " << key;
  }
  return out;
}

TEST(CombineByKey, BothStrategiesSumLikeOneSequentialMap) {
  std::mt19937 rng(5);
  for (std::size_t tables_count : {1, 2, 7}) {
    std::vector<mrtbb::CountTable> tables(tables_count);
    std::map<std::string, std::uint64_t> expected;
    for (auto& table : tables) {
      for (int i = 0; i < 3000; ++i) {
        const std::string key = std::string("w") + std::to_string(rng() % 1500);
        const std::uint64_t n = rng() % 5 + 1;
        table.add(key, n);
        expected[key] += n;
      }
    }
    for (auto strategy : {mrtbb::PartitionStrategy::hash_partitioned,
                          mrtbb::PartitionStrategy::concurrent_hash_map}) {
      auto copies = tables;
      auto partitions =
          mrtbb::combine_by_key(pointers_to(copies), strategy, 16,
                                [](std::uint64_t& into, std::uint64_t&& from) { into += from; });
      ASSERT_EQ(sum_partitions(std::move(partitions)), expected);
      for (auto& t : copies)
        ASSERT_TRUE(t.empty());
    }
  }
}

// The combine's work must follow the tables that hold keys and the keys they hold, not the worker
// count: a limit of 32 768 partitions (8 x 4096 workers) over two keys gives one partition.
TEST(CombineByKey, PartitionsFollowTheKeysPresentNotTheLimit) {
  constexpr std::size_t limit = std::size_t{1} << 15;
  const auto combine = [](std::vector<mrtbb::CountTable>& tables, std::size_t partition_limit) {
    return mrtbb::combine_by_key(pointers_to(tables), mrtbb::PartitionStrategy::hash_partitioned,
                                 partition_limit,
                                 [](std::uint64_t& into, std::uint64_t&& from) { into += from; });
  };

  std::vector<mrtbb::CountTable> one(1);
  one[0].add("hello", 2);
  one[0].add("world");
  auto partitions = combine(one, limit);
  EXPECT_EQ(partitions.size(), 1u);
  EXPECT_EQ(sum_partitions(std::move(partitions)),
            (std::map<std::string, std::uint64_t>{{"hello", 2}, {"world", 1}}));

  // Many threads, of which three mapped something: the empty tables are not combined at all.
  std::vector<mrtbb::CountTable> mostly_empty(64);
  std::map<std::string, std::uint64_t> expected;
  for (std::size_t t : {3, 40, 63}) {
    for (int k = 0; k < 10; ++k) {
      mostly_empty[t].add("k" + std::to_string(k * t));
      ++expected["k" + std::to_string(k * t)];
    }
  }
  const auto plan = mrtbb::plan_combine(pointers_to(mostly_empty), limit);
  EXPECT_EQ(plan.tables.size(), 3u);
  EXPECT_EQ(plan.keys, 30u);
  EXPECT_EQ(plan.partitions, 1u);
  partitions = combine(mostly_empty, limit);
  EXPECT_EQ(partitions.size(), 1u);
  EXPECT_EQ(sum_partitions(std::move(partitions)), expected);

  // Enough keys for many partitions: as many as give each at least min_keys_per_partition keys.
  std::vector<mrtbb::CountTable> full(8);
  for (std::size_t t = 0; t < full.size(); ++t) {
    for (std::size_t k = 0; k < 20000; ++k)
      full[t].add("w" + std::to_string(k * 7 + t));
  }
  partitions = combine(full, limit);
  EXPECT_EQ(partitions.size(), 128u);  // 160 000 keys / 1024 per partition, rounded down to 2^k
  EXPECT_EQ(mrtbb::partitions_for(limit, 8, 160000), 128u);
  EXPECT_EQ(mrtbb::partitions_for(16, 8, 160000), 16u) << "the limit still holds";
  EXPECT_EQ(mrtbb::partitions_for(limit, 4096, 4096 * 3000), 2048u)
      << "never more buckets (tables x partitions) than keys";
  EXPECT_EQ(mrtbb::partitions_for(limit, 0, 0), 1u);
}

TEST(CombineByKey, EveryPartitionLimitAndTableCountSumsLikeOneSequentialMap) {
  std::mt19937 rng(11);
  for (std::size_t tables_count : {0, 1, 2, 7, 40}) {
    std::vector<mrtbb::CountTable> tables(tables_count);
    std::map<std::string, std::uint64_t> expected;
    for (auto& table : tables) {
      const int keys = rng() % 3 == 0 ? 0 : static_cast<int>(rng() % 5000);
      for (int i = 0; i < keys; ++i) {
        const std::string key = "w" + std::to_string(rng() % 4000);
        table.add(key);
        ++expected[key];
      }
    }
    for (std::size_t limit : {1, 2, 64, 1 << 15}) {
      for (auto strategy : {mrtbb::PartitionStrategy::hash_partitioned,
                            mrtbb::PartitionStrategy::concurrent_hash_map}) {
        auto copies = tables;
        auto partitions =
            mrtbb::combine_by_key(pointers_to(copies), strategy, limit, std::plus<>{});
        if (strategy == mrtbb::PartitionStrategy::hash_partitioned) {
          ASSERT_LE(partitions.size(), limit);
        }
        ASSERT_EQ(sum_partitions(std::move(partitions)), expected)
            << "tables=" << tables_count << " limit=" << limit;
      }
    }
  }
}

// Keys of 0 to 40 bytes, any byte values, drawn from a small set so that tables share many.
std::string combine_key(std::mt19937& rng) {
  std::string key(rng() % 41, '\0');
  for (char& c : key)
    c = static_cast<char>(rng() % 8 == 0 ? rng() % 256 : 'a' + rng() % 2);
  return key;
}

// The CountTable combine keeps keys in the tables' form until the end: whatever the tables' seeds,
// key lengths (inline and arena keys) and partition count, it must sum like one sequential map.
// Keys come from a pool small enough that every key, short or long, is in several tables.
TEST(CombineByKey, CountTablesOfAnySeedKeyLengthAndPartitionCountSumLikeOneSequentialMap) {
  std::mt19937 rng(17);
  std::vector<std::string> pool;
  for (int i = 0; i < 1500; ++i)
    pool.push_back(combine_key(rng));
  for (std::size_t tables_count : {1, 2, 3, 4}) {
    for (bool mixed_seeds : {false, true}) {
      std::vector<mrtbb::CountTable> tables;
      for (std::size_t t = 0; t < tables_count; ++t) {
        if (mixed_seeds) {
          tables.emplace_back(mrtbb::HashSeed{rng(), rng()});
        } else {
          tables.emplace_back();
        }
      }
      std::map<std::string, std::uint64_t> sums;
      std::map<std::string, std::uint64_t> largest;
      for (auto& table : tables) {
        std::map<std::string, std::uint64_t> own;
        for (int i = 0; i < 6000; ++i) {
          const std::string& key = pool[rng() % pool.size()];
          const std::uint64_t n = rng() % 5 + 1;
          table.add(key, n);
          own[key] += n;
          sums[key] += n;
        }
        for (const auto& [key, n] : own)
          largest[key] = std::max(largest[key], n);
      }
      for (std::size_t limit : {1, 4, 64, 1 << 12}) {
        auto copies = tables;
        ASSERT_EQ(sum_partitions(mrtbb::combine_by_key(pointers_to(copies),
                                                       mrtbb::PartitionStrategy::hash_partitioned,
                                                       limit, std::plus<>{})),
                  sums)
            << "tables=" << tables_count << " mixed seeds=" << mixed_seeds << " limit=" << limit;
        for (auto& t : copies)
          ASSERT_TRUE(t.empty());
        // A fold other than a sum is applied to keys that several tables hold.
        copies = tables;
        ASSERT_EQ(sum_partitions(mrtbb::combine_by_key(
                      pointers_to(copies), mrtbb::PartitionStrategy::hash_partitioned, limit,
                      [](std::uint64_t a, std::uint64_t b) { return std::max(a, b); })),
                  largest)
            << "tables=" << tables_count << " mixed seeds=" << mixed_seeds << " limit=" << limit;
      }
    }
  }
}

// Random partitions of distinct words whose counts tie often, some at or above the counting
// pass's exact range and some zero.
mrtbb::Partitions<std::string, std::uint64_t> random_count_partitions(std::mt19937& rng,
                                                                      std::size_t parts,
                                                                      std::size_t n) {
  mrtbb::Partitions<std::string, std::uint64_t> partitions(parts);
  std::set<std::string> seen;
  while (seen.size() < n) {
    std::string key = combine_key(rng);
    if (!seen.insert(key).second) continue;
    std::uint64_t count = rng() % 6;
    if (rng() % 10 == 0) count = mrtbb::sorted_by_count_groups - 3 + rng() % 6;
    if (rng() % 50 == 0) count = rng();
    partitions[rng() % parts].emplace_back(std::move(key), count);
  }
  return partitions;
}

TEST(SortedByCount, EqualsAFullSequentialSortFilteredAndCutToTheTopK) {
  std::mt19937 rng(23);
  for (std::size_t parts : {1, 3, 16}) {
    for (std::size_t n : {0, 1, 7, 300, 6000}) {
      const auto partitions = random_count_partitions(rng, parts, n);
      for (std::uint64_t min_count : {0, 1, 3, 1022}) {
        const auto keep = [min_count](const mrtbb::WordCount& e) { return e.second >= min_count; };
        std::vector<mrtbb::WordCount> expected;
        for (const auto& part : partitions) {
          std::copy_if(part.begin(), part.end(), std::back_inserter(expected), keep);
        }
        std::sort(expected.begin(), expected.end(), mrtbb::MoreFrequentFirst{});
        for (std::size_t k : {0, 1, 2, 10, 500, 100000}) {
          auto copy = partitions;
          const auto sorted = mrtbb::sorted_by_count(std::move(copy), keep, k);
          const std::size_t want = k == 0 ? expected.size() : std::min(k, expected.size());
          ASSERT_EQ(sorted,
                    std::vector<mrtbb::WordCount>(expected.begin(), expected.begin() + want))
              << "parts=" << parts << " n=" << n << " min_count=" << min_count << " k=" << k;
        }
      }
    }
  }
}

}  // namespace
