#pragma once

#include <vector>

#include "mrtbb/mpi/communicator.hpp"
#include "mrtbb/pipeline/inputs.hpp"
#include "mrtbb/pipeline/job_result.hpp"

namespace mrtbb::mpi::detail {

/// Adds every rank's report of reading and mapping its `share` (`local`) to `into`, the same on
/// every rank: failures, skipped files (binary files of walks, after those `into` holds from the
/// listing), warnings and map failures in rank order (which is input order), an input
/// that failed on two ranks that shared it once; counts summed, the largest chunk and the phase
/// times the largest of any rank. A map failure of another rank holds an Error with its reason;
/// its position counts the chunks of the ranks before it, so that it is the chunk's place in the
/// whole job.
/// Collective.
void merge_reports(const Communicator& communicator, const JobReport& local,
                   const std::vector<InputFile>& share, JobReport& into);

}  // namespace mrtbb::mpi::detail
