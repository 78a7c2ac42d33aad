#pragma once

// The results of a job across processes reach rank 0 in the job's order: each rank sorts the
// results of the keys it owns (keeping its own first k for a top-k job), sends them to rank 0 in
// rounds of bounded size, and rank 0 merges the sorted runs, stopping at k.

#include <algorithm>
#include <cstddef>
#include <exception>
#include <functional>
#include <queue>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mrtbb/core/serialization.hpp"
#include "mrtbb/mpi/agreement.hpp"
#include "mrtbb/mpi/byte_exchange.hpp"
#include "mrtbb/mpi/communicator.hpp"
#include "mrtbb/mpi/shuffle.hpp"

namespace mrtbb::mpi::detail {

/// Merges runs, each sorted by `less`, into one (the first `limit` items; 0: all). Ties between
/// runs go to the lower run, so the merge is as deterministic as the order.
template <class T, class Less>
std::vector<T> merge_sorted_runs(std::vector<std::vector<T>>&& runs, std::size_t limit,
                                 const Less& less) {
  std::size_t total = 0;
  for (const auto& run : runs)
    total += run.size();
  if (limit == 0 || limit > total) limit = total;
  using Head = std::pair<std::size_t, std::size_t>;  // run, position in it
  const auto later = [&](const Head& a, const Head& b) {
    const T& x = runs[a.first][a.second];
    const T& y = runs[b.first][b.second];
    if (less(y, x)) return true;
    if (less(x, y)) return false;
    return a.first > b.first;
  };
  std::priority_queue<Head, std::vector<Head>, decltype(later)> heads(later);
  for (std::size_t r = 0; r < runs.size(); ++r) {
    if (!runs[r].empty()) heads.push({r, 0});
  }
  std::vector<T> merged;
  merged.reserve(limit);
  while (merged.size() < limit) {
    const auto [run, at] = heads.top();
    heads.pop();
    merged.push_back(std::move(runs[run][at]));
    if (at + 1 < runs[run].size()) heads.push({run, at + 1});
  }
  return merged;
}

/// Gathers every rank's `run` (sorted by `less`) on the root, merged in that order and cut to
/// `limit` (0: all); other ranks get nothing. Collective; failures (a Serializer's, or `less`
/// throwing in the merge) are agreed on at the end.
template <class T, class Less>
std::vector<T> gather_in_order(const Communicator& communicator, std::vector<T>&& run,
                               std::size_t limit, const Less& less, std::size_t round_bytes) {
  const auto ranks = static_cast<std::size_t>(communicator.size());
  const std::size_t budget = round_budget(round_bytes, communicator.size());
  const bool root = communicator.is_root();
  std::vector<std::vector<T>> runs(root ? ranks : 0);
  std::exception_ptr error;
  std::size_t next = 0;
  // erase, not resize: a result need not be default-constructible.
  if (limit != 0 && run.size() > limit)
    run.erase(run.begin() + static_cast<std::ptrdiff_t>(limit), run.end());
  // Rank 0's own run is merged where it is; only the others travel.
  if (root) runs[Communicator::root] = std::move(run);
  for (;;) {
    std::string outgoing;
    if (!error && !root) {
      try {
        while (outgoing.size() < budget && next < run.size()) {
          const std::size_t before = outgoing.size();
          serialize(outgoing, run[next++]);
          if (outgoing.size() - before > max_message_bytes / (2 * ranks)) {
            throw Error(
                "gathering the results: a result of " + std::to_string(outgoing.size() - before) +
                " bytes is more than one round can carry from " + std::to_string(ranks) + " ranks");
          }
        }
      } catch (...) {
        error = std::current_exception();
        outgoing.clear();
      }
    }
    if (!any_rank(communicator, !outgoing.empty())) break;
    std::vector<std::string> received = gather_bytes(communicator, outgoing, Communicator::root);
    if (!root || error) continue;
    try {
      for (std::size_t r = 0; r < ranks; ++r) {
        if (r == Communicator::root) continue;
        std::string_view in = received[r];
        while (!in.empty())
          runs[r].push_back(deserialize<T>(in));
      }
    } catch (...) {
      error = std::current_exception();
    }
  }
  // The merge calls the job's order, which may throw: on rank 0 alone, so it is part of the phase.
  std::vector<T> merged;
  if (root && !error) {
    try {
      merged = merge_sorted_runs(std::move(runs), limit, less);
    } catch (...) {
      error = std::current_exception();
    }
  }
  agree(communicator, error);
  return merged;
}

}  // namespace mrtbb::mpi::detail
