#pragma once

#include <string>

#include "mrtbb/core/errors.hpp"

namespace mrtbb::mpi {

/// What the other ranks throw when one rank's part of a job failed: the rank that failed throws its
/// own exception, and every other rank this one, with the failed rank's number and message, so that
/// all ranks leave the job together and rank 0 can report the failure once.
class PeerError : public Error {
 public:
  PeerError(int rank, const std::string& message);
  /// The lowest rank whose part failed.
  int rank() const noexcept { return rank_; }
  /// what() of that rank's exception.
  const std::string& message() const noexcept { return message_; }

 private:
  int rank_;
  std::string message_;
};

}  // namespace mrtbb::mpi
