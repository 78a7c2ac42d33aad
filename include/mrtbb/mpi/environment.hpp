#pragma once

#include <mpi.h>

namespace mrtbb::mpi {

/// MPI for the life of the object: initialised (when nobody has yet) with MPI_THREAD_FUNNELED,
/// since only the thread that runs a job calls MPI while the job's TBB workers map, and finalised
/// by the destructor when this object initialised it. Make one at the top of main(), before any
/// job.
class Environment {
 public:
  Environment(int& argc, char**& argv);
  ~Environment();
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;

 private:
  bool owns_ = false;
};

}  // namespace mrtbb::mpi
