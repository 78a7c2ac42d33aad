#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

namespace mrtbb::fuzzing {

/// Aborts, so that libFuzzer saves the input, when the engine's counts differ from the reference's;
/// prints the first word on which they differ.
inline void require_same_counts(const std::map<std::string, std::uint64_t>& got,
                                const std::map<std::string, std::uint64_t>& expected,
                                const char* what) {
  if (got == expected) return;
  for (const auto& [word, count] : expected) {
    const auto it = got.find(word);
    const std::uint64_t actual = it == got.end() ? 0 : it->second;
    if (actual != count) {
      std::fprintf(stderr, "%s: '%s' counted %llu times, the reference says %llu\n", what,
                   word.c_str(), static_cast<unsigned long long>(actual),
                   static_cast<unsigned long long>(count));
      std::abort();
    }
  }
  for (const auto& [word, count] : got) {
    if (!expected.contains(word)) {
      std::fprintf(stderr, "%s: '%s' counted %llu times, the reference never sees it\n", what,
                   word.c_str(), static_cast<unsigned long long>(count));
      std::abort();
    }
  }
}

}  // namespace mrtbb::fuzzing
