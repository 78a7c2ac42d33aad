#include "mrtbb/pipeline/text_job.hpp"

#include <oneapi/tbb/concurrent_queue.h>
#include <oneapi/tbb/concurrent_vector.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/parallel_reduce.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <tuple>

#include "mrtbb/core/combine.hpp"
#include "mrtbb/core/errors.hpp"
#include "mrtbb/core/worker_arena.hpp"
#include "mrtbb/pipeline/chunk_reader.hpp"

namespace mrtbb {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
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

// Maps the pieces of chunks into per-thread count tables. Without retries or skipping, a piece is
// mapped straight into its thread's table. With them, each try maps into a per-thread staging
// table that is merged only when the try succeeds, so a failed try leaves no count behind.
class PieceMapper {
 public:
  PieceMapper(const TextMapper& map, const Options& options, const std::vector<InputFile>& inputs)
      : map_(map),
        options_(options),
        inputs_(inputs),
        staged_(options.retry.attempts > 1 ||
                options.on_map_error == ErrorPolicy::skip_and_report) {}

  void map_piece(const Chunk& chunk, const Chunk::Piece& piece) {
    const std::string& name = inputs_[piece.input].path;
    CountTable& table = tables_.local();
    if (!staged_) {
      try {
        announce(name, chunk.index, 1);
        CountEmitter emitter(table);
        map_(chunk.segment(piece), emitter);
      } catch (...) {
        std::throw_with_nested(MapError(name, chunk.index, current_exception_message()));
      }
      return;
    }
    CountTable& staging = staging_.local();
    const AttemptOutcome outcome = run_with_retries(options_.retry, [&](std::size_t attempt) {
      staging.clear();
      announce(name, chunk.index, attempt);
      CountEmitter emitter(staging);
      map_(chunk.segment(piece), emitter);
    });
    retries_.fetch_add(outcome.attempts - 1, std::memory_order_relaxed);
    if (outcome.error) {
      report(name, chunk.index, outcome);
      return;
    }
    staging.for_each([&](std::string_view key, std::uint64_t count) { table.add(key, count); });
  }

  tbb::enumerable_thread_specific<CountTable>& tables() noexcept { return tables_; }
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
  void announce(const std::string& name, std::uint64_t chunk, std::size_t attempt) const {
    if (!options_.on_map_task) return;
    const auto worker = static_cast<std::size_t>(tbb::this_task_arena::current_thread_index());
    call_callback("Options::on_map_task", options_.on_map_task,
                  MapTaskInfo{worker, name, chunk, attempt});
  }

  void report(const std::string& name, std::uint64_t chunk, const AttemptOutcome& outcome) {
    std::string reason = exception_message(outcome.error);
    if (options_.on_map_error == ErrorPolicy::fail) {
      throw_with_cause(MapError(name, chunk, with_attempts(reason, outcome.attempts)),
                       outcome.error);
    }
    failures_.push_back({name, chunk, std::move(reason), outcome.error, outcome.attempts});
  }

  const TextMapper& map_;
  const Options& options_;
  const std::vector<InputFile>& inputs_;
  const bool staged_;
  tbb::enumerable_thread_specific<CountTable> tables_;
  tbb::enumerable_thread_specific<CountTable> staging_;
  std::atomic<std::uint64_t> retries_{0};
  tbb::concurrent_vector<MapFailure> failures_;
};

struct Totals {
  std::uint64_t tokens = 0;
  std::uint64_t distinct = 0;
};

Totals count_totals(const Partitions<std::string, std::uint64_t>& partitions) {
  return tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, partitions.size()), Totals{},
      [&](const tbb::blocked_range<std::size_t>& range, Totals totals) {
        for (std::size_t p = range.begin(); p != range.end(); ++p) {
          totals.distinct += partitions[p].size();
          for (const auto& entry : partitions[p])
            totals.tokens += entry.second;
        }
        return totals;
      },
      [](Totals a, const Totals& b) {
        a.tokens += b.tokens;
        a.distinct += b.distinct;
        return a;
      });
}

// How many chunks the inputs may make, as far as their listed sizes tell, counted only up to
// `workers`: the job starts no more workers than it can keep busy. A file is taken to make up to
// 2 x size / grain + 1 chunks (a chunk ends at the last line end before a grain, so it can hold
// less than a grain); a stream may make any number. An estimate that falls short (a file that grew
// since it was listed) costs parallelism, never an answer.
std::uint64_t chunks_worth_a_worker(const std::vector<InputFile>& inputs, std::size_t grain,
                                    std::size_t workers) {
  std::uint64_t chunks = 0;
  for (const InputFile& input : inputs) {
    if (input.is_stream) return unbounded_tasks;
    chunks += 2 * std::min<std::uint64_t>(input.size / grain, workers) + 1;
    if (chunks >= workers) break;
  }
  return chunks;
}

}  // namespace

TextJobResult run_text_job(const std::vector<std::string>& paths, const TextMapper& map,
                           const Options& options) {
  const std::size_t grain = text_grain(options);
  const std::size_t workers_asked = resolve(options).workers;
  TextJobResult result;
  const std::vector<InputFile> inputs =
      expand_inputs(paths, options.on_input_error, result.failures, result.skipped);
  std::uint64_t bytes_total = 0;
  for (const auto& input : inputs)
    bytes_total += input.size;
  const ResolvedOptions resolved =
      resolve(options, chunks_worth_a_worker(inputs, grain, workers_asked));

  ChunkReader reader(inputs, grain, options.on_input_error, result.failures, map.boundary());
  ChunkPool pool;
  PieceMapper mapper(map, options, inputs);
  std::atomic<std::uint64_t> bytes_mapped{0};
  const auto report_progress = [&](std::uint64_t done) {
    if (options.on_progress) {
      call_callback("Options::on_progress", options.on_progress, Progress{done, bytes_total});
    }
  };

  WorkerArena arena(resolved.workers);
  arena.execute([&] {
    auto phase_start = Clock::now();
    tbb::parallel_pipeline(
        resolved.tokens_in_flight,
        tbb::make_filter<void, Chunk*>(tbb::filter_mode::serial_in_order,
                                       [&](tbb::flow_control& control) -> Chunk* {
                                         report_progress(
                                             bytes_mapped.load(std::memory_order_relaxed));
                                         Chunk* chunk = pool.acquire();
                                         if (!reader.next(*chunk)) {
                                           pool.release(chunk);
                                           control.stop();
                                           return nullptr;
                                         }
                                         return chunk;
                                       }) &
            tbb::make_filter<Chunk*, void>(tbb::filter_mode::parallel, [&](Chunk* chunk) {
              for (const Chunk::Piece& piece : chunk->pieces)
                mapper.map_piece(*chunk, piece);
              bytes_mapped.fetch_add(chunk->buffer.size(), std::memory_order_relaxed);
              pool.release(chunk);
            }));
    report_progress(reader.bytes_read());
    result.stats.read_and_map_seconds = seconds_since(phase_start);

    phase_start = Clock::now();
    std::vector<CountTable*> tables;
    for (auto& table : mapper.tables())
      tables.push_back(&table);
    const CombinePlan<CountTable> plan = plan_combine(tables, resolved.partitions);
    auto partitions = combine_by_key(
        plan, options.partition, [](std::uint64_t& into, std::uint64_t&& from) { into += from; });
    result.stats.tables_combined = plan.tables.size();
    result.stats.partitions = partitions.size();
    result.stats.combine_seconds = seconds_since(phase_start);

    phase_start = Clock::now();
    const Totals totals = count_totals(partitions);
    result.stats.tokens = totals.tokens;
    result.stats.distinct = totals.distinct;
    auto kept = flatten(std::move(partitions),
                        [&](const WordCount& entry) { return entry.second >= options.min_count; });
    result.counts = sorted_top_k(std::move(kept), options.top_k, MoreFrequentFirst{});
    result.stats.reduce_seconds = seconds_since(phase_start);
  });

  result.stats.workers = resolved.workers;
  result.stats.inputs = reader.inputs_read();
  result.stats.bytes = reader.bytes_read();
  result.stats.chunks = reader.chunks_read();
  result.stats.largest_chunk = reader.largest_chunk();
  result.stats.retries = mapper.retries();
  result.warnings = reader.warnings();
  result.map_failures = mapper.take_failures();
  return result;
}

}  // namespace mrtbb
