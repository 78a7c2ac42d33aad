#pragma once

#include <mpi.h>

#include <filesystem>
#include <memory>
#include <string>

#include <mrtbb/mpi/byte_exchange.hpp>
#include <mrtbb/mpi/communicator.hpp>

#include "support/corpus.hpp"

namespace mrtbb::testing {

/// A directory that every rank sees: rank 0 makes it (and removes it at the end), the others learn
/// its path. Files are written by rank 0 only, and visible to all once ready() returns.
class SharedDir {
 public:
  explicit SharedDir(const std::string& name) {
    if (world_.is_root()) owned_ = std::make_unique<TempDir>(name);
    path_ = owned_ ? owned_->path().string() : std::string();
    mrtbb::mpi::detail::broadcast_bytes(world_, path_, mrtbb::mpi::Communicator::root);
  }
  ~SharedDir() { MPI_Barrier(world_.handle()); }
  SharedDir(const SharedDir&) = delete;
  SharedDir& operator=(const SharedDir&) = delete;

  /// The path of `relative`; its content written by rank 0.
  std::string write(const std::string& relative, const std::string& content) const {
    if (owned_) owned_->write(relative, content);
    return (std::filesystem::path(path_) / relative).string();
  }
  std::string at(const std::string& relative) const {
    return (std::filesystem::path(path_) / relative).string();
  }
  /// Every rank waits here until rank 0 has written everything.
  void ready() const { MPI_Barrier(world_.handle()); }

 private:
  mrtbb::mpi::Communicator world_;
  std::unique_ptr<TempDir> owned_;
  std::string path_;
};

}  // namespace mrtbb::testing
