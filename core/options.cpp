#include "mrtbb/core/options.hpp"

#include <oneapi/tbb/info.h>

#include <bit>
#include <chrono>
#include <cstdint>
#include <string>

#include "mrtbb/core/errors.hpp"

namespace mrtbb {

namespace {
// A task_arena far larger than any machine only multiplies stacks and tables; this catches typos
// such as -j 1000000 with a clear error instead.
constexpr std::size_t max_workers = 4096;
}  // namespace

ResolvedOptions resolve(const Options& options) {
  if (options.workers > max_workers) {
    throw OptionsError("workers must be at most " + std::to_string(max_workers) + ", got " +
                       std::to_string(options.workers));
  }
  if (options.retry.attempts == 0) {
    throw OptionsError("retry.attempts counts the first try and must be at least 1, got 0");
  }
  if (options.retry.backoff.count() < 0) {
    throw OptionsError("retry.backoff must not be negative, got " +
                       std::to_string(options.retry.backoff.count()) + " ms");
  }
  // The wait doubles before each try, up to 2^20 times the backoff; that must still be a duration.
  if (options.retry.backoff > std::chrono::milliseconds::max() / (std::int64_t{1} << 20)) {
    throw OptionsError(
        "retry.backoff is too large: " + std::to_string(options.retry.backoff.count()) + " ms");
  }
  const std::size_t workers = options.workers != 0
                                  ? options.workers
                                  : static_cast<std::size_t>(tbb::info::default_concurrency());
  const std::size_t tokens = options.tokens_in_flight != 0 ? options.tokens_in_flight : 4 * workers;
  const std::size_t partitions =
      std::bit_ceil(options.partitions != 0 ? options.partitions : 8 * workers);
  return {workers, tokens, partitions};
}

std::size_t text_grain(const Options& options) {
  return options.grain != 0 ? options.grain : default_text_grain;
}

std::size_t item_grain(const Options& options, std::size_t item_count, std::size_t workers) {
  if (options.grain != 0) return options.grain;
  const std::size_t tasks = 4 * workers;
  const std::size_t grain = (item_count + tasks - 1) / tasks;
  return grain == 0 ? 1 : grain;
}

}  // namespace mrtbb
