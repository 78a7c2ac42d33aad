#pragma once

#include <cstdint>
#include <string>

#include "mrtbb/core/count_table.hpp"
#include "mrtbb/core/options.hpp"
#include "mrtbb/core/reduce.hpp"
#include "mrtbb/pipeline/file_job.hpp"
#include "mrtbb/pipeline/text_mapper.hpp"

namespace mrtbb {

/// The file job that run_text_job runs, wherever it runs: what `map` emits, counted (std::string
/// keys, std::uint64_t values, Sum), keys seen fewer than Options::min_count times left out, the
/// Options::top_k most frequent kept (0: all), most frequent first. The job refers to `map`, which
/// must outlive it.
inline auto count_job(const TextMapper& map, const Options& options) {
  const std::uint64_t min_count = options.min_count;
  return text_job<std::string, std::uint64_t>(
             [&map](const TextSegment& segment, CountEmitter& emitter) { map(segment, emitter); },
             map.shared_boundary())
      .combine_with(Sum{})
      .keep_if([min_count](const WordCount& entry) { return entry.second >= min_count; })
      .top(options.top_k, MoreFrequentFirst{});
}

}  // namespace mrtbb
