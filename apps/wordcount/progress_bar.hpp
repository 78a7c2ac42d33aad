#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "mrtbb/core/options.hpp"

namespace wordcount {

/// Seconds the rest of the input will take at the rate so far; nullopt until that can be told
/// (less than a second gone or less than 1% done: an early rate says little) and once all is done.
/// Never less than one second while bytes are left, so that it never says "0 s left" too early.
std::optional<std::uint64_t> seconds_left(const mrtbb::Progress& progress, double elapsed_seconds);

/// One line of progress, at most `width` - 1 columns (the last column of a terminal would wrap
/// the line): percent done, megabytes done of the total, the rate and the time left, the least
/// needed ones first as the width shrinks, and before them a bar when `with_bar` and at least
/// min_bar_width columns are left for it. Without a known total: megabytes read and the rate.
std::string progress_line(const mrtbb::Progress& progress, double elapsed_seconds,
                          std::size_t width, bool with_bar);

/// A bar narrower than this says less than the percent beside it.
inline constexpr std::size_t min_bar_width = 12;

/// Progress on stderr. On a terminal (TERM not "dumb") one line, redrawn with a carriage return
/// at the terminal's width (TIOCGWINSZ, 80 columns when it does not say) and erased at the end.
/// Anywhere else, when asked for (--progress), plain lines of at most 80 columns, at most one a
/// second and one at the end, with no control characters.
class ProgressBar {
 public:
  /// `wanted` unset: shown only when stderr is a terminal that is not dumb and the input is at
  /// least `large`.
  explicit ProgressBar(std::optional<bool> wanted);

  /// Called from the job's reading stage, one call at a time.
  void update(const mrtbb::Progress& progress);
  /// Clears the bar so that what follows starts on a clean line.
  void finish();

  static constexpr std::uint64_t large = std::uint64_t{256} << 20;

 private:
  std::optional<bool> wanted_;
  bool redraw_;  // a terminal that can take a redrawn line
  bool shown_ = false;
  bool done_shown_ = false;  // the job reports the end more than once
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace wordcount
