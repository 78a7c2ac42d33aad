#include "mrtbb/pipeline/text_job.hpp"

#include "mrtbb/pipeline/file_job.hpp"

namespace mrtbb {

TextJobResult run_text_job(const std::vector<std::string>& paths, const TextMapper& map,
                           const Options& options) {
  const std::uint64_t min_count = options.min_count;
  const auto job =
      text_job<std::string, std::uint64_t>(
          [&map](const TextSegment& segment, CountEmitter& emitter) { map(segment, emitter); },
          map.shared_boundary())
          .combine_with(Sum{})
          .keep_if([min_count](const WordCount& entry) { return entry.second >= min_count; })
          .top(options.top_k, MoreFrequentFirst{});
  return run_file_job(job, paths, options);
}

}  // namespace mrtbb
