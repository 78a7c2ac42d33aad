#pragma once

#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "mrtbb/core/errors.hpp"

namespace mrtbb {

/// How often a failed task is run again before it counts as failed.
struct RetryPolicy {
  /// Tries per item, the first included: 1 means no retry.
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

/// One item whose task still failed after its last try.
struct ItemFailure {
  std::size_t index;         ///< position of the item in the input
  std::exception_ptr error;  ///< the exception of the last try
  std::size_t attempts;      ///< tries made
};

/// Thrown when items of a Pool call failed for good. Every failed item is listed, in input order;
/// what() names the first, as Python's Pool.map raises the first failure.
class TaskError : public Error {
 public:
  explicit TaskError(std::vector<ItemFailure> failures);
  const std::vector<ItemFailure>& failures() const noexcept { return failures_; }

 private:
  std::vector<ItemFailure> failures_;
};

/// Thrown by AsyncResult::get when the result was computed but a callback given for it threw; the
/// callback's exception is nested.
class CallbackError : public Error {
 public:
  explicit CallbackError(const std::string& cause);
};

}  // namespace mrtbb
