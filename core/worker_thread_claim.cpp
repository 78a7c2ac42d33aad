#include "mrtbb/core/worker_thread_claim.hpp"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>

#include <memory>
#include <mutex>

namespace mrtbb::detail {

namespace {

struct Claims {
  std::mutex mutex;
  std::size_t threads = 0;  // claimed by the live arenas
  // The cap mrtbb set, or none while oneTBB's default suffices. Only ever replaced by a higher one.
  std::unique_ptr<tbb::global_control> cap;
  std::size_t cap_value = static_cast<std::size_t>(tbb::info::default_concurrency());
};

Claims& claims() {
  static Claims all;
  return all;
}

}  // namespace

WorkerThreadClaim::WorkerThreadClaim(std::size_t threads) : threads_(threads) {
  Claims& all = claims();
  std::lock_guard lock(all.mutex);
  all.threads += threads_;
  // max_allowed_parallelism counts one thread beside oneTBB's workers: the program's own.
  const std::size_t wanted = all.threads + 1;
  if (wanted <= all.cap_value) return;
  // Made before the old cap goes, so that the cap never dips in between: while several
  // global_controls live, oneTBB applies the highest.
  auto raised =
      std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, wanted);
  all.cap = std::move(raised);
  all.cap_value = wanted;
}

WorkerThreadClaim::~WorkerThreadClaim() {
  Claims& all = claims();
  std::lock_guard lock(all.mutex);
  all.threads -= threads_;
}

}  // namespace mrtbb::detail
