#include "mrtbb/core/options.hpp"

#include <oneapi/tbb/info.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>

#include "mrtbb/core/errors.hpp"

namespace mrtbb {

namespace {

// RetryPolicy::wait_before doubles the backoff up to 20 times; this is the longest backoff for
// which that cannot overflow.
constexpr auto max_backoff =
    std::chrono::milliseconds(std::numeric_limits<std::chrono::milliseconds::rep>::max() >> 20);

void check_at_most(const char* name, std::size_t value, std::size_t limit) {
  if (value > limit) {
    throw OptionsError(std::string(name) + " must be at most " + std::to_string(limit) + ", got " +
                       std::to_string(value));
  }
}

std::size_t item_grain(const Options& options, std::size_t item_count, std::size_t workers) {
  if (options.grain != 0) return options.grain;
  const std::size_t tasks = 4 * workers;
  const std::size_t grain = item_count / tasks + (item_count % tasks != 0 ? 1 : 0);
  return std::max<std::size_t>(grain, 1);
}

// The most tasks of `item_count` items at `grain` items per task: a range is split in halves until
// a piece holds at most `grain` items, so every task holds at least half a grain.
std::uint64_t item_tasks(std::size_t item_count, std::size_t grain) {
  if (item_count <= grain) return 1;
  return item_count / (grain / 2 + grain % 2);
}

}  // namespace

ResolvedOptions resolve(const Options& options, std::uint64_t max_tasks) {
  check_at_most("workers", options.workers, max_workers);
  check_at_most("partitions", options.partitions, max_partitions);
  if (options.retry.attempts == 0) {
    throw OptionsError("retry.attempts counts the first try and must be at least 1, got 0");
  }
  if (options.retry.backoff.count() < 0 || options.retry.backoff > max_backoff) {
    throw OptionsError("retry.backoff must be between 0 and " +
                       std::to_string(max_backoff.count()) + " ms, got " +
                       std::to_string(options.retry.backoff.count()) + " ms");
  }
  const std::size_t asked = options.workers != 0
                                ? options.workers
                                : static_cast<std::size_t>(tbb::info::default_concurrency());
  const std::size_t workers =
      static_cast<std::size_t>(std::clamp<std::uint64_t>(max_tasks, 1, asked));
  const std::size_t tokens = options.tokens_in_flight != 0 ? options.tokens_in_flight : 4 * workers;
  const std::size_t partitions =
      std::bit_ceil(options.partitions != 0 ? options.partitions : 8 * workers);
  return {workers, tokens, partitions};
}

std::size_t text_grain(const Options& options) {
  check_at_most("grain (bytes per text chunk)", options.grain, max_text_grain);
  return options.grain != 0 ? options.grain : default_text_grain;
}

ResolvedItemJob resolve_item_job(const Options& options, std::size_t item_count) {
  const std::size_t grain = item_grain(options, item_count, resolve(options).workers);
  return {resolve(options, item_tasks(item_count, grain)), grain};
}

}  // namespace mrtbb
