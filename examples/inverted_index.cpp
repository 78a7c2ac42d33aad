// inverted_index: for every word of the inputs, the files that hold it, as a text job whose map
// function splits words exactly as wordcount's `letters` rule does.
//
//   inverted_index [-j N] [--grain SIZE] [PATH...]
//
// One line per word, words in byte order: word<TAB>path<TAB>path..., each file once, paths in byte
// order, named as `find PATH -type f` names them.
#include <cstdio>
#include <variant>

#include "inverted_index_job.hpp"

int main(int argc, char** argv) {
  const auto parsed = inverted_index::parse_command_line(argc, argv, true);
  if (const int* status = std::get_if<int>(&parsed)) return *status;
  const auto& command = std::get<inverted_index::Command>(parsed);
  try {
    return inverted_index::report_and_print(
        mrtbb::run_file_job(inverted_index::job(), command.paths, command.options));
  } catch (const mrtbb::Error& e) {
    std::fprintf(stderr, "%s: %s\n", inverted_index::program, e.what());
    return 1;
  }
}
