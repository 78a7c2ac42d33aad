#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "mrtbb/core/retry_policy.hpp"

namespace mrtbb {

/// How the thread-local tables of the map phase are combined by key.
enum class PartitionStrategy {
  /// Each thread's table is scattered by key hash into P buckets; each partition is then merged by
  /// one task, so no shared map is ever locked (the Phoenix++ way).
  hash_partitioned,
  /// Every pair is inserted into one shared tbb::concurrent_hash_map under its per-key lock.
  concurrent_hash_map,
};

/// What a job does with an input that cannot be opened or read (on_input_error), or with a map
/// task whose tries all failed (on_map_error).
enum class ErrorPolicy {
  /// Stop the job and throw an InputError or MapError naming the input, chunk or item and why.
  fail,
  /// Leave the input or task out, record it in the job's failures, and go on with the others.
  skip_and_report,
};

struct Progress {
  std::uint64_t bytes_done = 0;
  /// Sum of the sizes of the regular files among the inputs; bytes from stdin or pipes are not
  /// known in advance and are not part of it.
  std::uint64_t bytes_total = 0;
};

/// Told to the on_map_task observer when a worker starts mapping a piece of an input.
struct MapTaskInfo {
  std::size_t worker = 0;
  const std::string& input;
  std::uint64_t chunk = 0;  ///< index of the chunk within the whole job
  std::size_t attempt = 1;  ///< 1 for the first try, 2 for the first retry, ...
};

/// Every setting of a job, in one place. Zero means "choose for me" wherever it is allowed.
struct Options {
  /// Worker threads; 0 means all cores. Honoured through a tbb::task_arena of that size.
  std::size_t workers = 0;
  /// Text jobs: bytes per chunk (0: 256 KiB). Item jobs: items per task (0: ceil(n / (4 x
  /// workers))).
  std::size_t grain = 0;
  /// Chunks being read or mapped at once, which bounds a text job's memory; 0 means 4 x workers.
  std::size_t tokens_in_flight = 0;
  PartitionStrategy partition = PartitionStrategy::hash_partitioned;
  /// Partitions of the hash-partitioned merge; 0 means 8 x workers. Rounded up to a power of two.
  std::size_t partitions = 0;
  ErrorPolicy on_input_error = ErrorPolicy::fail;
  /// A map task (one input's piece of a text chunk, or one item) that throws is tried again per
  /// this policy; whatever a failed try had emitted is thrown away, so no count is ever doubled.
  RetryPolicy retry = {};
  /// What happens to a map task once its tries are used up.
  ErrorPolicy on_map_error = ErrorPolicy::fail;
  /// Text jobs: keep only the top_k most frequent keys (0: all of them).
  std::size_t top_k = 0;
  /// Text jobs: keep only keys seen at least this many times.
  std::uint64_t min_count = 1;
  /// Called from the job's reading stage, one call at a time, after each chunk and once at the end.
  std::function<void(const Progress&)> on_progress = {};
  /// Called from the worker that maps a piece of an input, concurrently from several workers.
  std::function<void(const MapTaskInfo&)> on_map_task = {};
};

constexpr std::size_t default_text_grain = std::size_t{256} << 10;

/// The settings a job actually runs with, after every "choose for me" zero is resolved.
struct ResolvedOptions {
  std::size_t workers;
  std::size_t tokens_in_flight;
  std::size_t partitions;
};

/// Validates the options and resolves their zeros. Throws OptionsError on a bad value.
ResolvedOptions resolve(const Options& options);

/// The grain of a text job in bytes.
std::size_t text_grain(const Options& options);

/// The grain of an item job for `item_count` items and `workers` workers.
std::size_t item_grain(const Options& options, std::size_t item_count, std::size_t workers);

}  // namespace mrtbb
