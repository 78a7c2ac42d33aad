#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

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

/// What a directory walk leaves out (expand_inputs). It filters: entries left out here are not
/// listed as skipped. Paths named by the caller are never left out.
struct WalkOptions {
  /// Entries whose names start with '.' (files and directories) are left out unless this is true.
  bool hidden = false;
  /// fnmatch(3) globs of entries to leave out; a directory left out is not walked. A glob ending
  /// in '/' matches directories only (the '/' is dropped). A glob with no other '/' matches an
  /// entry's name at any depth ("*.o", "build"); one with a '/' matches the entry's path relative
  /// to the walked directory, '*' never matching a '/' ("src/gen", "*/test/*.txt").
  std::vector<std::string> exclude = {};
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

/// Every setting of a job, in one place. Zero means "choose for me" wherever it is allowed. A
/// setting that cannot work (out of its range below) is an OptionsError when the job starts.
struct Options {
  /// Worker threads, at most max_workers; 0 means all cores. Honoured through a tbb::task_arena of
  /// that size, or smaller when the job can never have that many tasks at once (a text job whose
  /// inputs make fewer chunks, an item job with fewer tasks): idle threads would only cost.
  std::size_t workers = 0;
  /// Text jobs: bytes per chunk, at most max_text_grain (0: 256 KiB). Item jobs: items per task (0:
  /// ceil(n / (4 x workers))).
  std::size_t grain = 0;
  /// Chunks being read or mapped at once, which bounds a text job's memory; 0 means 4 x workers.
  std::size_t tokens_in_flight = 0;
  PartitionStrategy partition = PartitionStrategy::hash_partitioned;
  /// The most partitions the hash-partitioned merge may use, at most max_partitions; 0 means 8 x
  /// workers. Rounded up to a power of two. Fewer are used when the tables hold few keys (see
  /// partitions_for in combine.hpp), so the merge's work follows the data.
  std::size_t partitions = 0;
  ErrorPolicy on_input_error = ErrorPolicy::fail;
  /// A map task (one input's piece of a text chunk, or one item) that throws is tried again per
  /// this policy; whatever a failed try had emitted is thrown away, so no count is ever doubled.
  /// attempts must be at least 1, backoff neither negative nor so long that doubling it overflows.
  RetryPolicy retry = {};
  /// What happens to a map task once its tries are used up.
  ErrorPolicy on_map_error = ErrorPolicy::fail;
  /// Text jobs: keep only the top_k most frequent keys (0: all of them).
  std::size_t top_k = 0;
  /// Text jobs: keep only keys seen at least this many times.
  std::uint64_t min_count = 1;
  /// Text jobs: called from the job's reading stage, one call at a time, after each chunk and once
  /// at the end.
  std::function<void(const Progress&)> on_progress = {};
  /// Text jobs: called from the worker that maps a piece of an input, concurrently from several
  /// workers, before each try of the piece.
  std::function<void(const MapTaskInfo&)> on_map_task = {};
  /// What directory walks of the inputs leave out: hidden entries and excluded globs.
  WalkOptions walk = {};
};

constexpr std::size_t default_text_grain = std::size_t{256} << 10;
/// A task_arena far larger than any machine only multiplies stacks and tables; this catches typos
/// such as -j 1000000 with a clear error instead.
constexpr std::size_t max_workers = 4096;
/// A text chunk is read into one buffer of about the grain, per chunk in flight; beyond 1 GiB a
/// chunk only costs memory (throughput is flat from about 1 MiB, docs/performance-analysis.md).
constexpr std::size_t max_text_grain = std::size_t{1} << 30;
/// Far more partitions than any table holds keys for; each costs a bucket per table.
constexpr std::size_t max_partitions = std::size_t{1} << 20;
/// No limit on a job's tasks at once: for resolve().
constexpr std::uint64_t unbounded_tasks = ~std::uint64_t{0};

/// The settings a job actually runs with, after every "choose for me" zero is resolved.
struct ResolvedOptions {
  std::size_t workers;           ///< threads of the job's arena
  std::size_t tokens_in_flight;  ///< chunks a text job reads or maps at once
  std::size_t partitions;        ///< the most partitions of the merge, a power of two
};

/// Validates the options and resolves their zeros. Throws OptionsError on a bad value. A job that
/// never has more than `max_tasks` tasks at once runs on at most that many workers (and at least
/// one), and its defaults that scale with the workers (tokens, partitions) follow.
ResolvedOptions resolve(const Options& options, std::uint64_t max_tasks = unbounded_tasks);

/// The grain of a text job in bytes. Throws OptionsError above max_text_grain.
std::size_t text_grain(const Options& options);

/// An item job's settings: those of resolve(), on no more workers than the job has tasks.
struct ResolvedItemJob : ResolvedOptions {
  std::size_t grain;  ///< items per task: Options::grain, or ceil(n / (4 x workers)) for 0
};

/// Resolves the options of an item job over `item_count` items. Throws OptionsError on a bad value.
ResolvedItemJob resolve_item_job(const Options& options, std::size_t item_count);

}  // namespace mrtbb
