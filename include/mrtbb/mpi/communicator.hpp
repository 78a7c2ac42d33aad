#pragma once

#include <mpi.h>

namespace mrtbb::mpi {

/// The processes (ranks) a job runs on: MPI_COMM_WORLD unless told otherwise. Every rank of the
/// communicator must run the same job with the same arguments (SPMD).
class Communicator {
 public:
  Communicator() noexcept : handle_(MPI_COMM_WORLD) {}
  explicit Communicator(MPI_Comm handle) noexcept : handle_(handle) {}

  int rank() const;
  int size() const;
  /// The rank that lists the inputs, reads standard input, receives the results and reports.
  bool is_root() const { return rank() == root; }
  MPI_Comm handle() const noexcept { return handle_; }

  static constexpr int root = 0;

 private:
  MPI_Comm handle_;
};

}  // namespace mrtbb::mpi
