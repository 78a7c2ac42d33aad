// inverted_index_mpi: inverted_index on the ranks of an MPI job, with the same output, which rank 0
// prints; every rank ends with rank 0's exit status.
//
//   mpirun -np 4 inverted_index_mpi [-j N] [--grain SIZE] [PATH...]
#include <mrtbb/mpi/communicator.hpp>
#include <mrtbb/mpi/environment.hpp>
#include <mrtbb/mpi/file_job.hpp>

#include <mpi.h>

#include <cstdio>
#include <variant>

#include "inverted_index_job.hpp"

int main(int argc, char** argv) {
  mrtbb::mpi::Environment environment(argc, argv);
  const mrtbb::mpi::Communicator ranks;
  // Every rank parses the same arguments to the same end; rank 0 says what is wrong with them.
  const auto parsed = inverted_index::parse_command_line(argc, argv, ranks.is_root());
  if (const int* status = std::get_if<int>(&parsed)) return *status;
  const auto& command = std::get<inverted_index::Command>(parsed);
  int status = 0;
  try {
    const auto result = mrtbb::mpi::run_file_job(inverted_index::job(), command.paths,
                                                 command.options, {.communicator = ranks});
    if (ranks.is_root()) status = inverted_index::report_and_print(result);
  } catch (const mrtbb::Error& e) {
    // Every rank throws when one fails; rank 0's exception names the rank that failed first.
    if (ranks.is_root()) std::fprintf(stderr, "%s: %s\n", inverted_index::program, e.what());
    status = 1;
  }
  MPI_Bcast(&status, 1, MPI_INT, mrtbb::mpi::Communicator::root, ranks.handle());
  return status;
}
