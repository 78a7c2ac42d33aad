// Ordering and combining must agree with plain sequential algorithms on random data.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
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
      std::vector<mrtbb::CountTable*> pointers;
      for (auto& t : copies)
        pointers.push_back(&t);
      auto partitions = mrtbb::combine_by_key(
          pointers, strategy, 16, [](std::uint64_t& into, std::uint64_t&& from) { into += from; });
      std::map<std::string, std::uint64_t> actual;
      for (auto& part : partitions) {
        for (auto& [key, count] : part)
          ASSERT_TRUE(actual.emplace(key, count).second) << key;
      }
      ASSERT_EQ(actual, expected);
      for (auto& t : copies)
        ASSERT_TRUE(t.empty());
    }
  }
}

}  // namespace
