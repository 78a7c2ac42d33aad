#pragma once

// Waits with an optional time limit, for AsyncResult::get(timeout) and an imap's next(timeout).

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>

namespace mrtbb::detail {

/// When a wait gives up; none for a wait without a limit.
using Deadline = std::optional<std::chrono::steady_clock::time_point>;

template <class Rep, class Period>
Deadline deadline_after(std::chrono::duration<Rep, Period> timeout) {
  // A limit of a century or more is no limit; adding it to now() could overflow the clock.
  if (timeout >= std::chrono::hours(24 * 365 * 100)) return std::nullopt;
  const auto now = std::chrono::steady_clock::now();
  if (timeout <= timeout.zero()) return now;
  return now + std::chrono::ceil<std::chrono::steady_clock::duration>(timeout);
}

/// Waits until `ready()` or the deadline; whether `ready()` holds.
template <class Ready>
bool wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable& changed,
                const Deadline& deadline, Ready ready) {
  if (!deadline) {
    changed.wait(lock, ready);
    return true;
  }
  return changed.wait_until(lock, *deadline, ready);
}

}  // namespace mrtbb::detail
