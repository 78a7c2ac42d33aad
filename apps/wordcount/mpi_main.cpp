// wordcount-mpi: wordcount over the ranks of an MPI job (`mpirun -np 4 wordcount-mpi --top 20
// corpus/`). Every rank counts its share of the inputs; rank 0 writes the counts and reports, the
// other ranks write nothing, and all end with rank 0's exit status.

#include <mpi.h>

#include <iostream>
#include <sstream>
#include <variant>

#include "mrtbb/mpi/communicator.hpp"
#include "mrtbb/mpi/environment.hpp"
#include "mrtbb/mpi/text_job.hpp"
#include "wordcount/command_line.hpp"
#include "wordcount/count_command.hpp"

namespace {

using mrtbb::mpi::Communicator;

// Whether every rank's `mine` holds.
bool all_of(const Communicator& ranks, bool mine) {
  int all = mine ? 1 : 0;
  MPI_Allreduce(MPI_IN_PLACE, &all, 1, MPI_INT, MPI_LAND, ranks.handle());
  return all != 0;
}

// Rank 0's `status`, on every rank.
int root_status(const Communicator& ranks, int status) {
  MPI_Bcast(&status, 1, MPI_INT, Communicator::root, ranks.handle());
  return status;
}

// Every rank parses the command line and only rank 0 prints what parsing says (help, a usage
// error). Ranks differ only where a file reads differently on them (the stop words): the lowest
// rank that failed then prints its own message. Returns the status all ranks end with, or the
// configuration when all parsed it.
std::variant<wordcount::Config, int> parse_on_every_rank(const Communicator& ranks, int argc,
                                                         char** argv) {
  std::ostringstream held_out;
  std::ostringstream held_err;
  auto parsed = ranks.is_root() ? wordcount::parse_command_line(argc, argv, "wordcount-mpi")
                                : wordcount::parse_command_line(argc, argv, "wordcount-mpi",
                                                                held_out, held_err);
  const int* status = std::get_if<int>(&parsed);
  int first_failed = status ? ranks.rank() : ranks.size();
  MPI_Allreduce(MPI_IN_PLACE, &first_failed, 1, MPI_INT, MPI_MIN, ranks.handle());
  if (first_failed == ranks.size()) return parsed;
  if (ranks.rank() == first_failed && !ranks.is_root()) std::cerr << held_err.str() << std::flush;
  int agreed = status ? *status : 0;
  MPI_Bcast(&agreed, 1, MPI_INT, first_failed, ranks.handle());
  return agreed;
}

}  // namespace

int main(int argc, char** argv) {
  wordcount::ignore_write_signals();
  mrtbb::mpi::Environment environment(argc, argv);
  const Communicator ranks;
  const auto parsed = parse_on_every_rank(ranks, argc, argv);
  if (const int* status = std::get_if<int>(&parsed)) return *status;

  wordcount::JobRunner runner;
  runner.run = [&](const std::vector<std::string>& paths, const mrtbb::TextMapper& map,
                   const mrtbb::Options& options) {
    return mrtbb::mpi::run_text_job(paths, map, options, {.communicator = ranks});
  };
  runner.reports = ranks.is_root();
  runner.processes = ranks.size();
  runner.all_ready = [&](bool ready) { return all_of(ranks, ready); };
  const int status = wordcount::run_count_command(std::get<wordcount::Config>(parsed), runner);
  return root_status(ranks, status);
}
