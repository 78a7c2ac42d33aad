#pragma once

#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cstddef>
#include <utility>

#include "mrtbb/core/worker_thread_claim.hpp"

namespace mrtbb {

/// The threads a job runs on: a tbb::task_arena of exactly `workers` threads, of which
/// `reserved_for_callers` are the threads that call execute() and the rest are oneTBB's workers.
/// oneTBB caps its workers at the machine's core count unless told otherwise, so those workers are
/// claimed for as long as the arena lives (detail::WorkerThreadClaim): a user's -j 8 on two cores
/// gets eight threads, and so does each of two such arenas side by side.
class WorkerArena {
 public:
  explicit WorkerArena(std::size_t workers, int reserved_for_callers = 1)
      : claim_(workers - std::min(workers, static_cast<std::size_t>(reserved_for_callers))),
        arena_(static_cast<int>(workers), static_cast<unsigned>(reserved_for_callers)) {}

  template <class F>
  decltype(auto) execute(F&& f) {
    return arena_.execute(std::forward<F>(f));
  }

  template <class F>
  void enqueue(F&& f) {
    arena_.enqueue(std::forward<F>(f));
  }

 private:
  detail::WorkerThreadClaim claim_;
  tbb::task_arena arena_;
};

}  // namespace mrtbb
