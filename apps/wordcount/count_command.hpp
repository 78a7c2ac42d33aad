#pragma once

#include <functional>
#include <string>
#include <vector>

#include "mrtbb/mrtbb.hpp"
#include "wordcount/command_line.hpp"

namespace wordcount {

/// Where the command's count job runs: in this process (wordcount), or as one rank of several
/// that run the same command (wordcount-mpi).
struct JobRunner {
  /// Runs the count job; in every process of the run, with the same arguments.
  std::function<mrtbb::TextJobResult(const std::vector<std::string>& paths,
                                     const mrtbb::TextMapper& map, const mrtbb::Options& options)>
      run;
  /// Whether this process writes the output and everything on stderr. Exactly one process of a
  /// run does; the report it prints is the same in all of them.
  bool reports = true;
  /// The processes of the run, named by --stats when more than one.
  int processes = 1;
  /// Told whether this process can start the job, answers whether all can. The reporting process
  /// opens the output before the job, and when that fails the others must not start it either.
  std::function<bool(bool ready)> all_ready = [](bool ready) { return ready; };
};

/// Counts as `config` asks, writes the counts and reports on stderr (when runner.reports), and
/// returns the exit status (exit_status.hpp). An error is reported as `wordcount: <what>` and
/// ends with io_failure; nothing is thrown.
int run_count_command(const Config& config, const JobRunner& runner);

/// What a closed pipe and a file grown past `ulimit -f` must do to the command: fail the write
/// (EPIPE, EFBIG), to be reported like any other failure, and not kill the process before it can
/// clean up.
void ignore_write_signals();

}  // namespace wordcount
