#pragma once

#include <gtest/gtest.h>
#include <mpi.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <mrtbb/mpi/byte_exchange.hpp>
#include <mrtbb/mpi/communicator.hpp>
#include <mrtbb/mpi/file_job.hpp>
#include <mrtbb/pipeline/file_job.hpp>
#include <mrtbb/pipeline/job_result.hpp>

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

/// The report a job across ranks must give on every rank: that of the same job on one process.
inline void expect_same_report(const mrtbb::JobReport& got, const mrtbb::JobReport& want,
                               const std::string& where) {
  ASSERT_EQ(got.failures.size(), want.failures.size()) << where;
  for (std::size_t i = 0; i < want.failures.size(); ++i) {
    EXPECT_EQ(got.failures[i].input, want.failures[i].input) << where;
    EXPECT_EQ(got.failures[i].reason, want.failures[i].reason) << where;
  }
  ASSERT_EQ(got.skipped.size(), want.skipped.size()) << where;
  for (std::size_t i = 0; i < want.skipped.size(); ++i) {
    EXPECT_EQ(got.skipped[i].path, want.skipped[i].path) << where;
    EXPECT_EQ(got.skipped[i].reason, want.skipped[i].reason) << where;
  }
  EXPECT_EQ(got.warnings.size(), want.warnings.size()) << where;
  ASSERT_EQ(got.map_failures.size(), want.map_failures.size()) << where;
  for (std::size_t i = 0; i < want.map_failures.size(); ++i)
    EXPECT_EQ(got.map_failures[i].reason, want.map_failures[i].reason) << where;
  EXPECT_EQ(got.stats.inputs, want.stats.inputs) << where;
  EXPECT_EQ(got.stats.bytes, want.stats.bytes) << where;
  EXPECT_EQ(got.stats.tokens, want.stats.tokens) << where;
  EXPECT_EQ(got.stats.distinct, want.stats.distinct) << where;
}

/// Where a job across ranks runs: workers and grain of each rank, and the shuffle's round size.
struct MpiSetting {
  std::size_t workers;
  std::size_t grain;
  std::size_t round_bytes;
};

inline std::string describe(const MpiSetting& s) {
  return "workers " + std::to_string(s.workers) + ", grain " + std::to_string(s.grain) +
         ", round " + std::to_string(s.round_bytes) + ", ranks " +
         std::to_string(mrtbb::mpi::Communicator().size());
}

/// Runs `job` on one process and across the ranks under each setting: the results on rank 0 (none
/// elsewhere) and the report on every rank must be those of one process.
template <class Job>
void expect_same_as_one_process(const Job& job, const std::vector<std::string>& paths,
                                const std::vector<MpiSetting>& settings,
                                mrtbb::Options options = {}) {
  for (const MpiSetting& setting : settings) {
    options.workers = setting.workers;
    options.grain = setting.grain;
    const auto want = mrtbb::run_file_job(job, paths, options);
    const auto got =
        mrtbb::mpi::run_file_job(job, paths, options, {.shuffle_round_bytes = setting.round_bytes});
    const std::string where = describe(setting);
    if (mrtbb::mpi::Communicator().is_root()) {
      EXPECT_EQ(got.results, want.results) << where;
    } else {
      EXPECT_TRUE(got.results.empty()) << where;
    }
    expect_same_report(got, want, where);
  }
}

}  // namespace mrtbb::testing
