// wordcount: counts words with mrtbb and prints them most frequent first.

#include <csignal>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <string>

#include <fmt/format.h>

#include "mrtbb/mrtbb.hpp"
#include "wordcount/command_line.hpp"
#include "wordcount/exit_status.hpp"
#include "wordcount/output.hpp"
#include "wordcount/progress_bar.hpp"

namespace {

using wordcount::Config;

void print_stats(const mrtbb::TextJobResult& result, double wall_seconds) {
  const mrtbb::JobStats& stats = result.stats;
  const double megabytes = double(stats.bytes) / 1e6;
  std::cerr << fmt::format(
      "wordcount: {} files, {} bytes, {} tokens, {} distinct words\n"
      "wordcount: wall {:.3f} s, {:.1f} MB/s; read+map {:.3f} s, combine {:.3f} s, "
      "reduce+sort {:.3f} s\n",
      stats.inputs, stats.bytes, stats.tokens, stats.distinct, wall_seconds,
      wall_seconds > 0 ? megabytes / wall_seconds : 0.0, stats.read_and_map_seconds,
      stats.combine_seconds, stats.reduce_seconds);
  std::cerr << fmt::format(
      "wordcount: {} chunks (largest {} bytes) on {} workers; {} thread tables combined in {} "
      "partitions\n",
      stats.chunks, stats.largest_chunk, stats.workers, stats.tables_combined, stats.partitions);
  if (!result.skipped.empty()) {
    std::cerr << fmt::format(
        "wordcount: skipped {} directory entries: not a regular file (-v names them)\n",
        result.skipped.size());
  }
}

int run(const Config& config) {
  const auto started = std::chrono::steady_clock::now();
  // Opened before counting, so that an unusable output path fails before the work is done.
  wordcount::OutputFile out(config.output_path);

  mrtbb::Options options = config.job;
  options.on_input_error = mrtbb::ErrorPolicy::skip_and_report;
  wordcount::ProgressBar progress(config.progress);
  options.on_progress = [&](const mrtbb::Progress& p) { progress.update(p); };
  std::mutex verbose_mutex;
  if (config.verbose) {
    options.on_map_task = [&](const mrtbb::MapTaskInfo& task) {
      std::lock_guard lock(verbose_mutex);
      std::cerr << fmt::format("wordcount: worker {} reading {} (chunk {})\n", task.worker,
                               task.input, task.chunk);
    };
  }

  const auto result =
      mrtbb::run_text_job(config.paths, mrtbb::make_tokenizer(config.tokenizer), options);
  progress.finish();
  for (const auto& failure : result.failures) {
    std::cerr << fmt::format("wordcount: cannot read '{}': {}\n", failure.input, failure.reason);
  }
  if (config.verbose) {
    for (const auto& skipped : result.skipped)
      std::cerr << fmt::format("wordcount: skipped '{}': {}\n", skipped.path, skipped.reason);
  }
  for (const auto& warning : result.warnings) {
    std::cerr << fmt::format("wordcount: warning: '{}' {}\n", warning.input, warning.message);
  }

  try {
    wordcount::write_counts(result.results, config.format, out);
    out.commit();
  } catch (const wordcount::WriteError& e) {
    // The reader went away (`wordcount big.txt | head`): it asked for no more, which is no error.
    if (e.error() == EPIPE)
      return result.failures.empty() ? wordcount::success : wordcount::io_failure;
    throw;  // ~OutputFile removes an unfinished replacement; the old file stays as it was
  }
  if (config.stats) {
    print_stats(result,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
  return result.failures.empty() ? wordcount::success : wordcount::io_failure;
}

}  // namespace

int main(int argc, char** argv) {
  // A closed pipe, or a file grown past `ulimit -f`, must show up as an error from write(2) (EPIPE,
  // EFBIG), reported like any other, not kill the process before it can clean up.
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGXFSZ, SIG_IGN);
  auto parsed = wordcount::parse_command_line(argc, argv);
  if (const int* status = std::get_if<int>(&parsed)) return *status;
  try {
    return run(std::get<Config>(parsed));
  } catch (const std::exception& e) {
    std::cerr << "wordcount: " << e.what() << "\n";
    return wordcount::io_failure;
  }
}
