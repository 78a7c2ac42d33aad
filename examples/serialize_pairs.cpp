// Serializer: (word, user struct) pairs turned into bytes, as they would travel between processes,
// and read back. The struct's Serializer is the only code a user writes.
#include <mrtbb/mrtbb.hpp>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct Stats {
  std::uint64_t count = 0;
  std::int64_t sum = 0;
  std::vector<std::string> files;
};

template <>
struct mrtbb::Serializer<Stats> {
  static void write(std::string& out, const Stats& stats) {
    mrtbb::serialize(out, stats.count);
    mrtbb::serialize(out, stats.sum);
    mrtbb::serialize(out, stats.files);
  }
  static Stats read(std::string_view& in) {
    Stats stats;
    stats.count = mrtbb::deserialize<std::uint64_t>(in);
    stats.sum = mrtbb::deserialize<std::int64_t>(in);
    stats.files = mrtbb::deserialize<std::vector<std::string>>(in);
    return stats;
  }
};

int main() {
  const std::vector<std::pair<std::string, Stats>> pairs = {
      {"apple", {3, -12, {"a.txt", "b.txt"}}},
      {"", {1, 9223372036854775807, {}}},
      {"zebra", {2, 40, {"z.tsv"}}},
  };
  const std::string bytes = mrtbb::to_bytes(pairs);
  std::printf("%zu pairs in %zu bytes\n", pairs.size(), bytes.size());

  const auto back = mrtbb::from_bytes<std::vector<std::pair<std::string, Stats>>>(bytes);
  for (const auto& [word, stats] : back) {
    std::printf("'%s' count=%llu sum=%lld files=", word.c_str(),
                static_cast<unsigned long long>(stats.count), static_cast<long long>(stats.sum));
    for (const auto& file : stats.files)
      std::printf("%s;", file.c_str());
    std::printf("\n");
  }

  try {
    mrtbb::from_bytes<std::vector<std::pair<std::string, Stats>>>(bytes.substr(0, 20));
  } catch (const mrtbb::SerializationError& error) {
    std::printf("first 20 bytes: %s\n", error.what());
  }
}
