#pragma once

#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "mrtbb/pool/task_errors.hpp"

namespace mrtbb {

namespace detail {

template <class T>
struct AsyncState {
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  std::optional<T> value;
  std::exception_ptr error;
  std::exception_ptr callback_error;
  std::function<void(const T&)> on_success;
  std::function<void(std::exception_ptr)> on_error;

  // Runs the matching callback, then wakes the waiters. A callback that throws is recorded, never
  // propagated into the worker, so the pool keeps running.
  void complete(std::optional<T> result, std::exception_ptr failure) {
    std::exception_ptr callback_failure;
    try {
      if (failure) {
        if (on_error) on_error(failure);
      } else if (on_success) {
        on_success(*result);
      }
    } catch (...) {
      callback_failure = std::current_exception();
    }
    {
      std::lock_guard lock(mutex);
      value = std::move(result);
      error = failure;
      callback_error = callback_failure;
      done = true;
    }
    finished.notify_all();
  }
};

}  // namespace detail

/// The future of an asynchronous Pool call (Python's AsyncResult).
template <class T>
class AsyncResult {
 public:
  explicit AsyncResult(std::shared_ptr<detail::AsyncState<T>> state) : state_(std::move(state)) {}

  /// Waits, then returns the result; rethrows the task's failure (a TaskError), or throws a
  /// CallbackError when a callback threw.
  const T& get() const {
    wait();
    if (state_->error) std::rethrow_exception(state_->error);
    if (state_->callback_error) {
      try {
        std::rethrow_exception(state_->callback_error);
      } catch (...) {
        std::throw_with_nested(CallbackError("the result's callback", current_exception_message()));
      }
    }
    return *state_->value;
  }

  void wait() const {
    std::unique_lock lock(state_->mutex);
    state_->finished.wait(lock, [&] { return state_->done; });
  }

  /// True when the result is ready within `timeout`.
  template <class Rep, class Period>
  bool wait_for(std::chrono::duration<Rep, Period> timeout) const {
    std::unique_lock lock(state_->mutex);
    return state_->finished.wait_for(lock, timeout, [&] { return state_->done; });
  }

  bool ready() const {
    std::lock_guard lock(state_->mutex);
    return state_->done;
  }

  /// Whether the call succeeded; like Python, asking before it is ready is an error.
  bool successful() const {
    std::lock_guard lock(state_->mutex);
    if (!state_->done) throw Error("AsyncResult::successful() called before the result is ready");
    return !state_->error;
  }

 private:
  std::shared_ptr<detail::AsyncState<T>> state_;
};

}  // namespace mrtbb
