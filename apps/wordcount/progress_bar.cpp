#include "wordcount/progress_bar.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

namespace wordcount {

namespace {
constexpr auto redraw_interval = std::chrono::milliseconds(100);
constexpr auto line_interval = std::chrono::seconds(1);
constexpr std::size_t max_bar_width = 30;
constexpr std::size_t default_width = 80;

std::string megabytes(std::uint64_t bytes) {
  return fmt::format("{:.1f} MB", double(bytes) / 1e6);
}

// The terminal's columns on stderr, or default_width when it does not say.
std::size_t terminal_width() {
  winsize size{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) != 0 || size.ws_col == 0) return default_width;
  return size.ws_col;
}

// TERM is the terminal's own convention for what it can show; "dumb" (Emacs' shell, some CI
// logs) takes no escape sequences and no redrawn line.
bool dumb_terminal() {
  const char* term = std::getenv("TERM");
  return term != nullptr && std::strcmp(term, "dumb") == 0;
}
}  // namespace

std::optional<std::uint64_t> seconds_left(const mrtbb::Progress& progress, double elapsed_seconds) {
  if (progress.bytes_total == 0 || progress.bytes_done >= progress.bytes_total) return std::nullopt;
  const double fraction = double(progress.bytes_done) / double(progress.bytes_total);
  if (elapsed_seconds < 1.0 || fraction < 0.01) return std::nullopt;
  const double left = elapsed_seconds * (1.0 - fraction) / fraction;
  return std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(left)));
}

std::string progress_line(const mrtbb::Progress& progress, double elapsed_seconds,
                          std::size_t width, bool with_bar) {
  const double rate = elapsed_seconds > 0 ? double(progress.bytes_done) / elapsed_seconds : 0;
  const std::string per_second = megabytes(static_cast<std::uint64_t>(rate)) + "/s";
  std::vector<std::string> pieces;  // the most needed first
  double fraction = 0;
  if (progress.bytes_total == 0) {
    pieces = {megabytes(progress.bytes_done) + " read", per_second};
    with_bar = false;
  } else {
    fraction = std::min(1.0, double(progress.bytes_done) / double(progress.bytes_total));
    // Floored, so that 100% means done.
    pieces = {fmt::format("{:3.0f}%", std::floor(fraction * 100)),
              megabytes(progress.bytes_done) + " of " + megabytes(progress.bytes_total),
              per_second};
    if (const auto left = seconds_left(progress, elapsed_seconds)) {
      pieces.push_back(fmt::format("{} s left", *left));
    }
  }
  const std::size_t room = width > 1 ? width - 1 : 0;
  std::string text;
  for (const std::string& piece : pieces) {
    const std::size_t grown = text.size() + (text.empty() ? 0 : 2) + piece.size();
    if (grown > room) break;
    if (!text.empty()) text += "  ";
    text += piece;
  }
  if (!with_bar || text.size() + 1 + min_bar_width > room) return text;
  const std::size_t bar = std::min(max_bar_width, room - text.size() - 1);
  const std::size_t inside = bar - 2;
  const auto filled = static_cast<std::size_t>(fraction * double(inside));
  return "[" + std::string(filled, '#') + std::string(inside - filled, ' ') + "] " + text;
}

ProgressBar::ProgressBar(std::optional<bool> wanted)
    : wanted_(wanted), redraw_(::isatty(STDERR_FILENO) == 1 && !dumb_terminal()) {}

void ProgressBar::update(const mrtbb::Progress& progress) {
  if (!wanted_) wanted_ = redraw_ && progress.bytes_total >= large;
  if (!*wanted_) return;
  const auto now = std::chrono::steady_clock::now();
  const bool done = progress.bytes_total != 0 && progress.bytes_done >= progress.bytes_total;
  if (done ? done_shown_ : now - last_draw_ < (redraw_ ? redraw_interval : line_interval)) return;
  done_shown_ = done;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (redraw_) {
    // Erased to the end of the line: a shorter line leaves nothing of the longer one before it.
    const std::string line = progress_line(progress, elapsed, terminal_width(), true);
    std::fputs(("\r" + line + "\033[K").c_str(), stderr);
  } else {
    const std::string line = progress_line(progress, elapsed, default_width - 11, false);
    std::fputs(("wordcount: " + line + "\n").c_str(), stderr);
  }
  std::fflush(stderr);
  shown_ = true;
}

void ProgressBar::finish() {
  if (!shown_ || !redraw_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace wordcount
