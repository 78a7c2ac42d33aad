#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "mrtbb/core/map_failure.hpp"
#include "mrtbb/pipeline/inputs.hpp"

namespace mrtbb {

/// What a file job did, phase by phase.
struct JobStats {
  std::size_t inputs = 0;    ///< inputs opened and read
  std::uint64_t bytes = 0;   ///< bytes read from them
  std::uint64_t chunks = 0;  ///< chunks mapped
  /// Pairs emitted by the map function; for a count job, the sum of the counts emitted.
  std::uint64_t tokens = 0;
  std::uint64_t distinct = 0;  ///< distinct keys, before the job's filter and top k
  std::uint64_t retries = 0;   ///< map tries that failed and were run again
  /// Bytes of the largest chunk: about the grain, more only where a token (or, for a job over
  /// records, a line) longer than the grain had to be kept whole.
  std::uint64_t largest_chunk = 0;
  /// Threads the job ran on: Options::workers, or fewer when its inputs could not keep that many
  /// busy.
  std::size_t workers = 0;
  std::size_t tables_combined = 0;  ///< thread tables that held keys and were combined
  std::size_t partitions = 0;       ///< partitions of the combine (see partitions_for)
  double read_and_map_seconds = 0;
  double combine_seconds = 0;
  double reduce_seconds = 0;
  /// Jobs across processes: sending pairs to the ranks that own their keys (0 on one process).
  double shuffle_seconds = 0;
  /// Jobs across processes: gathering the results on rank 0 in order (0 on one process).
  double gather_seconds = 0;
};

/// Everything a file job reports besides its results.
struct JobReport {
  /// Inputs left out under ErrorPolicy::skip_and_report, each with its reason.
  std::vector<InputFailure> failures;
  /// Entries of directory walks that were not read (not regular files), each with its reason.
  std::vector<SkippedInput> skipped;
  /// Inputs that were read but changed while they were read (a file that grew or shrank).
  std::vector<InputWarning> warnings;
  /// Map tasks left out under Options::on_map_error = skip_and_report, by chunk then input.
  std::vector<MapFailure> map_failures;
  JobStats stats;
};

/// The results of a file job, (key, result) in the job's order, and its report.
template <class K, class R>
struct FileJobResult : JobReport {
  std::vector<std::pair<K, R>> results;
};

}  // namespace mrtbb
