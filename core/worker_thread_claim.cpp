#include "mrtbb/core/worker_thread_claim.hpp"

#include <oneapi/tbb/global_control.h>

#include <memory>
#include <mutex>

namespace mrtbb::detail {

namespace {

struct Claims {
  std::mutex mutex;
  std::size_t threads = 0;  // claimed by the live arenas
  // The cap mrtbb set, if any: only ever replaced by a higher one.
  std::unique_ptr<tbb::global_control> cap;
  std::size_t cap_value = 0;
};

Claims& claims() {
  static Claims all;
  return all;
}

}  // namespace

WorkerThreadClaim::WorkerThreadClaim(std::size_t threads) : threads_(threads) {
  Claims& all = claims();
  std::lock_guard lock(all.mutex);
  // max_allowed_parallelism counts one thread beside oneTBB's workers: the program's own.
  const std::size_t wanted = all.threads + threads_ + 1;
  const std::size_t in_force =
      tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
  // oneTBB applies the lowest of the live controls. A higher cap in force (oneTBB's default, or
  // the program's own) is left alone; a lower one of the program's wins whatever mrtbb sets.
  if (wanted > in_force && wanted > all.cap_value) {
    // The new control is made before the old one goes, so that the cap never dips in between.
    all.cap =
        std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, wanted);
    all.cap_value = wanted;
  }
  // Counted only once nothing above can throw: a claim that was never made is never released.
  all.threads += threads_;
}

WorkerThreadClaim::~WorkerThreadClaim() {
  Claims& all = claims();
  std::lock_guard lock(all.mutex);
  all.threads -= threads_;
}

}  // namespace mrtbb::detail
