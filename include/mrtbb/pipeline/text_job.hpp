#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "mrtbb/core/concepts.hpp"
#include "mrtbb/core/count_table.hpp"
#include "mrtbb/core/map_failure.hpp"
#include "mrtbb/core/options.hpp"
#include "mrtbb/core/reduce.hpp"
#include "mrtbb/pipeline/chunk.hpp"
#include "mrtbb/pipeline/inputs.hpp"
#include "mrtbb/pipeline/text_mapper.hpp"

namespace mrtbb {

struct TextJobStats {
  std::size_t inputs = 0;      ///< inputs opened and read
  std::uint64_t bytes = 0;     ///< bytes read from them
  std::uint64_t chunks = 0;    ///< chunks mapped
  std::uint64_t tokens = 0;    ///< keys emitted (the sum of all counts)
  std::uint64_t distinct = 0;  ///< distinct keys, before min_count and top_k
  std::uint64_t retries = 0;   ///< map tries that failed and were run again
  /// Bytes of the largest chunk: about the grain, more only where a token longer than the grain
  /// had to be kept whole.
  std::uint64_t largest_chunk = 0;
  /// Threads the job ran on: Options::workers, or fewer when its inputs could not keep that many
  /// busy.
  std::size_t workers = 0;
  std::size_t tables_combined = 0;  ///< thread tables that held keys and were combined
  std::size_t partitions = 0;       ///< partitions of the combine (see partitions_for)
  double read_and_map_seconds = 0;
  double combine_seconds = 0;
  double reduce_seconds = 0;
};

struct TextJobResult {
  /// (key, count), count descending then key ascending by bytes; cut by min_count and top_k.
  std::vector<WordCount> counts;
  /// Inputs left out under ErrorPolicy::skip_and_report, each with its reason.
  std::vector<InputFailure> failures;
  /// Entries of directory walks that were not read (not regular files), each with its reason.
  std::vector<SkippedInput> skipped;
  /// Inputs that were read but changed while they were read (a file that grew or shrank).
  std::vector<InputWarning> warnings;
  /// Map tasks left out under Options::on_map_error = skip_and_report, by chunk then input.
  std::vector<MapFailure> map_failures;
  TextJobStats stats;
};

/// Counts what `map` emits over the text of `paths` (files, directories walked recursively in
/// sorted order, or "-" for stdin), as a tbb::parallel_pipeline: a serial stage reads chunks, a
/// parallel stage maps them into thread-local tables, which are then combined by key and ordered.
///
/// A piece whose map throws is tried again per Options::retry, its failed tries' pairs discarded.
/// Throws InputError (on_input_error = fail) for an input that cannot be read, MapError (nesting
/// the original) when a piece's tries are used up (on_map_error = fail), and OptionsError for
/// unusable options.
TextJobResult run_text_job(const std::vector<std::string>& paths, const TextMapper& map,
                           const Options& options = {});

/// The same, for any TextMapFunction (a lambda, a function): a map function of another shape is
/// rejected here, naming the concept. A TextMapper itself goes to the overload above.
template <TextMapFunction Map>
TextJobResult run_text_job(const std::vector<std::string>& paths, const Map& map,
                           const Options& options = {}) {
  return run_text_job(paths, TextMapper(map), options);
}

}  // namespace mrtbb
