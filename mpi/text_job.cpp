#include "mrtbb/mpi/text_job.hpp"

#include "mrtbb/mpi/file_job.hpp"
#include "mrtbb/pipeline/count_job.hpp"

namespace mrtbb::mpi {

TextJobResult run_text_job(const std::vector<std::string>& paths, const TextMapper& map,
                           const Options& options, const ClusterOptions& cluster) {
  return run_file_job(count_job(map, options), paths, options, cluster);
}

}  // namespace mrtbb::mpi
