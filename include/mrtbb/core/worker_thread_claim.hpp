#pragma once

#include <cstddef>

namespace mrtbb::detail {

/// The oneTBB worker threads one arena needs, claimed for as long as the arena lives.
///
/// oneTBB lends one process-wide set of worker threads to every arena, and caps that set at
/// max_allowed_parallelism - 1 (by default cores - 1). While claimed, mrtbb keeps the cap at least
/// at the threads of every live claim together plus one, so that each arena gets its own threads:
/// a pool whose workers all block still leaves the threads of a pool beside it. The cap is raised
/// when the claims outgrow it and never lowered while the process lives: lowering it while oneTBB's
/// threads move between a dying arena and a new one left the new arena without a thread for up to
/// seconds (docs/pool.md, "Threads of their own"). The program's own caps keep their say: oneTBB
/// applies the lowest live one, so a lower cap of its own limits mrtbb's arenas, and mrtbb adds a
/// cap only when the one in force is too low (a higher one set afterwards is held to mrtbb's).
class WorkerThreadClaim {
 public:
  explicit WorkerThreadClaim(std::size_t threads);
  ~WorkerThreadClaim();
  WorkerThreadClaim(const WorkerThreadClaim&) = delete;
  WorkerThreadClaim& operator=(const WorkerThreadClaim&) = delete;

 private:
  std::size_t threads_;
};

}  // namespace mrtbb::detail
