#include "mrtbb/mpi/report_merge.hpp"

#include <algorithm>
#include <exception>
#include <string>
#include <string_view>
#include <tuple>

#include "mrtbb/core/errors.hpp"
#include "mrtbb/core/serialization.hpp"
#include "mrtbb/mpi/byte_exchange.hpp"

namespace mrtbb::mpi::detail {

namespace {

using Counts = std::array<std::uint64_t, 10>;

Counts counts_of(const JobStats& stats) {
  return {stats.inputs,          stats.bytes,     stats.chunks,        stats.tokens,
          stats.distinct,        stats.retries,   stats.largest_chunk, stats.workers,
          stats.tables_combined, stats.partitions};
}

void add_counts(JobStats& stats, const Counts& counts) {
  stats.inputs += counts[0];
  stats.bytes += counts[1];
  stats.chunks += counts[2];
  stats.tokens += counts[3];
  stats.distinct += counts[4];
  stats.retries += counts[5];
  stats.largest_chunk = std::max<std::uint64_t>(stats.largest_chunk, counts[6]);
  stats.workers += counts[7];
  stats.tables_combined += counts[8];
  stats.partitions += counts[9];
}

}  // namespace

void merge_reports(const Communicator& communicator, const JobReport& local,
                   const std::vector<InputFile>& share, JobReport& into) {
  std::string bytes;
  const bool continues = !share.empty() && share.front().offset > 0;
  serialize(bytes, continues ? share.front().path : std::string());
  serialize(bytes, counts_of(local.stats));
  serialize(bytes, std::array{local.stats.read_and_map_seconds, local.stats.combine_seconds,
                              local.stats.reduce_seconds, local.stats.shuffle_seconds,
                              local.stats.gather_seconds});
  serialize(bytes, std::uint64_t{local.failures.size()});
  for (const InputFailure& failure : local.failures)
    serialize(bytes, std::pair{failure.input, failure.reason});
  serialize(bytes, std::uint64_t{local.skipped.size()});
  for (const SkippedInput& skipped : local.skipped)
    serialize(bytes, std::pair{skipped.path, skipped.reason});
  serialize(bytes, std::uint64_t{local.warnings.size()});
  for (const InputWarning& warning : local.warnings)
    serialize(bytes, std::pair{warning.input, warning.message});
  serialize(bytes, std::uint64_t{local.map_failures.size()});
  for (const MapFailure& failure : local.map_failures) {
    serialize(bytes, std::tuple{failure.input, failure.position, failure.reason,
                                std::uint64_t{failure.attempts}});
  }

  const std::vector<std::string> reports = all_gather_bytes(communicator, bytes);
  // A rank numbers its chunks from 0; the job's chunks are those of the ranks before it first.
  std::uint64_t chunks_before = 0;
  for (std::size_t r = 0; r < reports.size(); ++r) {
    const bool mine = static_cast<int>(r) == communicator.rank();
    std::string_view in = reports[r];
    const auto continued = deserialize<std::string>(in);
    const auto counts = deserialize<Counts>(in);
    add_counts(into.stats, counts);
    const auto seconds = deserialize<std::array<double, 5>>(in);
    into.stats.read_and_map_seconds = std::max(into.stats.read_and_map_seconds, seconds[0]);
    into.stats.combine_seconds = std::max(into.stats.combine_seconds, seconds[1]);
    into.stats.reduce_seconds = std::max(into.stats.reduce_seconds, seconds[2]);
    into.stats.shuffle_seconds = std::max(into.stats.shuffle_seconds, seconds[3]);
    into.stats.gather_seconds = std::max(into.stats.gather_seconds, seconds[4]);

    const auto failures = deserialize<std::uint64_t>(in);
    for (std::uint64_t f = 0; f < failures; ++f) {
      auto [input, reason] = deserialize<std::pair<std::string, std::string>>(in);
      // A file shared with the rank before fails on both when it cannot be opened: report it once.
      const bool reported = f == 0 && !continued.empty() && input == continued &&
                            !into.failures.empty() && into.failures.back().input == continued;
      if (!reported) into.failures.push_back({std::move(input), std::move(reason)});
    }
    const auto skipped = deserialize<std::uint64_t>(in);
    for (std::uint64_t s = 0; s < skipped; ++s) {
      auto [path, reason] = deserialize<std::pair<std::string, std::string>>(in);
      into.skipped.push_back({std::move(path), std::move(reason)});
    }
    const auto warnings = deserialize<std::uint64_t>(in);
    for (std::uint64_t w = 0; w < warnings; ++w) {
      auto [input, message] = deserialize<std::pair<std::string, std::string>>(in);
      into.warnings.push_back({std::move(input), std::move(message)});
    }
    const auto map_failures = deserialize<std::uint64_t>(in);
    for (std::uint64_t f = 0; f < map_failures; ++f) {
      auto [input, position, reason, attempts] =
          deserialize<std::tuple<std::string, std::uint64_t, std::string, std::uint64_t>>(in);
      std::exception_ptr error =
          mine ? local.map_failures[f].error : std::make_exception_ptr(Error(reason));
      into.map_failures.push_back({std::move(input), chunks_before + position, std::move(reason),
                                   error, static_cast<std::size_t>(attempts)});
    }
    chunks_before += counts[2];
  }
}

}  // namespace mrtbb::mpi::detail
