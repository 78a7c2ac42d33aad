#include "wordcount/progress_bar.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include <cstdio>
#include <string>

namespace wordcount {

namespace {
constexpr auto redraw_interval = std::chrono::milliseconds(100);
constexpr int bar_width = 30;

std::string megabytes(std::uint64_t bytes) {
  return fmt::format("{:.1f} MB", double(bytes) / 1e6);
}
}  // namespace

ProgressBar::ProgressBar(std::optional<bool> wanted) : wanted_(wanted) {}

void ProgressBar::update(const mrtbb::Progress& progress) {
  if (!wanted_) wanted_ = ::isatty(STDERR_FILENO) == 1 && progress.bytes_total >= large;
  if (!*wanted_) return;
  const auto now = std::chrono::steady_clock::now();
  const bool done = progress.bytes_total != 0 && progress.bytes_done >= progress.bytes_total;
  if (now - last_draw_ < redraw_interval && !done) return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? double(progress.bytes_done) / elapsed : 0;
  std::string line;
  if (progress.bytes_total != 0) {
    const double fraction =
        std::min(1.0, double(progress.bytes_done) / double(progress.bytes_total));
    const int filled = static_cast<int>(fraction * bar_width);
    const double left =
        rate > 0
            ? double(progress.bytes_total - std::min(progress.bytes_done, progress.bytes_total)) /
                  rate
            : 0;
    line = fmt::format("\r[{:#<{}}{:<{}}] {:3.0f}%  {} of {}  {}/s  {:.0f} s left ", "", filled, "",
                       bar_width - filled, fraction * 100, megabytes(progress.bytes_done),
                       megabytes(progress.bytes_total), megabytes(static_cast<std::uint64_t>(rate)),
                       left);
  } else {
    line = fmt::format("\r{} read  {}/s ", megabytes(progress.bytes_done),
                       megabytes(static_cast<std::uint64_t>(rate)));
  }
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
  shown_ = true;
}

void ProgressBar::finish() {
  if (!shown_) return;
  // On a terminal the bar is erased; elsewhere (a forced --progress into a file) it ends its line.
  std::fputs(::isatty(STDERR_FILENO) == 1 ? "\r\033[K" : "\n", stderr);
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace wordcount
