#pragma once

#include <cstddef>

#include "mrtbb/mpi/communicator.hpp"

namespace mrtbb::mpi {

/// Where a job runs across processes, beside the Options of what each process does.
struct ClusterOptions {
  Communicator communicator = {};
  /// The most bytes of serialised pairs a rank sends in one round of the shuffle (to all ranks
  /// together); a rank with more sends them in several rounds, so that its buffers stay bounded
  /// whatever the data. At least 1; a pair larger than this travels alone in its round.
  std::size_t shuffle_round_bytes = std::size_t{64} << 20;
};

}  // namespace mrtbb::mpi
