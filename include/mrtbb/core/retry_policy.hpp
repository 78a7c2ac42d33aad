#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <string>
#include <thread>

#include "mrtbb/core/errors.hpp"

namespace mrtbb {

/// How often a failed task (a Pool item, a text chunk, a MapReduce item) is run again before it
/// counts as failed.
struct RetryPolicy {
  /// Tries per task, the first included: 1 means no retry.
  std::size_t attempts = 1;
  /// Which exceptions are worth another try; empty means every exception.
  std::function<bool(const std::exception_ptr&)> retryable = {};
  /// Wait before the second try; each further try waits twice as long as the one before.
  std::chrono::milliseconds backoff{0};

  bool should_retry(std::size_t attempts_made, const std::exception_ptr& error) const {
    return attempts_made < attempts && (!retryable || retryable(error));
  }
  std::chrono::milliseconds wait_before(std::size_t next_attempt) const {
    return backoff * (std::size_t{1} << std::min<std::size_t>(next_attempt - 2, 20));
  }
};

/// What came of running a task under a RetryPolicy.
struct AttemptOutcome {
  std::exception_ptr error;  ///< the last try's exception; null when a try succeeded
  std::size_t attempts = 0;  ///< tries made
};

/// "reason (after 3 tries)": a failure's message that says how hard the job tried.
inline std::string with_attempts(const std::string& reason, std::size_t attempts) {
  return reason + " (after " + std::to_string(attempts) + (attempts == 1 ? " try)" : " tries)");
}

/// Calls `attempt(n)` for n = 1, 2, ... until one returns without throwing or the policy gives up.
/// `attempt` must undo, or start by discarding, whatever an earlier failed try left behind.
/// A `retryable` predicate that throws ends the tries: the outcome's error is then a CallbackError
/// naming the predicate, with the predicate's exception nested.
template <class Attempt>
AttemptOutcome run_with_retries(const RetryPolicy& policy, Attempt&& attempt) {
  for (std::size_t n = 1;; ++n) {
    try {
      attempt(n);
      return {nullptr, n};
    } catch (...) {
      auto error = std::current_exception();
      bool again = false;
      try {
        again = policy.should_retry(n, error);
      } catch (...) {
        return {current_callback_error("RetryPolicy::retryable"), n};
      }
      if (!again) return {std::move(error), n};
      std::this_thread::sleep_for(policy.wait_before(n + 1));
    }
  }
}

}  // namespace mrtbb
