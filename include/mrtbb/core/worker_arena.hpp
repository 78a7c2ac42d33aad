#pragma once

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/task_arena.h>

#include <cstddef>
#include <optional>
#include <utility>

namespace mrtbb {

/// The threads a job runs on: a tbb::task_arena of exactly `workers` threads. oneTBB caps every
/// arena at the machine's core count unless told otherwise, so a request for more workers than
/// cores (a user's -j 8 on two cores) also raises that cap for as long as the arena lives.
class WorkerArena {
 public:
  explicit WorkerArena(std::size_t workers, int reserved_for_callers = 1)
      : raised_cap_(raise_cap_if_needed(workers + (reserved_for_callers == 0 ? 1 : 0))),
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
  static std::optional<tbb::global_control> raise_cap_if_needed(std::size_t workers) {
    if (workers <= static_cast<std::size_t>(tbb::info::default_concurrency())) return std::nullopt;
    return std::optional<tbb::global_control>(
        std::in_place, tbb::global_control::max_allowed_parallelism, workers);
  }

  std::optional<tbb::global_control> raised_cap_;
  tbb::task_arena arena_;
};

}  // namespace mrtbb
