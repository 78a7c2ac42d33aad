#pragma once

// The map phase of every file job: a tbb::parallel_pipeline whose serial stage reads chunks and
// whose parallel stage maps their pieces into thread-local tables. The table type is the job's
// (CountTable for counts, a FoldingTable or ValueListTable otherwise); the rest is the same for
// all.

#include <oneapi/tbb/concurrent_queue.h>
#include <oneapi/tbb/concurrent_vector.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <iterator>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "mrtbb/core/errors.hpp"
#include "mrtbb/core/map_failure.hpp"
#include "mrtbb/core/options.hpp"
#include "mrtbb/core/retry_policy.hpp"
#include "mrtbb/core/worker_arena.hpp"
#include "mrtbb/pipeline/chunk.hpp"
#include "mrtbb/pipeline/chunk_boundary.hpp"
#include "mrtbb/pipeline/chunk_reader.hpp"
#include "mrtbb/pipeline/inputs.hpp"
#include "mrtbb/pipeline/job_result.hpp"

namespace mrtbb::detail {

using JobClock = std::chrono::steady_clock;

inline double seconds_since(JobClock::time_point start) {
  return std::chrono::duration<double>(JobClock::now() - start).count();
}

// Chunks and their buffers are reused across the job, so the steady state allocates nothing per
// chunk. The pool owns every chunk: one in flight when the pipeline is cancelled is not leaked.
class ChunkPool {
 public:
  Chunk* acquire() {
    Chunk* chunk = nullptr;
    if (free_.try_pop(chunk)) return chunk;
    owned_.push_back(std::make_unique<Chunk>());  // only the serial stage acquires
    return owned_.back().get();
  }
  void release(Chunk* chunk) { free_.push(chunk); }

 private:
  std::vector<std::unique_ptr<Chunk>> owned_;
  tbb::concurrent_queue<Chunk*> free_;
};

// Maps the pieces of chunks into per-thread tables with `map_piece(chunk, piece, table, line)`,
// which sets `line` to the number of each record before mapping it (jobs over records), so that a
// failure names its line. Without retries or skipping, a piece is mapped straight into its thread's
// table. With them, each try maps into a per-thread staging table that is absorbed only when the
// try succeeds, so a failed try leaves no pair behind.
template <class Table, class MapPiece>
class PieceMapper {
 public:
  template <class MakeTable>
  PieceMapper(MapPiece& map_piece, MakeTable make_table, const Options& options)
      : map_piece_(map_piece),
        options_(options),
        staged_(options.retry.attempts > 1 || options.on_map_error == ErrorPolicy::skip_and_report),
        tables_(make_table),
        staging_(make_table) {}

  void map_piece(const Chunk& chunk, const Chunk::Piece& piece) {
    const std::string_view name = piece.path;
    Table& table = tables_.local();
    std::uint64_t line = 0;
    if (!staged_) {
      try {
        announce(name, chunk.index, 1);
        map_piece_(chunk, piece, table, line);
      } catch (...) {
        std::throw_with_nested(
            MapError(std::string(name), chunk.index, at_line(line, current_exception_message())));
      }
      return;
    }
    Table& staging = staging_.local();
    const AttemptOutcome outcome = run_with_retries(options_.retry, [&](std::size_t attempt) {
      staging.clear();
      line = 0;
      announce(name, chunk.index, attempt);
      map_piece_(chunk, piece, staging, line);
    });
    retries_.fetch_add(outcome.attempts - 1, std::memory_order_relaxed);
    if (outcome.error) {
      staging.clear();
      report(std::string(name), chunk.index, at_line(line, exception_message(outcome.error)),
             outcome);
      return;
    }
    table.absorb(staging);
  }

  std::vector<Table*> tables() {
    std::vector<Table*> all;
    for (auto& table : tables_)
      all.push_back(&table);
    return all;
  }
  std::uint64_t retries() const noexcept { return retries_.load(); }

  std::vector<MapFailure> take_failures() {
    std::vector<MapFailure> failures(failures_.begin(), failures_.end());
    std::sort(failures.begin(), failures.end(), [](const MapFailure& a, const MapFailure& b) {
      return std::tie(a.position, a.input) < std::tie(b.position, b.input);
    });
    return failures;
  }

 private:
  // The observer is part of the piece's try: when it throws, the try fails (retried and skipped
  // like a map failure), with a CallbackError that names it.
  void announce(std::string_view name, std::uint64_t chunk, std::size_t attempt) const {
    if (!options_.on_map_task) return;
    const auto worker = static_cast<std::size_t>(tbb::this_task_arena::current_thread_index());
    const std::string input(name);
    call_callback("Options::on_map_task", options_.on_map_task,
                  MapTaskInfo{worker, input, chunk, attempt});
  }

  static std::string at_line(std::uint64_t line, std::string reason) {
    return line == 0 ? reason : "line " + std::to_string(line) + ": " + reason;
  }

  void report(std::string name, std::uint64_t chunk, std::string reason,
              const AttemptOutcome& outcome) {
    if (options_.on_map_error == ErrorPolicy::fail) {
      throw_with_cause(MapError(std::move(name), chunk, with_attempts(reason, outcome.attempts)),
                       outcome.error);
    }
    failures_.push_back(
        {std::move(name), chunk, std::move(reason), outcome.error, outcome.attempts});
  }

  MapPiece& map_piece_;
  const Options& options_;
  const bool staged_;
  tbb::enumerable_thread_specific<Table> tables_;
  tbb::enumerable_thread_specific<Table> staging_;
  std::atomic<std::uint64_t> retries_{0};
  tbb::concurrent_vector<MapFailure> failures_;
};

// How many chunks the inputs may make, as far as their listed sizes tell, counted only up to
// `workers`: the job starts no more workers than it can keep busy. A file is taken to make up to
// 2 x size / grain + 1 chunks (a chunk ends at the last line end before a grain, so it can hold
// less than a grain); a stream may make any number. An estimate that falls short (a file that grew
// since it was listed) costs parallelism, never an answer.
inline std::uint64_t chunks_worth_a_worker(const std::vector<InputFile>& inputs, std::size_t grain,
                                           std::size_t workers) {
  std::uint64_t chunks = 0;
  for (const InputFile& input : inputs) {
    if (input.is_stream) return unbounded_tasks;
    chunks += 2 * std::min<std::uint64_t>(input.expected_bytes() / grain, workers) + 1;
    if (chunks >= workers) break;
  }
  return chunks;
}

/// How a job's inputs are read: where a chunk may end, and whether lines are numbered.
struct ReadPlan {
  const ChunkBoundary& boundary;
  LineNumbering numbering;
};

/// Runs a file job: reads the listed `inputs` per `plan`, maps every piece into per-thread tables
/// made by make_table() with map_piece(chunk, piece, table, line), then calls
/// finish(std::vector<Table*> tables, const ResolvedOptions&) inside the job's arena to combine and
/// reduce them. Fills `report`.
template <class Table, class MakeTable, class MapPiece, class Finish>
void run_file_pipeline(const std::vector<InputFile>& inputs, const ReadPlan& plan,
                       MakeTable make_table, MapPiece& map_piece, Finish&& finish,
                       const Options& options, JobReport& report) {
  const std::size_t grain = text_grain(options);
  const std::size_t workers_asked = resolve(options).workers;
  std::uint64_t bytes_total = 0;
  for (const auto& input : inputs)
    bytes_total += input.expected_bytes();
  const ResolvedOptions resolved =
      resolve(options, chunks_worth_a_worker(inputs, grain, workers_asked));

  // The serial reader's notes are handed over to each chunk, and join those of the chunk's small
  // files in the last stage, so that they are reported in input order.
  std::vector<InputFailure> reader_failures;
  ChunkReader reader(inputs, grain, options.on_input_error, reader_failures, plan.boundary,
                     plan.numbering, SmallFiles::hand_out);
  ChunkPool pool;
  PieceMapper<Table, MapPiece> mapper(map_piece, make_table, options);
  std::atomic<std::uint64_t> bytes_mapped{0};
  std::uint64_t small_file_bytes = 0;
  std::size_t small_files_read = 0;
  std::size_t largest_chunk = 0;
  bool reader_failed = false;
  const auto report_progress = [&](std::uint64_t done) {
    if (options.on_progress) {
      call_callback("Options::on_progress", options.on_progress, Progress{done, bytes_total});
    }
  };
  const auto take_notes = [&](ReadNotes& notes) {
    std::move(notes.failures.begin(), notes.failures.end(), std::back_inserter(report.failures));
    std::move(notes.skipped.begin(), notes.skipped.end(), std::back_inserter(report.skipped));
    report.warnings.insert(report.warnings.end(), std::make_move_iterator(notes.warnings.begin()),
                           std::make_move_iterator(notes.warnings.end()));
    small_file_bytes += notes.bytes;
    small_files_read += notes.inputs;
    largest_chunk = std::max(largest_chunk, notes.largest_chunk);
  };

  const auto read_chunk = [&](tbb::flow_control& control) -> Chunk* {
    if (reader_failed) {
      control.stop();
      return nullptr;
    }
    report_progress(bytes_mapped.load(std::memory_order_relaxed));
    Chunk* chunk = pool.acquire();
    chunk->notes.clear();
    try {
      if (!reader.next(*chunk)) {
        pool.release(chunk);
        control.stop();
        return nullptr;
      }
    } catch (const InputError&) {
      // Thrown in input order by the last stage, after any failure of an earlier small file.
      chunk->clear();
      chunk->notes.error = std::current_exception();
      reader_failed = true;
    }
    reader.hand_over_notes(chunk->notes);
    return chunk;
  };
  const auto map_pieces = [&](const Chunk& chunk) {
    for (const Chunk::Piece& piece : chunk.pieces)
      mapper.map_piece(chunk, piece);
    bytes_mapped.fetch_add(chunk.input_bytes, std::memory_order_relaxed);
  };
  const auto map_chunk = [&](Chunk* chunk) -> Chunk* {
    if (chunk->notes.error) return chunk;
    if (chunk->small_files.empty()) {
      map_pieces(*chunk);
      return chunk;
    }
    // A file that holds more than it was listed with is read a grain at a time, each part mapped
    // before the next is read, under the chunk's index: its values stay in input order.
    std::vector<InputFailure> failures;
    ChunkReader small_files(inputs, chunk->small_files, grain, options.on_input_error, failures,
                            plan.boundary, plan.numbering);
    const std::uint64_t index = chunk->index;
    try {
      while (small_files.next(*chunk)) {
        chunk->index = index;
        map_pieces(*chunk);
      }
    } catch (const InputError&) {
      chunk->notes.error = std::current_exception();
    }
    chunk->notes.bytes = small_files.bytes_read();
    chunk->notes.inputs = small_files.inputs_read();
    chunk->notes.largest_chunk = small_files.largest_chunk();
    small_files.hand_over_notes(chunk->notes);
    return chunk;
  };
  const auto report_chunk = [&](Chunk* chunk) {
    const std::exception_ptr error = chunk->notes.error;
    take_notes(chunk->notes);
    pool.release(chunk);
    if (error) std::rethrow_exception(error);
  };

  WorkerArena arena(resolved.workers);
  arena.execute([&] {
    const auto phase_start = JobClock::now();
    tbb::parallel_pipeline(
        resolved.tokens_in_flight,
        tbb::make_filter<void, Chunk*>(tbb::filter_mode::serial_in_order, read_chunk) &
            tbb::make_filter<Chunk*, Chunk*>(tbb::filter_mode::parallel, map_chunk) &
            tbb::make_filter<Chunk*, void>(tbb::filter_mode::serial_in_order, report_chunk));
    ReadNotes last_notes;  // of inputs after the last chunk: ones that failed or were skipped
    reader.hand_over_notes(last_notes);
    take_notes(last_notes);
    report_progress(reader.bytes_read() + small_file_bytes);
    report.stats.read_and_map_seconds = seconds_since(phase_start);
    finish(mapper.tables(), resolved);
  });

  report.stats.workers = resolved.workers;
  report.stats.inputs = reader.inputs_read() + small_files_read;
  report.stats.bytes = reader.bytes_read() + small_file_bytes;
  report.stats.chunks = reader.chunks_read();
  report.stats.largest_chunk = std::max(reader.largest_chunk(), largest_chunk);
  report.stats.retries = mapper.retries();
  report.map_failures = mapper.take_failures();
}

}  // namespace mrtbb::detail
