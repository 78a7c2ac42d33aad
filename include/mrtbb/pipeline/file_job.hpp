#pragma once

// A MapReduce job over files, of any key and value type. The job's description (what is mapped,
// how values combine and reduce, how results are ordered) is a FileJob value, apart from where it
// runs: run_file_job runs it on this machine's threads.

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_reduce.h>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "mrtbb/core/combine.hpp"
#include "mrtbb/core/concepts.hpp"
#include "mrtbb/core/count_table.hpp"
#include "mrtbb/core/inline_key_table.hpp"
#include "mrtbb/core/map_reduce.hpp"
#include "mrtbb/core/options.hpp"
#include "mrtbb/core/reduce.hpp"
#include "mrtbb/pipeline/chunk.hpp"
#include "mrtbb/pipeline/chunk_boundary.hpp"
#include "mrtbb/pipeline/job_result.hpp"
#include "mrtbb/pipeline/job_tables.hpp"
#include "mrtbb/pipeline/map_stage.hpp"
#include "mrtbb/pipeline/record.hpp"

namespace mrtbb {

/// What a file job's map function receives: pieces of text cut where its ChunkBoundary allows (for
/// tokenizers), or whole lines with their path and line number.
enum class MapInput { text, records };

/// The combiner of a job that keeps every value: each key's values reach the reduce as a
/// std::vector, in input order, as map_reduce's do.
struct KeepEveryValue {};

/// The reduce of a job whose results are the combined values themselves.
struct NoReduce {};

/// Results by key, in byte order for string keys: the default order of a file job.
struct ByKey {
  template <class Pair>
  bool operator()(const Pair& a, const Pair& b) const {
    return a.first < b.first;
  }
};

/// The filter of a job that keeps every result.
struct KeepAll {
  template <class Pair>
  bool operator()(const Pair&) const noexcept {
    return true;
  }
};

namespace detail {

template <class K, class V, class Combine>
inline constexpr bool is_count_job =
    std::same_as<K, std::string>&& std::same_as<V, std::uint64_t>&& std::same_as<Combine, Sum>;

// The thread-local table of a job: CountTable for counts; with another combiner, InlineKeyTable
// for std::string keys (and values it can default-construct in its slots), a FoldingTable
// otherwise; a ValueListTable without a combiner.
// (Specialisations, not std::conditional_t, which would name InlineKeyTable<V, ...> for a V that
// its constraints reject.)
template <class K, class V, class Combine>
struct JobTableOf {
  using type = FoldingTable<K, V, Combine>;
};
template <class V, class Combine>
requires std::default_initializable<V> &&
    (!std::same_as<Combine, KeepEveryValue>)struct JobTableOf<std::string, V, Combine> {
  using type = InlineKeyTable<V, Combine>;
};
template <class K, class V>
struct JobTableOf<K, V, KeepEveryValue> {
  using type = ValueListTable<K, V>;
};
template <>
struct JobTableOf<std::string, std::uint64_t, Sum> {
  using type = CountTable;
};

template <class K, class V, class Combine>
using CombinedOf = std::conditional_t<std::same_as<Combine, KeepEveryValue>, std::vector<V>, V>;

template <class K, class Combined, class Reduce>
struct ResultOf {
  using type = std::decay_t<std::invoke_result_t<Reduce&, const K&, Combined&&>>;
};
template <class K, class Combined>
struct ResultOf<K, Combined, NoReduce> {
  using type = Combined;
};

// Emitters that defer folds (InlineKeyTable's) finish them when a piece is mapped.
template <class Emitter>
void flush(Emitter& emitter) {
  if constexpr (requires { emitter.flush(); }) emitter.flush();
}

inline CountEmitter emitter_for(CountTable& table, std::uint64_t /*chunk*/) noexcept {
  return CountEmitter(table);
}
template <class Table>
auto emitter_for(Table& table, std::uint64_t chunk) {
  return table.emitter(chunk);
}

}  // namespace detail

/// A file job's description: key type K, value type V, its map function, its combiner
/// (KeepEveryValue for none), its reduce (NoReduce for none), the filter and order of its results
/// and how many it keeps. Made by text_job() or record_job() and completed with the with-functions,
/// each of which returns a new description:
///
///     auto job = record_job<std::string, Stats>(parse).combine_with(merge_stats).top(10,
///     by_count); auto result = run_file_job(job, paths, options);
template <class K, class V, MapInput Input, class Map, class Combine = KeepEveryValue,
          class Reduce = NoReduce, class Keep = KeepAll, class Order = ByKey>
struct FileJob {
  using key_type = K;
  using value_type = V;
  /// A key's combined value: V with a combiner, std::vector<V> (in input order) without.
  using combined_type = detail::CombinedOf<K, V, Combine>;
  /// What the job returns for a key: the reduce's result, or the combined value.
  using result_type = typename detail::ResultOf<K, combined_type, Reduce>::type;
  /// What the map function emits into: `emitter.emit(key, value)`, the key of a std::string job
  /// as a std::string_view.
  using emitter_type = decltype(detail::emitter_for(
      std::declval<typename detail::JobTableOf<K, V, Combine>::type&>(), 0));

  /// Part of the job's type, so that a map function of the wrong shape for it fails to compile.
  static constexpr MapInput input = Input;
  Map map;
  Combine combine = {};
  Reduce reduce = {};
  Keep keep = {};
  Order order = {};
  /// Keep only the first top_k results in the job's order (0: all of them).
  std::size_t top_k = 0;
  /// Text jobs: where a chunk may end inside a line (null: after ASCII whitespace).
  std::shared_ptr<const ChunkBoundary> boundary = {};

  /// Folds the values of a key as they are emitted, per thread and then across threads, in place
  /// (`void(V& into, V&& value)`) or value-returning (`V(V, V)`); it must be associative and
  /// commutative. Sum makes a job over std::string keys and std::uint64_t values a count.
  template <FoldFunction<V> F>
  FileJob<K, V, Input, Map, F, Reduce, Keep, Order> combine_with(F combiner) const {
    return {map, std::move(combiner), reduce, keep, order, top_k, boundary};
  }

  /// Turns each key and its combined value into the key's result: `R reduce(const K&, combined&&)`.
  template <class F>
  FileJob<K, V, Input, Map, Combine, F, Keep, Order> reduce_with(F reducer) const {
    return {map, combine, std::move(reducer), keep, order, top_k, boundary};
  }

  /// Keeps only the results `predicate(const std::pair<K, result_type>&)` accepts.
  template <class F>
  FileJob<K, V, Input, Map, Combine, Reduce, F, Order> keep_if(F predicate) const {
    return {map, combine, reduce, std::move(predicate), order, top_k, boundary};
  }

  /// Orders the results by `less` over std::pair<K, result_type> instead of by key.
  template <class F>
  FileJob<K, V, Input, Map, Combine, Reduce, Keep, F> order_by(F less) const {
    return {map, combine, reduce, keep, std::move(less), top_k, boundary};
  }

  /// Keeps only the first k results in the job's order (found without sorting them all).
  FileJob top(std::size_t k) const {
    FileJob job = *this;
    job.top_k = k;
    return job;
  }

  /// Orders the results by `less` and keeps the first k.
  template <class F>
  FileJob<K, V, Input, Map, Combine, Reduce, Keep, F> top(std::size_t k, F less) const {
    return {map, combine, reduce, keep, std::move(less), k, boundary};
  }
};

/// A job whose map function receives pieces of text: `map(const TextSegment&, auto& emitter)`.
/// Chunks end after a line feed, or inside a long line where `boundary` allows (null: after ASCII
/// whitespace; a tokenizer's rule from word_boundary() for a map function that splits words).
template <class K, class V, class Map>
FileJob<K, V, MapInput::text, std::decay_t<Map>> text_job(
    Map&& map, std::shared_ptr<const ChunkBoundary> boundary = {}) {
  return {std::forward<Map>(map), {}, {}, {}, {}, 0, std::move(boundary)};
}

/// A job whose map function receives whole lines: `map(const Record&, auto& emitter)`, with each
/// line's path and number. A chunk ends only after a line feed, so a line longer than the grain
/// grows its chunk: memory is about grain x chunks in flight plus the longest line.
template <class K, class V, class Map>
FileJob<K, V, MapInput::records, std::decay_t<Map>> record_job(Map&& map) {
  return {std::forward<Map>(map), {}, {}, {}, {}, 0, nullptr};
}

/// A text job's map function, for the job's emitter type: `map(const TextSegment&, emitter&)`.
template <class F, class Emitter>
concept TextPieceMapFunction = std::invocable<const F&, const TextSegment&, Emitter&>;

/// A records job's map function, for the job's emitter type: `map(const Record&, emitter&)`.
template <class F, class Emitter>
concept RecordMapFunction = std::invocable<const F&, const Record&, Emitter&>;

namespace detail {

template <class K, class Combined, class Reduce, class Partitions>
auto reduce_combined(Partitions&& partitions, Reduce& reduce) {
  return reduce_partitions(std::move(partitions), [&](const K& key, Combined&& value) {
    return reduce(key, std::move(value));
  });
}

template <class Job>
using JobTable = typename JobTableOf<typename Job::key_type, typename Job::value_type,
                                     std::remove_cvref_t<decltype(Job::combine)>>::type;

/// What a job holds for a key between its map and its reduce: the combined value, or for a job
/// without a combiner the values tagged with their chunk (Tagged::item) for input order.
template <class Job>
using JobMapped = typename JobTable<Job>::mapped_type;

template <class Job>
inline constexpr bool keeps_every_value =
    std::same_as<std::remove_cvref_t<decltype(Job::combine)>, KeepEveryValue>;

/// Folds the value a key has in one table into the value it has in another, as the job's combiner
/// says (a job without one appends the tagged values).
template <class Job>
auto merge_for(const Job& job) {
  using Mapped = JobMapped<Job>;
  if constexpr (keeps_every_value<Job>) {
    return [](Mapped& into, Mapped&& from) {
      into.insert(into.end(), std::make_move_iterator(from.begin()),
                  std::make_move_iterator(from.end()));
    };
  } else if constexpr (std::same_as<JobTable<Job>, CountTable>) {
    return [](Mapped& into, Mapped&& from) { into += from; };
  } else {
    return [combine = job.combine](Mapped& into, Mapped&& from) mutable {
      combine_named(combine, into, std::move(from));
    };
  }
}

/// Combines the thread tables of a job by key (and empties them). Sets the combine's stats, and
/// tokens: pairs emitted, or for a count job the sum of the counts.
template <class Job, class Table>
Partitions<typename Job::key_type, JobMapped<Job>> combine_job_tables(
    const Job& job, const std::vector<Table*>& locals, const ResolvedOptions& resolved,
    const Options& options, JobStats& stats) {
  const auto phase_start = JobClock::now();
  std::uint64_t emitted = 0;
  if constexpr (requires(const Table& table) { table.emitted(); }) {
    for (const Table* table : locals)
      emitted += table->emitted();
  }
  const CombinePlan<Table> plan = plan_combine(locals, resolved.partitions);
  auto partitions = combine_by_key(plan, options.partition, merge_for(job));
  if constexpr (std::same_as<Table, CountTable>) {
    emitted = tbb::parallel_reduce(
        tbb::blocked_range<std::size_t>(0, partitions.size()), std::uint64_t{0},
        [&](const tbb::blocked_range<std::size_t>& range, std::uint64_t sum) {
          for (std::size_t p = range.begin(); p != range.end(); ++p) {
            for (const auto& entry : partitions[p])
              sum += entry.second;
          }
          return sum;
        },
        [](std::uint64_t a, std::uint64_t b) { return a + b; });
  }
  stats.tokens = emitted;
  stats.tables_combined = plan.tables.size();
  stats.partitions = partitions.size();
  stats.combine_seconds = seconds_since(phase_start);
  return partitions;
}

/// Reduces every key of the combined partitions, keeps what the job's filter accepts and puts the
/// results in the job's order (the first top_k of them). Sets distinct and the reduce's time.
template <class Job>
std::vector<std::pair<typename Job::key_type, typename Job::result_type>> reduce_job_partitions(
    const Job& job, Partitions<typename Job::key_type, JobMapped<Job>>&& partitions,
    JobStats& stats) {
  using K = typename Job::key_type;
  using V = typename Job::value_type;
  using R = typename Job::result_type;
  using Combined = typename Job::combined_type;
  constexpr bool reduces = !std::same_as<std::remove_cvref_t<decltype(job.reduce)>, NoReduce>;

  const auto phase_start = JobClock::now();
  std::uint64_t distinct = 0;
  for (const auto& partition : partitions)
    distinct += partition.size();
  stats.distinct = distinct;

  std::vector<std::pair<K, R>> results;
  const auto keep = [&](const std::pair<K, R>& entry) {
    return call_callback("the job's filter", job.keep, entry);
  };
  // A count ordered most frequent first (wordcount's job) is put in order by a counting pass.
  if constexpr (!reduces && std::same_as<K, std::string> && std::same_as<R, std::uint64_t> &&
                std::same_as<std::remove_cvref_t<decltype(job.order)>, MoreFrequentFirst>) {
    results = sorted_by_count(std::move(partitions), keep, job.top_k);
  } else {
    auto reduce = job.reduce;
    if constexpr (keeps_every_value<Job>) {
      results = reduce_partitions(std::move(partitions),
                                  [&](const K& key, std::vector<Tagged<V>>&& tagged) -> R {
                                    if constexpr (reduces) {
                                      return reduce(key, in_input_order(std::move(tagged)));
                                    } else {
                                      return in_input_order(std::move(tagged));
                                    }
                                  });
    } else if constexpr (reduces) {
      results = reduce_combined<K, Combined>(std::move(partitions), reduce);
    } else {
      results = flatten(std::move(partitions), keep);
    }
    if constexpr ((keeps_every_value<Job> || reduces) &&
                  !std::same_as<std::remove_cvref_t<decltype(job.keep)>, KeepAll>) {
      std::erase_if(results, [&](const std::pair<K, R>& entry) { return !keep(entry); });
    }
    results = sorted_top_k(std::move(results), job.top_k, job.order);
  }
  stats.reduce_seconds = seconds_since(phase_start);
  return results;
}

/// Runs the map phase of `job` over listed `inputs` and combines its thread tables, then calls
/// `finish(partitions, resolved)` in the job's arena with the combined partitions. Fills `report`.
template <class Job, class Finish>
void map_and_combine(const Job& job, const std::vector<InputFile>& inputs, const Options& options,
                     JobReport& report, Finish&& finish) {
  using Table = JobTable<Job>;
  using Emitter = typename Job::emitter_type;
  constexpr bool records = Job::input == MapInput::records;
  const ChunkBoundary& boundary =
      records ? *whole_line_boundary()
              : (job.boundary ? *job.boundary : *ascii_whitespace_boundary());
  const ReadPlan plan{boundary, records ? LineNumbering::on : LineNumbering::off};

  auto combine = job.combine;
  const auto make_table = [&] {
    if constexpr (std::constructible_from<Table, decltype(combine)&>) {
      return Table(combine);
    } else {
      return Table();
    }
  };
  auto map_piece = [&](const Chunk& chunk, const Chunk::Piece& piece, Table& table,
                       std::uint64_t& line) {
    Emitter emitter = emitter_for(table, chunk.index);
    if constexpr (records) {
      for_each_record(chunk.segment(piece), piece.first_line, [&](const Record& record) {
        line = record.line;
        job.map(record, emitter);
      });
    } else {
      job.map(chunk.segment(piece), emitter);
    }
    flush(emitter);
  };
  run_file_pipeline<Table>(
      inputs, plan, make_table, map_piece,
      [&](const std::vector<Table*>& tables, const ResolvedOptions& resolved) {
        finish(combine_job_tables(job, tables, resolved, options, report.stats), resolved);
      },
      options, report);
}

/// Checks the shapes of a job's functions, with readable messages.
template <class Job>
constexpr void check_job_shape() {
  using K = typename Job::key_type;
  using V = typename Job::value_type;
  using R = typename Job::result_type;
  using Map = std::remove_cvref_t<decltype(Job::map)>;
  using Reduce = std::remove_cvref_t<decltype(Job::reduce)>;
  using Keep = std::remove_cvref_t<decltype(Job::keep)>;
  using Order = std::remove_cvref_t<decltype(Job::order)>;
  using Emitter = typename Job::emitter_type;
  static_assert(std::move_constructible<V>, "a file job's values must be movable");
  // Only the shape the job's input asks for is checked: a generic map function need not compile
  // for the other one.
  if constexpr (Job::input == MapInput::records) {
    static_assert(RecordMapFunction<Map, Emitter>,
                  "a record_job's map function must be callable as map(const Record&, emitter&), "
                  "through a const reference: it runs on several threads at once");
  } else {
    static_assert(TextPieceMapFunction<Map, Emitter>,
                  "a text_job's map function must be callable as map(const TextSegment&, "
                  "emitter&), through a const reference: it runs on several threads at once");
  }
  static_assert(
      std::same_as<Reduce, NoReduce> || ReduceFunction<Reduce, K, typename Job::combined_type>,
      "a file job's reduce must be callable as reduce(const K& key, combined&& value), "
      "combined being V with a combiner and std::vector<V> without, and return a "
      "movable result");
  static_assert(std::predicate<const Keep&, const std::pair<K, R>&>,
                "a file job's filter must be a predicate over const std::pair<K, result>&");
  static_assert(
      std::strict_weak_order<const Order&, const std::pair<K, R>&, const std::pair<K, R>&>,
      "a file job's order must compare two const std::pair<K, result>&");
}

}  // namespace detail

/// Runs `job` over the text of `paths` (files; directories, walked recursively in byte order of
/// names; "-" for stdin) as a tbb::parallel_pipeline: a serial stage reads chunks of about
/// Options::grain bytes, a parallel stage maps them into thread-local tables, which are then
/// combined by key (hash-partitioned) and reduced in parallel. The results are the same for every
/// worker count and grain: keys in the job's order, each key's values (without a combiner) in
/// input order.
///
/// A piece whose map throws is tried again per Options::retry, its failed tries' pairs discarded.
/// Throws InputError (on_input_error = fail) for an input that cannot be read, MapError (nesting
/// the original; for records, naming the line) when a piece's tries are used up (on_map_error =
/// fail), ReduceError from the reduce, CallbackError from the combiner or filter, and OptionsError
/// for unusable options.
template <class K, class V, MapInput Input, class Map, class Combine, class Reduce, class Keep,
          class Order>
FileJobResult<K, typename FileJob<K, V, Input, Map, Combine, Reduce, Keep, Order>::result_type>
run_file_job(const FileJob<K, V, Input, Map, Combine, Reduce, Keep, Order>& job,
             const std::vector<std::string>& paths, const Options& options = {}) {
  using Job = FileJob<K, V, Input, Map, Combine, Reduce, Keep, Order>;
  detail::check_job_shape<Job>();
  FileJobResult<K, typename Job::result_type> result;
  const std::vector<InputFile> inputs =
      expand_inputs(paths, options.on_input_error, result.failures, result.skipped, options.walk);
  detail::map_and_combine(job, inputs, options, result, [&](auto&& partitions, const auto&) {
    result.results = detail::reduce_job_partitions(job, std::move(partitions), result.stats);
  });
  return result;
}

}  // namespace mrtbb
