#include "mrtbb/mpi/agreement.hpp"

#include <string>

#include "mrtbb/core/errors.hpp"
#include "mrtbb/mpi/byte_exchange.hpp"
#include "mrtbb/mpi/errors.hpp"

namespace mrtbb::mpi::detail {

void agree(const Communicator& communicator, std::exception_ptr error) {
  const int rank = communicator.rank();
  const int mine = error ? rank : communicator.size();
  int lowest_failed = 0;
  MPI_Allreduce(&mine, &lowest_failed, 1, MPI_INT, MPI_MIN, communicator.handle());
  if (lowest_failed == communicator.size()) return;
  std::string message = rank == lowest_failed ? exception_message(error) : std::string();
  broadcast_bytes(communicator, message, lowest_failed);
  if (error) std::rethrow_exception(error);
  throw PeerError(lowest_failed, message);
}

}  // namespace mrtbb::mpi::detail
