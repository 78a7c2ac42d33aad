#pragma once

#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "mrtbb/core/errors.hpp"
#include "mrtbb/pool/deadline.hpp"
#include "mrtbb/pool/pool_core.hpp"

namespace mrtbb {

class Pool;

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
  std::function<void(const std::exception_ptr&)> on_error;
  // The thread running a callback: the result is not ready until the callback returns, so that
  // thread must not wait for it.
  std::thread::id in_callback;
  // The pool and the tasks computing the result, so that a task of that pool which waits for the
  // result runs them itself (PoolCore::help). Set before the result is handed out, never after.
  PoolCore* pool = nullptr;
  std::vector<std::weak_ptr<PoolTask>> tasks;

  // Runs the matching callback, then makes the result ready. A callback that throws is recorded
  // for get(), never let into the worker, so the pool keeps running.
  void complete(std::optional<T> result, std::exception_ptr failure) noexcept {
    {
      std::lock_guard lock(mutex);
      in_callback = std::this_thread::get_id();
    }
    std::exception_ptr callback_failure;
    try {
      if (failure) {
        if (on_error) on_error(failure);
      } else if (on_success) {
        on_success(*result);
      }
    } catch (...) {
      callback_failure =
          current_callback_error(failure ? "on_error callback" : "on_success callback");
    }
    // What the callbacks hold goes with them, outside the lock.
    auto success_callback = std::move(on_success);
    auto error_callback = std::move(on_error);
    {
      std::lock_guard lock(mutex);
      value = std::move(result);
      error = std::move(failure);
      callback_error = std::move(callback_failure);
      in_callback = {};
      done = true;
    }
    finished.notify_all();
  }
};

}  // namespace detail

/// The future of an asynchronous Pool call (Python's AsyncResult). Inside a task of the pool that
/// computes it, every wait first runs the result's unstarted tasks on the waiting thread, so a task
/// can wait for work of its own pool without ever holding the worker that work needs.
template <class T>
class AsyncResult {
 public:
  explicit AsyncResult(std::shared_ptr<detail::AsyncState<T>> state) : state_(std::move(state)) {}

  /// Waits, then returns the result. Rethrows what the call raised: a task's own exception, or a
  /// TaskError when several items failed. A callback that threw makes it throw a CallbackError
  /// naming the callback, with the callback's exception nested.
  const T& get() const {
    wait();
    return ready_value();
  }

  /// As get(), but throws TimeoutError when the result is not ready within `timeout`; the result
  /// can be waited for again.
  template <class Rep, class Period>
  const T& get(std::chrono::duration<Rep, Period> timeout) const {
    if (!wait_for(timeout)) throw TimeoutError("AsyncResult::get(): no result within the timeout");
    return ready_value();
  }

  void wait() const { wait_until(std::nullopt); }

  /// True when the result is ready within `timeout`.
  template <class Rep, class Period>
  bool wait_for(std::chrono::duration<Rep, Period> timeout) const {
    return wait_until(detail::deadline_after(timeout));
  }

  bool ready() const {
    std::lock_guard lock(state_->mutex);
    return state_->done;
  }

  /// Whether the call itself succeeded (a callback's failure is get()'s to report); like Python,
  /// asking before it is ready is an error.
  bool successful() const {
    std::lock_guard lock(state_->mutex);
    if (!state_->done) throw Error("AsyncResult::successful() called before the result is ready");
    return !state_->error;
  }

 private:
  friend class Pool;

  bool wait_until(const detail::Deadline& deadline) const {
    run_unstarted_tasks_here();
    std::unique_lock lock(state_->mutex);
    if (!state_->done && state_->in_callback == std::this_thread::get_id()) {
      throw Error(
          "a Pool result was waited for from its own callback, which runs before it is ready");
    }
    return detail::wait_until(lock, state_->finished, deadline, [&] { return state_->done; });
  }

  void run_unstarted_tasks_here() const {
    detail::PoolCore* pool = state_->pool;
    if (pool == nullptr || detail::PoolCore::running() != pool) return;
    for (const auto& weak : state_->tasks) {
      if (auto task = weak.lock()) pool->help(*task);
    }
  }

  const T& ready_value() const {
    // A callback's failure first: the call's own error, if any, was handed to that callback.
    if (state_->callback_error) std::rethrow_exception(state_->callback_error);
    if (state_->error) std::rethrow_exception(state_->error);
    return *state_->value;
  }

  // For Pool::map, which owns the only copy of its AsyncResult: the value without copying it.
  T take() {
    wait();
    ready_value();
    return std::move(*state_->value);
  }

  std::shared_ptr<detail::AsyncState<T>> state_;
};

}  // namespace mrtbb
