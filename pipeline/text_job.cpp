#include "mrtbb/pipeline/text_job.hpp"

#include "mrtbb/pipeline/count_job.hpp"

namespace mrtbb {

TextJobResult run_text_job(const std::vector<std::string>& paths, const TextMapper& map,
                           const Options& options) {
  return run_file_job(count_job(map, options), paths, options);
}

}  // namespace mrtbb
