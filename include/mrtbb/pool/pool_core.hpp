#pragma once

// What every Pool call shares, without templates: the arena of worker threads, one state per worker
// slot, the tasks submitted and not yet finished, and the life cycle (close, join, terminate).
// Pool's templates turn calls into PoolTasks; PoolCore runs them.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <typeindex>
#include <vector>

#include "mrtbb/core/retry_policy.hpp"
#include "mrtbb/core/worker_arena.hpp"
#include "mrtbb/pool/pool_options.hpp"

namespace mrtbb::detail {

/// What a Pool's initializer made for one worker, with its type for a checked cast.
struct WorkerState {
  std::shared_ptr<void> value;
  std::type_index type = typeid(void);
};

class PoolCore;

/// What a running task may ask of its pool.
class TaskContext {
 public:
  TaskContext(PoolCore& core, std::exception_ptr setup_error) noexcept
      : core_(core), setup_error_(std::move(setup_error)) {}

  /// Why the next item must fail instead of running: the worker's initializer failed, or the pool
  /// was terminated. Null when it may run.
  std::exception_ptr reason_to_skip() const;
  const RetryPolicy& retry() const noexcept;
  void count_retries(std::size_t extra_tries) noexcept;

 private:
  PoolCore& core_;
  std::exception_ptr setup_error_;
};

/// One unit of a Pool's work: an apply, or a chunk of a map or of an imap. It runs exactly once,
/// on the thread that claims it first: the arena thread it was queued for, or a task of the same
/// pool that waits for it and so runs it itself.
class PoolTask {
 public:
  PoolTask() = default;
  PoolTask(const PoolTask&) = delete;
  PoolTask& operator=(const PoolTask&) = delete;
  virtual ~PoolTask() = default;

  bool claim() noexcept { return !claimed_.exchange(true, std::memory_order_acq_rel); }
  /// Runs the task's items and hands over their results; failures are results too, so nothing
  /// escapes.
  virtual void run(TaskContext& context) noexcept = 0;

 private:
  std::atomic<bool> claimed_{false};
};

class PoolCore {
 public:
  /// Who submits: a new call, refused once the pool is closed, or an imap iterator made before
  /// close(), which still feeds its own input.
  enum class Caller { new_call, live_iterator };

  /// Throws OptionsError for options that cannot work.
  PoolCore(const PoolOptions& options, std::function<WorkerState()> make_state);
  PoolCore(const PoolCore&) = delete;
  PoolCore& operator=(const PoolCore&) = delete;

  std::size_t workers() const noexcept { return workers_; }
  const RetryPolicy& retry() const noexcept { return options_.retry; }
  std::size_t retries() const noexcept { return retries_.load(); }
  std::size_t initializations() const noexcept { return initializations_.load(); }
  void count_retries(std::size_t extra_tries) noexcept { retries_ += extra_tries; }
  bool terminated() const noexcept { return terminated_.load(); }

  /// Throws unless `caller` may still submit work.
  void check_accepting(Caller caller);
  /// Queues every task, or (when `caller` may not submit) none and throws.
  void submit(const std::vector<std::shared_ptr<PoolTask>>& tasks, Caller caller);
  /// Runs `task` here if the calling thread is running a task of this pool and nobody has claimed
  /// `task` yet: a task that waits for work of its own pool does that work itself, so waiting can
  /// never hold the worker the work needs. True when it ran it.
  bool help(PoolTask& task) noexcept;

  void close();
  void join();
  void terminate();
  /// For ~Pool: close, wait for every submitted task, and refuse all work afterwards, also from
  /// iterators.
  void shut_down() noexcept;
  /// Throws when an iteration cannot go on: the pool was terminated or destroyed.
  void check_iterable() const;

  /// The pool whose task the calling thread is running, or null.
  static const PoolCore* running() noexcept;
  /// The calling worker's state, inside a task; null elsewhere.
  static const WorkerState* current_state() noexcept;

 private:
  struct Slot {
    // Held by the thread running the slot's tasks (again by the same thread when a task runs
    // another one it waits for).
    std::recursive_mutex in_use;
    std::shared_ptr<const WorkerState> state;
    std::size_t tasks = 0;
  };

  void check_accepting_locked(Caller caller) const;
  std::size_t slot_of_this_thread() const noexcept;
  void run_queued(PoolTask& task) noexcept;
  void execute(PoolTask& task, std::size_t slot) noexcept;
  std::exception_ptr prepare(Slot& slot) noexcept;
  void finish_one() noexcept;
  void wait_idle(std::unique_lock<std::mutex>& lock);

  PoolOptions options_;
  std::size_t workers_;
  std::function<WorkerState()> make_state_;
  // One per worker, indexed by the arena slot the worker occupies: a slot holds one thread at a
  // time, whichever oneTBB thread that is, so a worker's state follows the worker, not the thread.
  std::vector<Slot> slots_;
  std::mutex mutex_;
  std::condition_variable idle_;
  std::size_t pending_ = 0;  // queued to the arena and not yet finished
  bool closed_ = false;
  std::atomic<bool> terminated_{false};
  std::atomic<bool> shut_down_{false};
  std::atomic<std::size_t> retries_{0};
  std::atomic<std::size_t> initializations_{0};
  WorkerArena arena_;
};

}  // namespace mrtbb::detail
