// The same count as main.cpp, on the ranks of an MPI job through the installed mrtbb::mpi; rank 0
// prints.
#include <mrtbb/mpi.hpp>
#include <mrtbb/mrtbb.hpp>

#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  mrtbb::mpi::Environment mpi(argc, argv);
  const std::vector<std::string> paths(argv + 1, argv + argc);
  const auto result =
      mrtbb::mpi::run_text_job(paths, mrtbb::make_tokenizer({}), {.workers = 1, .top_k = 3});
  if (!mrtbb::mpi::Communicator().is_root()) return 0;
  for (const auto& [word, count] : result.results) {
    std::printf("%s %llu\n", word.c_str(), static_cast<unsigned long long>(count));
  }
  return 0;
}
