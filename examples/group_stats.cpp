// group_stats: per-key statistics over TSV records, as a file job over records. For each distinct
// value of field K, over the integers of field V: key, count, sum, min and max, keys in byte order.
//
//   group_stats --key 1 --value 3 [-j N] [--grain SIZE] [--stats] [PATH...]
//
// A line with too few fields, or whose field V is not a decimal integer within int64, is rejected
// and reported as PATH:LINE (the first 10 in input order); the exit status is then 1.
#include <cstdio>
#include <variant>

#include "group_stats_job.hpp"

int main(int argc, char** argv) {
  const auto parsed = group_stats::parse_command_line(argc, argv, true);
  if (const int* status = std::get_if<int>(&parsed)) return *status;
  const auto& command = std::get<group_stats::Command>(parsed);
  const group_stats::RecordParser parser(command.key_at, command.value_at);
  try {
    const auto result =
        mrtbb::run_file_job(group_stats::job(parser), command.paths, command.options);
    return group_stats::report_and_print(result, parser.rejections(), command.print_stats);
  } catch (const mrtbb::Error& e) {
    std::fprintf(stderr, "%s: %s\n", group_stats::program, e.what());
    return 1;
  }
}
