#include "wordcount/count_command.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <exception>
#include <iostream>
#include <mutex>
#include <optional>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "wordcount/exit_status.hpp"
#include "wordcount/output.hpp"
#include "wordcount/progress_bar.hpp"

namespace wordcount {

namespace {

void print_stats(const mrtbb::TextJobResult& result, double wall_seconds, int processes) {
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
  if (processes > 1) {
    std::cerr << fmt::format(
        "wordcount: {} ranks; shuffle {:.3f} s, gather {:.3f} s; counts are the sums of all "
        "ranks, phase times the slowest rank's, the wall time rank 0's\n",
        processes, stats.shuffle_seconds, stats.gather_seconds);
  }
  const auto binary = static_cast<std::size_t>(std::count_if(
      result.skipped.begin(), result.skipped.end(),
      [](const auto& skipped) { return skipped.reason == mrtbb::binary_file_reason; }));
  if (result.skipped.size() > binary) {
    std::cerr << fmt::format(
        "wordcount: skipped {} directory entries: not a regular file (-v names them)\n",
        result.skipped.size() - binary);
  }
  if (binary > 0) {
    std::cerr << fmt::format(
        "wordcount: skipped {} binary files found in directories (-v names them)\n", binary);
  }
}

// The numbers of print_stats as one JSON object on one line, for scripts. Times are in seconds.
void print_json_stats(const mrtbb::TextJobResult& result, double wall_seconds, int processes) {
  const mrtbb::JobStats& stats = result.stats;
  nlohmann::ordered_json json = {
      {"files", stats.inputs},
      {"bytes", stats.bytes},
      {"tokens", stats.tokens},
      {"distinct_words", stats.distinct},
      {"wall_seconds", wall_seconds},
      {"read_and_map_seconds", stats.read_and_map_seconds},
      {"combine_seconds", stats.combine_seconds},
      {"reduce_and_sort_seconds", stats.reduce_seconds},
      {"chunks", stats.chunks},
      {"largest_chunk_bytes", stats.largest_chunk},
      {"workers", stats.workers},
      {"thread_tables_combined", stats.tables_combined},
      {"partitions", stats.partitions},
      {"skipped_entries", result.skipped.size()},
      {"failed_inputs", result.failures.size()},
      {"ranks", processes},
  };
  if (processes > 1) {
    json["shuffle_seconds"] = stats.shuffle_seconds;
    json["gather_seconds"] = stats.gather_seconds;
  }
  std::cerr << json.dump() << "\n";
}

void report(const mrtbb::TextJobResult& result, bool verbose) {
  for (const auto& failure : result.failures) {
    std::cerr << fmt::format("wordcount: cannot read '{}': {}\n", failure.input, failure.reason);
  }
  if (verbose) {
    for (const auto& skipped : result.skipped)
      std::cerr << fmt::format("wordcount: skipped '{}': {}\n", skipped.path, skipped.reason);
  }
  for (const auto& warning : result.warnings) {
    std::cerr << fmt::format("wordcount: warning: '{}' {}\n", warning.input, warning.message);
  }
}

int count(const Config& config, const JobRunner& runner) {
  const auto started = std::chrono::steady_clock::now();
  // Opened before counting, so that an unusable output path fails before the work is done.
  std::optional<OutputFile> out;
  std::exception_ptr cannot_open;
  try {
    if (runner.reports) out.emplace(config.output_path);
  } catch (...) {
    cannot_open = std::current_exception();
  }
  if (!runner.all_ready(cannot_open == nullptr)) {
    if (cannot_open) std::rethrow_exception(cannot_open);
    return io_failure;  // the reporting process could not open the output, and says why
  }

  mrtbb::Options options = config.job;
  options.on_input_error = mrtbb::ErrorPolicy::skip_and_report;
  ProgressBar progress(runner.reports ? config.progress : std::optional<bool>(false));
  options.on_progress = [&](const mrtbb::Progress& p) { progress.update(p); };
  std::mutex verbose_mutex;
  if (config.verbose && runner.reports) {
    options.on_map_task = [&](const mrtbb::MapTaskInfo& task) {
      std::lock_guard lock(verbose_mutex);
      std::cerr << fmt::format("wordcount: worker {} reading {} (chunk {})\n", task.worker,
                               task.input, task.chunk);
    };
  }

  auto result = runner.run(config.paths, mrtbb::make_tokenizer(config.tokenizer), options);
  progress.finish();
  const int status = result.failures.empty() ? success : io_failure;
  if (!runner.reports) return status;
  report(result, config.verbose);

  try {
    sort_counts(result.results, config.sort, config.reverse);
    write_counts(result.results, config.format, *out, mrtbb::resolve(options).workers);
    out->commit();
  } catch (const WriteError& e) {
    // The reader went away (`wordcount big.txt | head`): it asked for no more, which is no error.
    if (e.error() == EPIPE) return status;
    throw;  // ~OutputFile removes an unfinished replacement; the old file stays as it was
  }
  const double wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (config.stats == StatsFormat::text) print_stats(result, wall_seconds, runner.processes);
  if (config.stats == StatsFormat::json) print_json_stats(result, wall_seconds, runner.processes);
  return status;
}

}  // namespace

int run_count_command(const Config& config, const JobRunner& runner) {
  try {
    return count(config, runner);
  } catch (const std::exception& e) {
    if (runner.reports) std::cerr << "wordcount: " << e.what() << "\n";
    return io_failure;
  }
}

void ignore_write_signals() {
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGXFSZ, SIG_IGN);
}

}  // namespace wordcount
