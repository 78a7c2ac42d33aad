// group_stats_mpi: group_stats on the ranks of an MPI job, with the same output, which rank 0
// prints; every rank ends with rank 0's exit status.
//
//   mpirun -np 4 group_stats_mpi --key 1 --value 3 [-j N] [--grain SIZE] [--stats] [PATH...]
//
// Each rank keeps the first rejected lines of its share; rank 0 gathers them and keeps the first
// 10 of all in input order, so the list is the one group_stats prints.
#include <mrtbb/mpi/communicator.hpp>
#include <mrtbb/mpi/environment.hpp>
#include <mrtbb/mpi/file_job.hpp>

#include <mpi.h>

#include <cstdio>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "group_stats_job.hpp"

namespace {

using mrtbb::mpi::Communicator;

// Every rank's rejections, added up on rank 0 (the others get their own back).
group_stats::Rejections gather(const Communicator& ranks, group_stats::Rejections mine) {
  const std::string bytes = mrtbb::to_bytes(mine);
  int size = static_cast<int>(bytes.size());
  std::vector<int> sizes(ranks.is_root() ? static_cast<std::size_t>(ranks.size()) : 0);
  MPI_Gather(&size, 1, MPI_INT, sizes.data(), 1, MPI_INT, Communicator::root, ranks.handle());
  std::vector<int> offsets(sizes.size());
  std::string all;
  for (std::size_t rank = 0; rank < sizes.size(); ++rank) {
    offsets[rank] = static_cast<int>(all.size());
    all.resize(all.size() + static_cast<std::size_t>(sizes[rank]));
  }
  MPI_Gatherv(bytes.data(), size, MPI_CHAR, all.data(), sizes.data(), offsets.data(), MPI_CHAR,
              Communicator::root, ranks.handle());
  if (!ranks.is_root()) return mine;
  group_stats::Rejections merged;
  std::string_view rest = all;
  while (!rest.empty())
    merged.add(mrtbb::deserialize<group_stats::Rejections>(rest));
  return merged;
}

}  // namespace

int main(int argc, char** argv) {
  mrtbb::mpi::Environment environment(argc, argv);
  const Communicator ranks;
  // Every rank parses the same arguments to the same end; rank 0 says what is wrong with them.
  const auto parsed = group_stats::parse_command_line(argc, argv, ranks.is_root());
  if (const int* status = std::get_if<int>(&parsed)) return *status;
  const auto& command = std::get<group_stats::Command>(parsed);
  const group_stats::RecordParser parser(command.key_at, command.value_at);
  int status = 0;
  try {
    const auto result = mrtbb::mpi::run_file_job(group_stats::job(parser), command.paths,
                                                 command.options, {.communicator = ranks});
    // Every rank is here (a failure on one throws on all), so all take part in the gather.
    const group_stats::Rejections rejected = gather(ranks, parser.rejections());
    if (ranks.is_root())
      status = group_stats::report_and_print(result, rejected, command.print_stats);
  } catch (const mrtbb::Error& e) {
    // Every rank throws when one fails; rank 0's exception names the rank that failed first.
    if (ranks.is_root()) std::fprintf(stderr, "%s: %s\n", group_stats::program, e.what());
    status = 1;
  }
  MPI_Bcast(&status, 1, MPI_INT, Communicator::root, ranks.handle());
  return status;
}
