#include "mrtbb/pool/pool_core.hpp"

#include <oneapi/tbb/task_arena.h>

#include <utility>

#include "mrtbb/core/errors.hpp"
#include "mrtbb/core/options.hpp"

namespace mrtbb::detail {

namespace {

// The task the calling thread is running, innermost first when tasks nest (a task that waits for
// work of its own pool runs that work on the same thread and the same worker slot).
struct RunningTask {
  PoolCore* core = nullptr;
  std::size_t slot = 0;
  const WorkerState* state = nullptr;
};

RunningTask& this_thread_task() noexcept {
  thread_local RunningTask task;
  return task;
}

std::size_t validated_workers(const PoolOptions& options) {
  return resolve(Options{.workers = options.workers, .retry = options.retry}).workers;
}

}  // namespace

std::exception_ptr TaskContext::reason_to_skip() const {
  if (setup_error_) return setup_error_;
  if (core_.terminated()) {
    return std::make_exception_ptr(Error("Pool was terminated before this item ran"));
  }
  return nullptr;
}

const RetryPolicy& TaskContext::retry() const noexcept {
  return core_.retry();
}

void TaskContext::count_retries(std::size_t extra_tries) noexcept {
  core_.count_retries(extra_tries);
}

PoolCore::PoolCore(const PoolOptions& options, std::function<WorkerState()> make_state)
    : options_(options),
      workers_(validated_workers(options)),
      make_state_(std::move(make_state)),
      slots_(workers_),
      arena_(workers_, 0) {}

void PoolCore::check_accepting_locked(Caller caller) const {
  if (shut_down_) throw Error("Pool was destroyed: no new work is accepted");
  if (terminated_) throw Error("Pool was terminated: no new work is accepted");
  if (closed_ && caller == Caller::new_call) throw Error("Pool is closed: no new work is accepted");
}

void PoolCore::check_accepting(Caller caller) {
  std::lock_guard lock(mutex_);
  check_accepting_locked(caller);
}

void PoolCore::submit(const std::vector<std::shared_ptr<PoolTask>>& tasks, Caller caller) {
  {
    // One check for the whole call, so that a close() from another thread never lets half of a
    // call's chunks in.
    std::lock_guard lock(mutex_);
    check_accepting_locked(caller);
    pending_ += tasks.size();
  }
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    try {
      arena_.enqueue([this, task = tasks[i]] {
        run_queued(*task);
        finish_one();
      });
    } catch (...) {
      // Out of memory: the tasks not queued are run here, so that every result still completes.
      for (std::size_t j = i; j < tasks.size(); ++j) {
        if (tasks[j]->claim()) {
          TaskContext context(*this, std::current_exception());
          tasks[j]->run(context);
        }
        finish_one();
      }
      return;
    }
  }
}

bool PoolCore::help(PoolTask& task) noexcept {
  const RunningTask& here = this_thread_task();
  if (here.core != this || !task.claim()) return false;
  execute(task, here.slot);
  return true;
}

std::size_t PoolCore::slot_of_this_thread() const noexcept {
  // A 1-worker arena has two slots (oneTBB keeps one for an outside thread), and its worker may
  // sit in either: both are that one worker.
  return static_cast<std::size_t>(tbb::this_task_arena::current_thread_index()) % workers_;
}

void PoolCore::run_queued(PoolTask& task) noexcept {
  const std::size_t slot = slot_of_this_thread();
  // One thread at a time in a worker slot: oneTBB may briefly let a second thread into the spare
  // slot of a 1-worker arena. The slot is taken before the task is claimed, so a thread waiting
  // here never holds a task that the slot's running task waits for (that task runs it instead).
  std::lock_guard lock(slots_[slot].in_use);
  if (task.claim()) execute(task, slot);
}

void PoolCore::execute(PoolTask& task, std::size_t slot_index) noexcept {
  Slot& slot = slots_[slot_index];
  std::exception_ptr setup_error = terminated() ? nullptr : prepare(slot);
  // Held for the whole task: a task it waits for may run on this slot and remake its state.
  const std::shared_ptr<const WorkerState> state = slot.state;
  RunningTask& here = this_thread_task();
  const RunningTask outer = here;
  here = {this, slot_index, state.get()};
  TaskContext context(*this, std::move(setup_error));
  task.run(context);
  here = outer;
}

std::exception_ptr PoolCore::prepare(Slot& slot) noexcept {
  const std::size_t limit = options_.max_tasks_per_worker;
  if (slot.state && (limit == 0 || slot.tasks < limit)) {
    ++slot.tasks;
    return nullptr;
  }
  // As a worker process that reached maxtasksperchild ends before its successor starts, the old
  // state is gone before the initializer makes the new one.
  slot.state.reset();
  slot.tasks = 0;
  try {
    slot.state = std::make_shared<const WorkerState>(make_state_());
  } catch (...) {
    return current_callback_error("Pool initializer");
  }
  ++initializations_;
  slot.tasks = 1;
  return nullptr;
}

void PoolCore::finish_one() noexcept {
  // Notified under the lock: a joiner that wakes may destroy the pool as soon as it can lock.
  std::lock_guard lock(mutex_);
  if (--pending_ == 0) idle_.notify_all();
}

void PoolCore::wait_idle(std::unique_lock<std::mutex>& lock) {
  idle_.wait(lock, [&] { return pending_ == 0; });
}

void PoolCore::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
}

void PoolCore::join() {
  if (running() == this) {
    throw Error(
        "Pool::join() called from one of the pool's own tasks: it would wait for that task "
        "itself");
  }
  std::unique_lock lock(mutex_);
  if (!closed_) throw Error("Pool::join() called before close() or terminate()");
  wait_idle(lock);
}

void PoolCore::terminate() {
  if (running() == this) {
    throw Error(
        "Pool::terminate() called from one of the pool's own tasks: it waits for the running "
        "tasks, that one included");
  }
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    terminated_ = true;
  }
  join();
}

void PoolCore::shut_down() noexcept {
  std::unique_lock lock(mutex_);
  closed_ = true;
  shut_down_ = true;
  if (running() != this) wait_idle(lock);
}

void PoolCore::check_iterable() const {
  if (shut_down_) throw Error("Pool was destroyed before the iteration ended");
  if (terminated_) throw Error("Pool was terminated before the iteration ended");
}

const PoolCore* PoolCore::running() noexcept {
  return this_thread_task().core;
}

const WorkerState* PoolCore::current_state() noexcept {
  return this_thread_task().state;
}

}  // namespace mrtbb::detail
