#pragma once

// A file job across processes: every rank of an MPI communicator runs the same job (SPMD) on its
// share of the inputs with its own TBB workers, then the pairs are shuffled by key to their owner
// ranks, reduced there, and the results gathered on rank 0 in the job's order.

#include <concepts>
#include <cstdint>
#include <exception>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "mrtbb/core/serialization.hpp"
#include "mrtbb/mpi/agreement.hpp"
#include "mrtbb/mpi/cluster_options.hpp"
#include "mrtbb/mpi/communicator.hpp"
#include "mrtbb/mpi/errors.hpp"
#include "mrtbb/mpi/input_split.hpp"
#include "mrtbb/mpi/key_placement.hpp"
#include "mrtbb/mpi/ordered_gather.hpp"
#include "mrtbb/mpi/report_merge.hpp"
#include "mrtbb/mpi/shuffle.hpp"
#include "mrtbb/pipeline/file_job.hpp"

namespace mrtbb::mpi {

namespace detail {

// Values of a job without a combiner are tagged with their chunk, which orders them; a chunk's
// number is this rank's own, so the rank goes above it: shares follow each other in rank order.
inline constexpr unsigned chunk_bits = 40;

template <class Partitions>
void tag_with_rank(Partitions& partitions, int rank) {
  const std::uint64_t above = static_cast<std::uint64_t>(rank) << chunk_bits;
  for (auto& partition : partitions) {
    for (auto& [key, tagged_values] : partition) {
      for (auto& tagged : tagged_values) {
        if (tagged.item >> chunk_bits) {
          throw Error("more than 2^40 chunks on one rank: use a larger grain");
        }
        tagged.item |= above;
      }
    }
  }
}

}  // namespace detail

/// Runs `job` on every rank of `cluster.communicator`, each rank reading its share of the inputs
/// (input_split.hpp). Every rank calls it with the same job, paths and options. Returns on every
/// rank: the results (the same, in the same order, as mrtbb::run_file_job gives on one process
/// for an order that is strict over keys) on rank 0 only, and on every rank the same report
/// (failures reported once, counts summed over ranks).
///
/// Keys, values and results cross ranks through mrtbb::Serializer, so they must be Serializable.
/// A failure on any rank (an input error under ErrorPolicy::fail, a map failure whose tries are
/// used up, a throwing combiner, reduce or Serializer) makes every rank throw at the end of the
/// phase it happened in: that rank its own exception, the others a PeerError naming it.
template <class K, class V, MapInput Input, class Map, class Combine, class Reduce, class Keep,
          class Order>
FileJobResult<K, typename FileJob<K, V, Input, Map, Combine, Reduce, Keep, Order>::result_type>
run_file_job(const FileJob<K, V, Input, Map, Combine, Reduce, Keep, Order>& job,
             const std::vector<std::string>& paths, const Options& options = {},
             const ClusterOptions& cluster = {}) {
  using Job = FileJob<K, V, Input, Map, Combine, Reduce, Keep, Order>;
  using R = typename Job::result_type;
  using Mapped = mrtbb::detail::JobMapped<Job>;
  mrtbb::detail::check_job_shape<Job>();
  static_assert(Serializable<K>,
                "the keys of a job across processes must be Serializable: specialise "
                "mrtbb::Serializer for them (core/serialization.hpp)");
  static_assert(Serializable<V>,
                "the values of a job across processes must be Serializable: specialise "
                "mrtbb::Serializer for them (core/serialization.hpp)");
  static_assert(Serializable<R>,
                "the results of a job across processes must be Serializable: specialise "
                "mrtbb::Serializer for them (core/serialization.hpp)");
  if (cluster.shuffle_round_bytes == 0) {
    throw OptionsError("ClusterOptions::shuffle_round_bytes must be at least 1");
  }
  const Communicator& communicator = cluster.communicator;
  const int rank = communicator.rank();

  FileJobResult<K, R> result;
  InputListing listing = list_inputs(communicator, paths, options.on_input_error, options.walk);
  result.failures = std::move(listing.failures);
  result.skipped = std::move(listing.skipped);
  std::vector<InputFile> share =
      share_of(listing.inputs, split_inputs(communicator, listing.inputs), rank);
  if constexpr (Input == MapInput::records) number_first_lines(communicator, share);

  JobReport local;
  std::vector<std::pair<K, R>> owned_results;
  bool mapped_everywhere = false;
  try {
    mrtbb::detail::map_and_combine(
        job, share, options, local, [&](auto&& partitions, const ResolvedOptions& resolved) {
          mapped_everywhere = true;
          detail::agree(communicator, nullptr);
          auto merge = mrtbb::detail::merge_for(job);
          if constexpr (mrtbb::detail::keeps_every_value<Job>) {
            detail::run_phase(communicator, [&] { detail::tag_with_rank(partitions, rank); });
          }
          const auto shuffle_start = mrtbb::detail::JobClock::now();
          auto owned = communicator.size() == 1
                           ? std::move(partitions)
                           : detail::shuffle_by_key<K, Mapped>(
                                 communicator, std::move(partitions), merge,
                                 KeyPlacement(listing.placement_seed, communicator.size()),
                                 cluster.shuffle_round_bytes, resolved.partitions);
          local.stats.shuffle_seconds = mrtbb::detail::seconds_since(shuffle_start);
          detail::run_phase(communicator, [&] {
            owned_results =
                mrtbb::detail::reduce_job_partitions(job, std::move(owned), local.stats);
          });
        });
  } catch (...) {
    // A rank whose map phase failed meets the others where they agree that it ended.
    if (mapped_everywhere) throw;
    detail::agree(communicator, std::current_exception());
  }
  const auto gather_start = mrtbb::detail::JobClock::now();
  result.results = detail::gather_in_order(communicator, std::move(owned_results), job.top_k,
                                           job.order, cluster.shuffle_round_bytes);
  local.stats.gather_seconds = mrtbb::detail::seconds_since(gather_start);
  detail::merge_reports(communicator, local, share, result);
  return result;
}

}  // namespace mrtbb::mpi
