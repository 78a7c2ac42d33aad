#include "mrtbb/mpi/environment.hpp"

#include <stdexcept>

#include "mrtbb/mpi/communicator.hpp"
#include "mrtbb/mpi/errors.hpp"

namespace mrtbb::mpi {

Environment::Environment(int& argc, char**& argv) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (initialized) return;
  // Serialized rather than funneled: the thread that runs a job calls MPI from inside the job's
  // task arena, which oneTBB may in principle run on another thread than main's.
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided);
  owns_ = true;
  if (provided < MPI_THREAD_SERIALIZED) {
    MPI_Finalize();
    owns_ = false;
    throw Error(
        "this MPI library cannot be called from one thread at a time (it provides thread "
        "level " +
        std::to_string(provided) + ")");
  }
}

Environment::~Environment() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (owns_ && !finalized) MPI_Finalize();
}

int Communicator::rank() const {
  int rank = 0;
  MPI_Comm_rank(handle_, &rank);
  return rank;
}

int Communicator::size() const {
  int size = 0;
  MPI_Comm_size(handle_, &size);
  return size;
}

PeerError::PeerError(int rank, const std::string& message)
    : Error("rank " + std::to_string(rank) + " failed: " + message),
      rank_(rank),
      message_(message) {}

}  // namespace mrtbb::mpi
