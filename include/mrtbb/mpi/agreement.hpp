#pragma once

// How the ranks of a job leave it together. Each phase of a job across processes (listing the
// inputs, mapping, the shuffle, the reduce, gathering the results) ends with every rank saying
// whether its part failed; until then no rank waits in a collective that a failed rank will never
// join. A phase's own collectives go on to their end after a local failure, with nothing more to
// send from the rank that failed.

#include <exception>
#include <utility>

#include "mrtbb/mpi/communicator.hpp"

namespace mrtbb::mpi::detail {

/// The end of a phase, on every rank. When one or more ranks bring an error, every rank throws:
/// those ranks their own exception, the others a PeerError with the lowest failed rank's message.
void agree(const Communicator& communicator, std::exception_ptr error);

/// Runs `phase` on this rank, then agrees with the others on how it went (see agree). `phase` must
/// call no collective that it could leave early on an exception.
template <class Phase>
void run_phase(const Communicator& communicator, Phase&& phase) {
  std::exception_ptr error;
  try {
    std::forward<Phase>(phase)();
  } catch (...) {
    error = std::current_exception();
  }
  agree(communicator, error);
}

}  // namespace mrtbb::mpi::detail
