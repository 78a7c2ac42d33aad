#pragma once

// Bytes between ranks, whatever their size: MPI counts are ints, so anything larger than one
// message can carry travels in pieces.

#include <cstdint>
#include <string>
#include <vector>

#include "mrtbb/mpi/communicator.hpp"

namespace mrtbb::mpi::detail {

/// The most bytes one MPI message carries here (MPI counts are ints).
inline constexpr std::uint64_t max_message_bytes = std::uint64_t{1} << 30;

/// Makes `bytes` on every rank what it is on `root`.
void broadcast_bytes(const Communicator& communicator, std::string& bytes, int root);

/// Every rank's `mine`, by rank, on every rank. For small messages (reports, share points).
std::vector<std::string> all_gather_bytes(const Communicator& communicator,
                                          const std::string& mine);

/// True on every rank when it is true on any.
bool any_rank(const Communicator& communicator, bool mine);

/// Sends `outgoing[r]` to rank r and returns what each rank sent to this one, by rank; every
/// rank's total to all others must stay within max_message_bytes.
std::vector<std::string> all_to_all_bytes(const Communicator& communicator,
                                          const std::vector<std::string>& outgoing);

/// Gathers every rank's `mine` on `root` (by rank; empty elsewhere); their total must stay within
/// max_message_bytes.
std::vector<std::string> gather_bytes(const Communicator& communicator, const std::string& mine,
                                      int root);

}  // namespace mrtbb::mpi::detail
