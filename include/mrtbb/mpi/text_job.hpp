#pragma once

#include <string>
#include <vector>

#include "mrtbb/core/options.hpp"
#include "mrtbb/mpi/cluster_options.hpp"
#include "mrtbb/pipeline/text_job.hpp"
#include "mrtbb/pipeline/text_mapper.hpp"

namespace mrtbb::mpi {

/// mrtbb::run_text_job across the ranks of `cluster.communicator` (see mpi::run_file_job): the
/// counts on rank 0, byte for byte those of one process; the same report on every rank.
TextJobResult run_text_job(const std::vector<std::string>& paths, const TextMapper& map,
                           const Options& options = {}, const ClusterOptions& cluster = {});

}  // namespace mrtbb::mpi
