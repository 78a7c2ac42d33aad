#pragma once

// mrtbb::Pool: the map API of Python's multiprocessing.Pool, on the threads of a tbb::task_arena.

#include <oneapi/tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <ranges>
#include <thread>
#include <tuple>
#include <type_traits>
#include <typeindex>
#include <utility>
#include <vector>

#include "mrtbb/core/errors.hpp"
#include "mrtbb/core/options.hpp"
#include "mrtbb/core/worker_arena.hpp"
#include "mrtbb/pool/async_result.hpp"
#include "mrtbb/pool/imap.hpp"
#include "mrtbb/pool/task_errors.hpp"

namespace mrtbb {

struct PoolOptions {
  /// Worker threads; 0 means all cores.
  std::size_t workers = 0;
  /// After this many tasks (chunks) a worker's state from the initializer is destroyed and made
  /// again: the thread analogue of maxtasksperchild, since a thread has no process to recycle.
  /// 0 means never.
  std::size_t max_tasks_per_worker = 0;
  RetryPolicy retry = {};
};

class Pool {
 public:
  template <class F, class Items>
  using result_of =
      std::decay_t<std::invoke_result_t<F&, const std::ranges::range_value_t<Items>&>>;
  template <class F, class Items>
  using star_result_of = std::decay_t<decltype(std::apply(
      std::declval<F&>(), std::declval<const std::ranges::range_value_t<Items>&>()))>;

  explicit Pool(PoolOptions options = {}) : Pool(std::move(options), [] {}) {}

  /// `initializer(args...)` runs on each worker before its first task (and again after every
  /// max_tasks_per_worker tasks). What it returns is that worker's state: Pool::worker_state<T>().
  template <class Init, class... Args>
  Pool(PoolOptions options, Init initializer, Args... args)
      : options_(std::move(options)),
        workers_(resolve(Options{.workers = options_.workers}).workers),
        arena_(workers_, 0),
        make_state_([initializer = std::move(initializer), ... args = std::move(args)]() mutable {
          using State = std::invoke_result_t<Init&, Args&...>;
          if constexpr (std::is_void_v<State>) {
            std::invoke(initializer, args...);
            return WorkerState{};
          } else {
            return WorkerState{std::make_shared<State>(std::invoke(initializer, args...)),
                               typeid(State)};
          }
        }) {}

  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  /// Drains: every submitted task runs to its end; nothing submitted is dropped.
  ~Pool() {
    close();
    join();
  }

  std::size_t workers() const noexcept { return workers_; }

  /// Tries that failed and were run again, over the pool's life.
  std::size_t retries() const noexcept { return retries_.load(); }

  /// How many times a worker state was made by the initializer, over the pool's life.
  std::size_t initializations() const noexcept { return initializations_.load(); }

  /// The calling worker's state, as its initializer returned it. Only inside a task.
  template <class State>
  static State& worker_state() {
    const WorkerState* state = current_state();
    if (state == nullptr || !state->value) {
      throw Error("Pool::worker_state() called outside a task, or the initializer returned none");
    }
    if (state->type != typeid(State)) throw Error("Pool::worker_state(): wrong state type");
    return *static_cast<State*>(state->value.get());
  }

  // --- single calls -------------------------------------------------------------------------

  template <class F, class... Args>
  auto apply_async(F f, Args... args) {
    using R = std::decay_t<std::invoke_result_t<F&, Args&...>>;
    auto state = std::make_shared<detail::AsyncState<R>>();
    auto call = [f = std::move(f), ... args = std::move(args)](std::size_t) mutable {
      return std::invoke(f, args...);
    };
    submit([this, state, call = std::move(call)](std::exception_ptr setup_error) mutable {
      std::optional<ItemFailure> failure;
      std::optional<R> value;
      if (setup_error) {
        failure = ItemFailure{0, setup_error, 0};
      } else {
        value = run_with_retries<R>(call, std::size_t{0}, 0, failure);
      }
      if (failure) {
        state->complete(std::nullopt, std::make_exception_ptr(TaskError({*failure})));
      } else {
        state->complete(std::move(value), nullptr);
      }
    });
    return AsyncResult<R>(state);
  }

  template <class F, class... Args>
  auto apply(F f, Args... args) {
    return apply_async(std::move(f), std::move(args)...).get();
  }

  // --- map ----------------------------------------------------------------------------------

  /// f applied to every item, results in input order. chunksize 0: ceil(n / (4 x workers)).
  template <class F, std::ranges::input_range Items>
  auto map_async(F f, const Items& items, std::size_t chunksize = 0,
                 std::function<void(const std::vector<result_of<F, Items>>&)> on_success = {},
                 std::function<void(std::exception_ptr)> on_error = {}) {
    return map_async_impl<result_of<F, Items>>(to_vector(items), std::move(f), chunksize,
                                               std::move(on_success), std::move(on_error));
  }

  template <class F, std::ranges::input_range Items>
  auto map(F f, const Items& items, std::size_t chunksize = 0) {
    return map_async(std::move(f), items, chunksize).get();
  }

  /// Each item is a tuple whose elements are f's arguments.
  template <class F, std::ranges::input_range Items>
  auto starmap_async(
      F f, const Items& items, std::size_t chunksize = 0,
      std::function<void(const std::vector<star_result_of<F, Items>>&)> on_success = {},
      std::function<void(std::exception_ptr)> on_error = {}) {
    return map_async(star(std::move(f)), items, chunksize, std::move(on_success),
                     std::move(on_error));
  }

  template <class F, std::ranges::input_range Items>
  auto starmap(F f, const Items& items, std::size_t chunksize = 0) {
    return starmap_async(std::move(f), items, chunksize).get();
  }

  // --- lazy iteration -----------------------------------------------------------------------

  /// Results in input order, computed at most `max_chunks_in_flight` chunks ahead of the reader
  /// (0: 2 x workers), so a huge or endless input never fills memory. The items are read lazily,
  /// from the reading thread; a range passed as an lvalue must outlive the iteration.
  template <class F, std::ranges::viewable_range Items>
  auto imap(F f, Items&& items, std::size_t chunksize = 1, std::size_t max_chunks_in_flight = 0) {
    return make_imap<true>(std::move(f), std::views::all(std::forward<Items>(items)), chunksize,
                           max_chunks_in_flight);
  }

  /// As imap, but each result comes as soon as it is ready, in no particular order; each comes
  /// with the index of its item.
  template <class F, std::ranges::viewable_range Items>
  auto imap_unordered(F f, Items&& items, std::size_t chunksize = 1,
                      std::size_t max_chunks_in_flight = 0) {
    return make_imap<false>(std::move(f), std::views::all(std::forward<Items>(items)), chunksize,
                            max_chunks_in_flight);
  }

  // --- life cycle ---------------------------------------------------------------------------

  /// No more submissions; what was submitted still runs.
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }

  /// Waits for every submitted task. Like Python, only after close() or terminate().
  void join() {
    std::unique_lock lock(mutex_);
    if (!closed_) throw Error("Pool::join() called before close() or terminate()");
    idle_.wait(lock, [&] { return pending_ == 0; });
  }

  /// Stops at once: tasks not yet started fail with an error instead of running, so every result
  /// still completes and nothing waits forever. Running tasks finish their current item.
  void terminate() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    terminated_ = true;
    join();
  }

 private:
  struct WorkerState {
    std::shared_ptr<void> value;
    std::type_index type = typeid(void);
  };
  struct WorkerSlot {
    std::optional<WorkerState> state;
    std::size_t tasks = 0;
  };

  static const WorkerState*& current_state() {
    thread_local const WorkerState* state = nullptr;
    return state;
  }

  template <class F>
  static auto star(F f) {
    return [f = std::move(f)](const auto& tuple) mutable { return std::apply(f, tuple); };
  }

  template <class Items>
  static auto to_vector(const Items& items) {
    using Item = std::ranges::range_value_t<Items>;
    std::vector<Item> copy;
    for (const auto& item : items)
      copy.push_back(item);
    return copy;
  }

  std::size_t default_chunksize(std::size_t n) const {
    const std::size_t tasks = 4 * workers_;
    return std::max<std::size_t>(1, (n + tasks - 1) / tasks);
  }

  // Runs `body` as one task on a worker: makes (or remakes) the worker's state first. The body
  // gets the initializer's failure, if any, so that it can fail its items with it.
  template <class Body>
  void submit(Body body) {
    {
      std::lock_guard lock(mutex_);
      if (closed_) throw Error("Pool is closed: no new work is accepted");
      ++pending_;
    }
    // oneTBB calls enqueued functors as const; the body keeps its state behind a pointer.
    auto shared_body = std::make_shared<Body>(std::move(body));
    arena_.enqueue([this, shared_body] {
      std::exception_ptr setup_error;
      if (terminated_) {
        setup_error = std::make_exception_ptr(Error("Pool was terminated before the task ran"));
      } else {
        setup_error = prepare_worker();
      }
      WorkerSlot& slot = slots_.local();
      const WorkerState* previous = current_state();
      current_state() = slot.state ? &*slot.state : nullptr;
      (*shared_body)(setup_error);
      current_state() = previous;
      finish_one();
    });
  }

  std::exception_ptr prepare_worker() {
    WorkerSlot& slot = slots_.local();
    const std::size_t limit = options_.max_tasks_per_worker;
    if (!slot.state || (limit != 0 && slot.tasks >= limit)) {
      slot.state.reset();
      slot.tasks = 0;
      try {
        slot.state = make_state_();
        ++initializations_;
      } catch (...) {
        return std::current_exception();
      }
    }
    ++slot.tasks;
    return nullptr;
  }

  void finish_one() {
    std::lock_guard lock(mutex_);
    if (--pending_ == 0) idle_.notify_all();
  }

  // Runs f(item) with the retry policy; nullopt and `failure` set when it failed for good.
  template <class R, class F, class Item>
  std::optional<R> run_with_retries(F& f, const Item& item, std::size_t index,
                                    std::optional<ItemFailure>& failure) {
    std::optional<R> result;
    const AttemptOutcome outcome = mrtbb::run_with_retries(
        options_.retry, [&](std::size_t) { result.emplace(std::invoke(f, item)); });
    retries_ += outcome.attempts - 1;
    if (outcome.error) failure = ItemFailure{index, outcome.error, outcome.attempts};
    return result;
  }

  template <class R, class Item, class F>
  AsyncResult<std::vector<R>> map_async_impl(std::vector<Item> items, F f, std::size_t chunksize,
                                             std::function<void(const std::vector<R>&)> on_success,
                                             std::function<void(std::exception_ptr)> on_error) {
    struct Job {
      Job(std::vector<Item> in, F fn, std::size_t n, std::size_t chunks,
          std::shared_ptr<detail::AsyncState<std::vector<R>>> st)
          : items(std::move(in)),
            f(std::move(fn)),
            results(n),
            chunks_left(chunks),
            state(std::move(st)) {}
      std::vector<Item> items;
      F f;
      std::vector<std::optional<R>> results;
      std::mutex mutex;
      std::vector<ItemFailure> failures;
      std::atomic<std::size_t> chunks_left;
      std::shared_ptr<detail::AsyncState<std::vector<R>>> state;
    };
    auto state = std::make_shared<detail::AsyncState<std::vector<R>>>();
    state->on_success = std::move(on_success);
    state->on_error = std::move(on_error);
    const std::size_t n = items.size();
    if (chunksize == 0) chunksize = default_chunksize(n);
    const std::size_t chunks = (n + chunksize - 1) / chunksize;
    auto job = std::make_shared<Job>(std::move(items), std::move(f), n, chunks, state);
    if (chunks == 0) {
      state->complete(std::vector<R>{}, nullptr);
      return AsyncResult<std::vector<R>>(state);
    }
    for (std::size_t c = 0; c < chunks; ++c) {
      const std::size_t begin = c * chunksize;
      const std::size_t end = std::min(n, begin + chunksize);
      submit([this, job, begin, end](std::exception_ptr setup_error) {
        std::vector<ItemFailure> failed;
        for (std::size_t i = begin; i < end; ++i) {
          if (setup_error) {
            failed.push_back({i, setup_error, 0});
            continue;
          }
          std::optional<ItemFailure> failure;
          job->results[i] = run_with_retries<R>(job->f, job->items[i], i, failure);
          if (failure) failed.push_back(*failure);
        }
        if (!failed.empty()) {
          std::lock_guard lock(job->mutex);
          job->failures.insert(job->failures.end(), failed.begin(), failed.end());
        }
        if (job->chunks_left.fetch_sub(1) == 1) finish_map(*job);
      });
    }
    return AsyncResult<std::vector<R>>(state);
  }

  template <class Job>
  static void finish_map(Job& job) {
    if (!job.failures.empty()) {
      std::sort(job.failures.begin(), job.failures.end(),
                [](const ItemFailure& a, const ItemFailure& b) { return a.index < b.index; });
      job.state->complete(std::nullopt,
                          std::make_exception_ptr(TaskError(std::move(job.failures))));
      return;
    }
    using R = typename decltype(job.results)::value_type::value_type;
    std::vector<R> values;
    values.reserve(job.results.size());
    for (auto& r : job.results)
      values.push_back(std::move(*r));
    job.state->complete(std::move(values), nullptr);
  }

  template <bool Ordered, class F, class View>
  auto make_imap(F f, View items, std::size_t chunksize, std::size_t max_chunks_in_flight) {
    using Item = std::ranges::range_value_t<View>;
    using R = result_of<F, View>;
    auto shared_f = std::make_shared<F>(std::move(f));
    auto run_chunk = [this, shared_f](std::vector<Item> chunk, std::size_t first_index,
                                      std::function<void(std::vector<ImapOutcome<R>>)> deliver) {
      submit([this, shared_f, chunk = std::move(chunk), first_index,
              deliver = std::move(deliver)](std::exception_ptr setup_error) mutable {
        std::vector<ImapOutcome<R>> outcomes;
        outcomes.reserve(chunk.size());
        for (std::size_t k = 0; k < chunk.size(); ++k) {
          const std::size_t index = first_index + k;
          std::optional<ItemFailure> failure;
          std::optional<R> value;
          if (setup_error) {
            failure = ItemFailure{index, setup_error, 0};
          } else {
            value = run_with_retries<R>(*shared_f, chunk[k], index, failure);
          }
          outcomes.push_back({index, std::move(value), failure});
        }
        deliver(std::move(outcomes));
      });
    };
    const std::size_t bound = max_chunks_in_flight != 0 ? max_chunks_in_flight : 2 * workers_;
    return ImapResults<R, View, Ordered>(std::move(items), std::max<std::size_t>(chunksize, 1),
                                         bound, std::move(run_chunk));
  }

  PoolOptions options_;
  std::size_t workers_;
  WorkerArena arena_;
  std::function<WorkerState()> make_state_;
  tbb::enumerable_thread_specific<WorkerSlot> slots_;
  std::mutex mutex_;
  std::condition_variable idle_;
  std::size_t pending_ = 0;
  bool closed_ = false;
  std::atomic<bool> terminated_{false};
  std::atomic<std::size_t> retries_{0};
  std::atomic<std::size_t> initializations_{0};
};

}  // namespace mrtbb
