#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "mrtbb/core/options.hpp"

namespace wordcount {

/// A one-line progress bar on stderr: bytes done of total, rate and time left.
class ProgressBar {
 public:
  /// `wanted` unset: shown only when stderr is a terminal and the input is at least `large`.
  explicit ProgressBar(std::optional<bool> wanted);

  /// Called from the job's reading stage, one call at a time.
  void update(const mrtbb::Progress& progress);
  /// Clears the bar so that what follows starts on a clean line.
  void finish();

  static constexpr std::uint64_t large = std::uint64_t{256} << 20;

 private:
  std::optional<bool> wanted_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace wordcount
