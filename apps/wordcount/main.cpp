// wordcount: counts words with mrtbb and prints them most frequent first.

#include <variant>

#include "mrtbb/mrtbb.hpp"
#include "wordcount/command_line.hpp"
#include "wordcount/count_command.hpp"

int main(int argc, char** argv) {
  wordcount::ignore_write_signals();
  const auto parsed = wordcount::parse_command_line(argc, argv);
  if (const int* status = std::get_if<int>(&parsed)) return *status;
  wordcount::JobRunner runner;
  runner.run = [](const std::vector<std::string>& paths, const mrtbb::TextMapper& map,
                  const mrtbb::Options& options) {
    return mrtbb::run_text_job(paths, map, options);
  };
  return wordcount::run_count_command(std::get<wordcount::Config>(parsed), runner);
}
