// CountTable against std::map and std::unordered_map: every key length around the 16- and 32-byte
// limits of the packed keys, any byte values (NUL included), every way of adding, growth, copies
// and draining, and keys crafted to collide without the seed.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <random>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "mrtbb/core/count_table.hpp"
#include "support/colliding_keys.hpp"

namespace {

std::string random_key(std::mt19937& rng) {
  // Few distinct short keys and many long ones, so that both repeat and the table grows.
  const std::size_t length = rng() % 4 == 0 ? rng() % 41 : rng() % 18;
  std::string key(length, '\0');
  for (char& c : key)
    c = static_cast<char>(rng() % 4 == 0 ? rng() % 256 : 'a' + rng() % 3);
  return key;
}

std::map<std::string, std::uint64_t> contents(const mrtbb::CountTable& table) {
  std::map<std::string, std::uint64_t> out;
  table.for_each([&](std::string_view key, std::uint64_t count) {
    EXPECT_TRUE(out.emplace(std::string(key), count).second) << "key listed twice";
  });
  return out;
}

TEST(CountTable, CountsLikeAnOrderedMap) {
  for (std::uint32_t seed = 1; seed <= 5; ++seed) {
    std::mt19937 rng(seed);
    mrtbb::CountTable table;
    std::map<std::string, std::uint64_t> expected;
    for (int i = 0; i < 60000; ++i) {
      const std::string key = random_key(rng);
      const std::uint64_t count = 1 + rng() % 3;
      if (rng() % 2 == 0) {
        table.add(key, count);
      } else {
        // A padded buffer with garbage after the key: the table must ignore it.
        std::string padded = key + std::string(16, static_cast<char>(rng()));
        table.add_padded(std::string_view(padded.data(), key.size()), count);
      }
      expected[key] += count;
    }
    EXPECT_EQ(table.size(), expected.size());
    EXPECT_EQ(contents(table), expected) << "seed " << seed;

    const mrtbb::CountTable copy = table;
    std::map<std::string, std::uint64_t> drained;
    table.drain([&](std::string&& key, std::uint64_t&& count) { drained.emplace(key, count); });
    EXPECT_EQ(drained, expected);
    EXPECT_TRUE(table.empty());
    EXPECT_TRUE(contents(table).empty());
    EXPECT_EQ(contents(copy), expected) << "a copy keeps its own keys";

    table.add("again");
    EXPECT_EQ(contents(table), (std::map<std::string, std::uint64_t>{{"again", 1}}));
  }
}

TEST(CountTable, HashIsTheSameForEveryWayOfPackingAKey) {
  std::mt19937 rng(9);
  const mrtbb::WordHash hasher;
  for (int i = 0; i < 2000; ++i) {
    const std::string key = random_key(rng);
    const std::string padded = key + std::string(16, 'x');
    if (key.size() <= mrtbb::PackedKey::max_size) {
      const auto a = mrtbb::PackedKey::pack(key);
      const auto b = mrtbb::PackedKey::from_padded(padded.data(), key.size());
      ASSERT_EQ(a.head, b.head);
      ASSERT_EQ(a.tail, b.tail);
      ASSERT_EQ(a.hash(key.size(), hasher.seed), hasher(key));
      char out[16];
      a.unpack(key.size(), out);
      ASSERT_EQ(std::string(out, key.size()), key);
    } else if (key.size() <= mrtbb::WideKey::max_size) {
      const auto a = mrtbb::WideKey::pack(key);
      const auto b = mrtbb::WideKey::from_padded(padded.data(), key.size());
      ASSERT_TRUE(a == b);
      ASSERT_EQ(a.hash(key.size(), hasher.seed), hasher(key));
    }
  }
}

// Keys of every length from 0 to 40 bytes, each next to keys that differ from it in one byte (so
// in either word of either half, or only in a trailing NUL), added one at a time, padded with
// garbage, and in batches, into tables under three seeds. The batches pass the size above which
// add_padded_batch prefetches, so both of its loops are checked.
TEST(CountTable, KeysOfEveryLengthUpTo40CountLikeAnUnorderedMap) {
  std::mt19937 rng(40);
  std::vector<std::string> keys;
  for (std::size_t length = 0; length <= 40; ++length) {
    for (int variant = 0; variant < 3; ++variant) {
      std::string base(length, '\0');
      for (char& c : base)
        c = static_cast<char>(rng() % 3 == 0 ? rng() % 256 : 'a' + rng() % 2);
      keys.push_back(base);
      for (std::size_t at = 0; at < length; ++at) {
        std::string changed = base;
        changed[at] = static_cast<char>(changed[at] ^ (1 << (rng() % 8)));
        keys.push_back(changed);
      }
      keys.push_back(base + '\0');
    }
  }
  // Enough distinct keys to take a table past 8 MiB of slots, in all three length classes.
  for (int i = 0; i < 300000; ++i) {
    std::string key(1 + rng() % 40, 'x');
    for (std::size_t at = 0; at < key.size() && at < 8; ++at)
      key[at] = static_cast<char>('a' + rng() % 26);
    keys.push_back(key);
  }

  for (const mrtbb::HashSeed seed :
       {mrtbb::HashSeed{}, mrtbb::HashSeed{5, 6}, mrtbb::process_hash_seed()}) {
    mrtbb::CountTable table(seed);
    std::unordered_map<std::string, std::uint64_t> expected;
    // The padded copies live in one buffer, each with 16 garbage bytes after it, as a tokenizer's.
    std::string buffer;
    std::vector<std::pair<std::size_t, std::size_t>> batch;  // offset and size in `buffer`
    const auto flush = [&] {
      std::vector<std::string_view> views;
      for (const auto& [offset, size] : batch)
        views.emplace_back(buffer.data() + offset, size);
      table.add_padded_batch(views);
      batch.clear();
      buffer.clear();
    };
    for (int round = 0; round < 2; ++round) {
      for (const std::string& key : keys) {
        const std::uint64_t count = 1 + rng() % 3;
        expected[key] += count;
        switch (rng() % 3) {
          case 0:
            table.add(key, count);
            break;
          case 1: {
            std::string padded = key + std::string(16, static_cast<char>(rng()));
            table.add_padded(std::string_view(padded.data(), key.size()), count);
            break;
          }
          default:
            for (std::uint64_t i = 0; i < count; ++i) {
              batch.emplace_back(buffer.size(), key.size());
              buffer += key + std::string(16, static_cast<char>(rng()));
              if (batch.size() == 50) flush();
            }
        }
      }
    }
    flush();
    ASSERT_EQ(table.size(), expected.size()) << "seed " << seed.head;
    std::size_t listed = 0;
    table.for_each([&](std::string_view key, std::uint64_t count) {
      ++listed;
      const auto found = expected.find(std::string(key));
      ASSERT_NE(found, expected.end()) << "a key never added, of " << key.size() << " bytes";
      ASSERT_EQ(count, found->second) << "a key of " << key.size() << " bytes";
    });
    ASSERT_EQ(listed, expected.size());
  }
}

// How many of 4096 buckets the keys fill when placed by the low bits of their hash, as a table of
// that size would place them, under the process's seed and 14 more drawn from `rng_seed`.
std::vector<std::size_t> bucket_fills_under_15_seeds(const std::vector<std::string>& keys,
                                                     std::uint64_t rng_seed) {
  std::mt19937_64 rng(rng_seed);
  std::vector<std::size_t> fills;
  for (int i = 0; i < 15; ++i) {
    const mrtbb::WordHash hasher{i == 0 ? mrtbb::process_hash_seed()
                                        : mrtbb::HashSeed{rng(), rng()}};
    std::set<std::size_t> buckets;
    for (const auto& key : keys)
      buckets.insert(hasher(key) & 4095);
    fills.push_back(buckets.size());
  }
  return fills;
}

// Keys of 17 to 32 bytes whose halves trade places (up to constants) must not share a hash under
// every seed: they did while the halves' products were added as they were.
TEST(HashSeed, WideKeysWithTradedHalvesHashApart) {
  std::mt19937_64 rng(14);
  for (std::size_t size = 17; size <= 32; ++size) {
    const auto [a, b] = mrtbb::testing::wide_keys_with_traded_halves(size);
    ASSERT_NE(a, b);
    std::size_t alike = 0;
    for (int i = 0; i < 8; ++i) {
      const mrtbb::WordHash hasher{mrtbb::HashSeed{rng(), rng()}};
      alike += hasher(a) == hasher(b) ? 1 : 0;
    }
    EXPECT_EQ(alike, 0u) << "size " << size;
  }
}

// Keys of 24 to 32 bytes crafted to hash to 0 without a seed: still counted right when they all
// share one probe chain, and spread out by a seed as the short keys are.
TEST(HashSeed, WideKeysCraftedAgainstTheUnseededHashCountRightAndSpreadOut) {
  std::vector<std::string> keys;
  for (std::size_t size = 24; size <= 32; ++size) {
    for (auto& key : mrtbb::testing::wide_keys_colliding_without_a_seed(300, size))
      keys.push_back(std::move(key));
  }
  const mrtbb::WordHash unseeded{mrtbb::HashSeed{}};
  for (const auto& key : keys)
    ASSERT_EQ(unseeded(key), 0u) << "the keys are not crafted as intended";

  mrtbb::CountTable table(mrtbb::HashSeed{});
  std::unordered_map<std::string, std::uint64_t> expected;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    table.add(keys[i], i % 3 + 1);
    table.add(keys[(i * 7) % keys.size()]);
    expected[keys[i]] += i % 3 + 1;
    expected[keys[(i * 7) % keys.size()]] += 1;
  }
  ASSERT_EQ(table.size(), expected.size());
  table.for_each([&](std::string_view key, std::uint64_t count) {
    ASSERT_EQ(count, expected.at(std::string(key)));
  });

  // As for the short keys: the median over 15 seeds fills most of 4096 buckets (2700 keys fill
  // about 48% when spread at random).
  std::vector<std::size_t> fills = bucket_fills_under_15_seeds(keys, 13);
  std::nth_element(fills.begin(), fills.begin() + 7, fills.end());
  EXPECT_GT(fills[7], 1500u);
}

TEST(HashSeed, KeysCraftedAgainstTheUnseededHashSpreadOutUnderTheProcessSeed) {
  const auto keys = mrtbb::testing::keys_colliding_without_a_seed(4096);
  const mrtbb::WordHash unseeded{mrtbb::HashSeed{}};
  for (const auto& key : keys)
    ASSERT_EQ(unseeded(key), 0u) << "the keys are not crafted as intended";

  // Into 4096 buckets by the low bits, as a table of that size would place them: a hash that
  // spreads them fills about 63% of the buckets; the unseeded one put all of them in one. The
  // multiply-fold hash fills fewer under the few seeds whose multiplier ends in many zero bits
  // (about 3% of seeds fill under half), so the bound is on the median over 15 seeds, the
  // process's own among them: one seed's bad luck cannot fail the test.
  std::vector<std::size_t> fills = bucket_fills_under_15_seeds(keys, 12);
  for (std::size_t i = 0; i < fills.size(); ++i)
    EXPECT_GT(fills[i], 1u) << "seed " << i << " left the keys colliding";
  std::nth_element(fills.begin(), fills.begin() + 7, fills.end());
  EXPECT_GT(fills[7], 2048u);
}

TEST(HashSeed, ChangesWhereKeysGoButNotWhatIsCounted) {
  std::mt19937 rng(4);
  std::vector<std::string> keys;
  for (int i = 0; i < 3000; ++i)
    keys.push_back(random_key(rng));
  const auto fill = [&](mrtbb::HashSeed seed) {
    mrtbb::CountTable table(seed);
    for (const auto& key : keys)
      table.add(key);
    std::vector<std::string> order;
    table.for_each([&](std::string_view key, std::uint64_t) { order.emplace_back(key); });
    return std::pair(contents(table), order);
  };
  const auto [counts_a, order_a] = fill({1, 2});
  const auto [counts_b, order_b] = fill({3, 4});
  EXPECT_EQ(counts_a, counts_b);
  EXPECT_NE(order_a, order_b) << "the seed did not change the table's layout";
}

TEST(CountTable, KeysDifferingOnlyInLengthOrTrailingNulAreDistinct) {
  mrtbb::CountTable table;
  const std::vector<std::string> keys = {"",
                                         std::string(1, '\0'),
                                         std::string(2, '\0'),
                                         "a",
                                         std::string("a\0", 2),
                                         "abcdefgh",
                                         std::string("abcdefgh\0", 9),
                                         std::string(16, 'q'),
                                         std::string(17, 'q'),
                                         std::string(32, 'q'),
                                         std::string(32, 'q') + '\0',
                                         std::string(33, 'q')};
  for (const auto& key : keys)
    table.add(key);
  EXPECT_EQ(table.size(), keys.size());
  for (const auto& [key, count] : contents(table))
    EXPECT_EQ(count, 1u) << key.size();
}

}  // namespace
