#pragma once

#include <cstddef>

#include "mrtbb/core/retry_policy.hpp"

namespace mrtbb {

/// Every setting of a Pool. Values that cannot work (more than 4096 workers, retry.attempts 0, a
/// negative or overflowing retry.backoff) are an OptionsError when the pool is made.
struct PoolOptions {
  /// Worker threads; 0 means all cores.
  std::size_t workers = 0;
  /// After this many tasks (chunks) a worker's state from the initializer is destroyed and made
  /// again: the thread analogue of maxtasksperchild, since a thread has no process to recycle.
  /// 0 means never.
  std::size_t max_tasks_per_worker = 0;
  RetryPolicy retry = {};
};

}  // namespace mrtbb
