#pragma once

#include <boost/unordered/unordered_flat_map.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "mrtbb/core/hashing.hpp"

namespace mrtbb {

/// One thread's word counts: a flat open-addressing table probed with string views.
using CountTable = boost::unordered_flat_map<std::string, std::uint64_t, StringHash, StringEqual>;

/// What a text job's map function emits into. A count is a single counter per key per thread (a
/// combiner), not a list of ones, so memory follows the distinct keys rather than the input.
class CountEmitter {
 public:
  explicit CountEmitter(CountTable& table) noexcept : table_(&table) {}

  void emit(std::string_view key, std::uint64_t count = 1) {
    const auto found = table_->find(key);
    if (found != table_->end()) {
      found->second += count;
    } else {
      table_->emplace(std::string(key), count);
    }
  }

 private:
  CountTable* table_;
};

}  // namespace mrtbb
