#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mrtbb/core/concepts.hpp"
#include "mrtbb/core/count_table.hpp"
#include "mrtbb/core/options.hpp"
#include "mrtbb/pipeline/job_result.hpp"
#include "mrtbb/pipeline/text_mapper.hpp"

namespace mrtbb {

/// A count job's results: (key, count), count descending then key ascending by bytes, cut by
/// Options::min_count and Options::top_k.
using TextJobResult = FileJobResult<std::string, std::uint64_t>;

/// Counts what `map` emits over the text of `paths` (files, directories walked recursively in
/// sorted order, or "-" for stdin). This is a file job (file_job.hpp) with std::string keys,
/// std::uint64_t values and the Sum combiner, which runs on CountTable; keys seen fewer than
/// Options::min_count times are left out, and only the Options::top_k most frequent kept (0: all).
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
