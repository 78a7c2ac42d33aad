#pragma once

// mrtbb::Pool: the API of Python's multiprocessing.Pool, on the threads of a tbb::task_arena.

#include <algorithm>
#include <cstddef>
#include <functional>
#include <memory>
#include <ranges>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "mrtbb/core/errors.hpp"
#include "mrtbb/pool/async_callbacks.hpp"
#include "mrtbb/pool/async_result.hpp"
#include "mrtbb/pool/imap.hpp"
#include "mrtbb/pool/pool_concepts.hpp"
#include "mrtbb/pool/pool_core.hpp"
#include "mrtbb/pool/pool_options.hpp"
#include "mrtbb/pool/pool_tasks.hpp"
#include "mrtbb/pool/task_errors.hpp"

namespace mrtbb {

class Pool {
 public:
  /// What f returns for an item of Items; for starmap, for the elements of a tuple item; for
  /// apply, for the arguments.
  template <class F, class Items>
  using result_of =
      std::decay_t<std::invoke_result_t<F&, const std::ranges::range_value_t<Items>&>>;
  template <class F, class Items>
  using star_result_of =
      std::decay_t<typename detail::star_result<F, std::ranges::range_value_t<Items>>::type>;
  template <class F, class... Args>
  using apply_result_of = std::decay_t<std::invoke_result_t<F&, Args&...>>;

  /// Throws OptionsError for options that cannot work (see PoolOptions).
  explicit Pool(PoolOptions options = {}) : Pool(std::move(options), [] {}) {}

  /// `initializer(args...)` runs on each worker before its first task, and again after every
  /// max_tasks_per_worker tasks: once per worker, whichever oneTBB thread serves that worker. It
  /// may run on several workers at once. What it returns is that worker's state:
  /// Pool::worker_state<T>(). If it throws, the tasks it was run for fail with a CallbackError.
  template <class Init, class... Args>
  requires PoolInitializer<Init, Args...> Pool(PoolOptions options, Init initializer, Args... args)
      : core_(std::make_shared<detail::PoolCore>(
            options, state_maker(std::move(initializer), std::move(args)...))) {}

  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  /// Closes the pool and waits for every submitted task: nothing submitted is dropped. An imap
  /// iteration that outlives the pool raises at its next call.
  ~Pool() { core_->shut_down(); }

  std::size_t workers() const noexcept { return core_->workers(); }

  /// Tries that failed and were run again, over the pool's life.
  std::size_t retries() const noexcept { return core_->retries(); }

  /// How many times a worker state was made by the initializer, over the pool's life.
  std::size_t initializations() const noexcept { return core_->initializations(); }

  /// The calling worker's state, as its initializer returned it. Only inside a task.
  template <class State>
  static State& worker_state() {
    const detail::WorkerState* state = detail::PoolCore::current_state();
    if (state == nullptr || !state->value) {
      throw Error("Pool::worker_state() called outside a task, or the initializer returned none");
    }
    if (state->type != typeid(State)) throw Error("Pool::worker_state(): wrong state type");
    return *static_cast<State*>(state->value.get());
  }

  // --- single calls -------------------------------------------------------------------------

  /// f(args...) on a worker. The pool keeps its own copies of the arguments.
  template <class F, class... Args>
  requires PoolFunction<F, Args...>
  auto apply_async(F f, Args... args) {
    return apply_async(AsyncCallbacks<>{}, std::move(f), std::move(args)...);
  }

  /// As apply_async(f, args...), and then callbacks.on_success(result) or
  /// callbacks.on_error(error).
  template <class OnSuccess, class OnError, class F, class... Args>
  requires PoolFunction<F, Args...> && SuccessCallback<OnSuccess, apply_result_of<F, Args...>> &&
      ErrorCallback<OnError>
  auto apply_async(AsyncCallbacks<OnSuccess, OnError> callbacks, F f, Args... args) {
    using R = apply_result_of<F, Args...>;
    core_->check_accepting(detail::PoolCore::Caller::new_call);
    auto state = make_async_state<R>(std::move(callbacks));
    auto call = [f = std::move(f), ... args = std::move(args)]() mutable -> R {
      return std::invoke(f, args...);
    };
    launch(*state,
           {std::make_shared<detail::ApplyTask<R, decltype(call)>>(std::move(call), state)});
    return AsyncResult<R>(std::move(state));
  }

  template <class F, class... Args>
  requires PoolFunction<F, Args...>
  auto apply(F f, Args... args) { return apply_async(std::move(f), std::move(args)...).take(); }

  // --- map ----------------------------------------------------------------------------------

  /// f applied to every item, results in input order. The input is read once, at the call, on the
  /// calling thread. chunksize 0: ceil(n / (4 x workers)).
  template <class F, class Items, class OnSuccess = NoCallback, class OnError = NoCallback>
  requires PoolInput<Items> && PoolMapFunction<F, std::ranges::range_value_t<Items>> &&
      SuccessCallback<OnSuccess, std::vector<result_of<F, Items>>> && ErrorCallback<OnError>
  auto map_async(F f, Items&& items, std::size_t chunksize = 0, OnSuccess on_success = {},
                 OnError on_error = {}) {
    core_->check_accepting(detail::PoolCore::Caller::new_call);
    return map_items<result_of<F, Items>>(
        copy_items(items), std::move(f), chunksize,
        AsyncCallbacks<OnSuccess, OnError>{std::move(on_success), std::move(on_error)});
  }

  template <class F, class Items>
  requires PoolInput<Items> && PoolMapFunction<F, std::ranges::range_value_t<Items>>
  auto map(F f, Items&& items, std::size_t chunksize = 0) {
    return map_async(std::move(f), std::forward<Items>(items), chunksize).take();
  }

  /// Each item is a tuple whose elements are f's arguments.
  template <class F, class Items, class OnSuccess = NoCallback, class OnError = NoCallback>
  requires PoolInput<Items> && PoolStarMapFunction<F, std::ranges::range_value_t<Items>> &&
      SuccessCallback<OnSuccess, std::vector<star_result_of<F, Items>>> && ErrorCallback<OnError>
  auto starmap_async(F f, Items&& items, std::size_t chunksize = 0, OnSuccess on_success = {},
                     OnError on_error = {}) {
    using R = star_result_of<F, Items>;
    core_->check_accepting(detail::PoolCore::Caller::new_call);
    return map_items<R>(
        copy_items(items), star<R>(std::move(f)), chunksize,
        AsyncCallbacks<OnSuccess, OnError>{std::move(on_success), std::move(on_error)});
  }

  template <class F, class Items>
  requires PoolInput<Items> && PoolStarMapFunction<F, std::ranges::range_value_t<Items>>
  auto starmap(F f, Items&& items, std::size_t chunksize = 0) {
    return starmap_async(std::move(f), std::forward<Items>(items), chunksize).take();
  }

  // --- lazy iteration -----------------------------------------------------------------------

  /// Results in input order, computed at most `max_chunks_in_flight` chunks ahead of the reader
  /// (0: 2 x workers), so a huge or endless input never fills memory. The items are read lazily,
  /// from the reading thread; a range passed as an lvalue must outlive the iteration. chunksize 0
  /// means 1.
  template <class F, std::ranges::viewable_range Items>
  requires PoolInput<Items> && PoolMapFunction<F, std::ranges::range_value_t<Items>>
  auto imap(F f, Items&& items, std::size_t chunksize = 1, std::size_t max_chunks_in_flight = 0) {
    return make_imap<true>(std::move(f), std::views::all(std::forward<Items>(items)), chunksize,
                           max_chunks_in_flight);
  }

  /// As imap, but each result comes as soon as it is ready, in no particular order; each comes
  /// with the index of its item.
  template <class F, std::ranges::viewable_range Items>
  requires PoolInput<Items> && PoolMapFunction<F, std::ranges::range_value_t<Items>>
  auto imap_unordered(F f, Items&& items, std::size_t chunksize = 1,
                      std::size_t max_chunks_in_flight = 0) {
    return make_imap<false>(std::move(f), std::views::all(std::forward<Items>(items)), chunksize,
                            max_chunks_in_flight);
  }

  // --- life cycle ---------------------------------------------------------------------------

  /// No new calls; what was submitted still runs, and imap iterations made before go on.
  void close() { core_->close(); }

  /// Waits for every submitted task. Like Python, only after close() or terminate(); a task of
  /// this pool may not call it (it would wait for itself): that raises at once.
  void join() { core_->join(); }

  /// Stops at once: tasks not yet started fail with an error instead of running, running ones stop
  /// after their current item, and every result still completes, so nothing waits forever; imap
  /// iterations raise at their next call. Then waits as join() does.
  void terminate() { core_->terminate(); }

 private:
  template <class Init, class... Args>
  static std::function<detail::WorkerState()> state_maker(Init initializer, Args... args) {
    auto make = [initializer = std::move(initializer), ... args = std::move(args)]() mutable {
      using Made = std::invoke_result_t<Init&, Args&...>;
      if constexpr (std::is_void_v<Made>) {
        std::invoke(initializer, args...);
        return detail::WorkerState{};
      } else {
        using State = std::decay_t<Made>;
        return detail::WorkerState{std::make_shared<State>(std::invoke(initializer, args...)),
                                   typeid(State)};
      }
    };
    // Shared, so that an initializer that cannot be copied still fits in a std::function.
    return [held = std::make_shared<decltype(make)>(std::move(make))] { return (*held)(); };
  }

  template <class T, class OnSuccess, class OnError>
  static auto make_async_state(AsyncCallbacks<OnSuccess, OnError> callbacks) {
    auto state = std::make_shared<detail::AsyncState<T>>();
    if constexpr (!std::is_same_v<OnSuccess, NoCallback>) {
      state->on_success = [held = std::make_shared<OnSuccess>(std::move(callbacks.on_success))](
                              const T& result) { std::invoke(*held, result); };
    }
    if constexpr (!std::is_same_v<OnError, NoCallback>) {
      state->on_error = [held = std::make_shared<OnError>(std::move(callbacks.on_error))](
                            const std::exception_ptr& error) { std::invoke(*held, error); };
    }
    return state;
  }

  template <class T>
  void launch(detail::AsyncState<T>& state, std::vector<std::shared_ptr<detail::PoolTask>> tasks) {
    state.pool = core_.get();
    state.tasks.assign(tasks.begin(), tasks.end());
    core_->submit(tasks, detail::PoolCore::Caller::new_call);
  }

  template <class R, class F>
  static auto star(F f) {
    return [f = std::move(f)](const auto& tuple) mutable -> R { return std::apply(f, tuple); };
  }

  // The input's items, read once, in order. An exception from reading it leaves the call as it was
  // thrown, before any task is submitted.
  template <class Items>
  static auto copy_items(Items& items) {
    std::vector<std::ranges::range_value_t<Items>> copy;
    if constexpr (std::ranges::sized_range<Items>) {
      copy.reserve(static_cast<std::size_t>(std::ranges::size(items)));
    }
    for (auto it = std::ranges::begin(items); it != std::ranges::end(items); ++it)
      copy.emplace_back(*it);
    return copy;
  }

  std::size_t default_chunksize(std::size_t n) const {
    const std::size_t tasks = 4 * workers();
    return std::max<std::size_t>(1, n / tasks + (n % tasks != 0 ? 1 : 0));
  }

  template <class R, class Item, class F, class OnSuccess, class OnError>
  AsyncResult<std::vector<R>> map_items(std::vector<Item> items, F f, std::size_t chunksize,
                                        AsyncCallbacks<OnSuccess, OnError> callbacks) {
    auto state = make_async_state<std::vector<R>>(std::move(callbacks));
    const std::size_t n = items.size();
    if (n == 0) {
      state->complete(std::vector<R>{}, nullptr);
      return AsyncResult<std::vector<R>>(std::move(state));
    }
    if (chunksize == 0) chunksize = default_chunksize(n);
    // Written so that no chunksize, up to SIZE_MAX, can overflow.
    const std::size_t chunks = n / chunksize + (n % chunksize != 0 ? 1 : 0);
    auto job =
        std::make_shared<detail::MapJob<R, Item, F>>(std::move(items), std::move(f), chunks, state);
    std::vector<std::shared_ptr<detail::PoolTask>> tasks;
    tasks.reserve(chunks);
    for (std::size_t begin = 0; begin < n;) {
      const std::size_t end = begin + std::min(chunksize, n - begin);
      tasks.push_back(std::make_shared<detail::MapChunk<R, Item, F>>(job, begin, end));
      begin = end;
    }
    job.reset();  // the chunks own the job from here
    launch(*state, std::move(tasks));
    return AsyncResult<std::vector<R>>(std::move(state));
  }

  template <bool Ordered, class F, class View>
  auto make_imap(F f, View items, std::size_t chunksize, std::size_t max_chunks_in_flight) {
    using Item = std::ranges::range_value_t<View>;
    using R = result_of<F, View>;
    using Results = ImapResults<R, View, Ordered>;
    core_->check_accepting(detail::PoolCore::Caller::new_call);
    auto shared_f = std::make_shared<F>(std::move(f));
    typename Results::MakeChunk make_chunk =
        [shared_f](std::vector<Item> chunk, std::size_t first_index, std::size_t number,
                   std::shared_ptr<typename Results::Mailbox> mailbox)
        -> std::shared_ptr<detail::PoolTask> {
      return std::make_shared<detail::ImapChunk<R, Item, F>>(
          shared_f, std::move(chunk), first_index, number, std::move(mailbox));
    };
    const std::size_t bound = max_chunks_in_flight != 0 ? max_chunks_in_flight : 2 * workers();
    return Results(core_, std::move(items), std::max<std::size_t>(chunksize, 1), bound,
                   std::move(make_chunk));
  }

  std::shared_ptr<detail::PoolCore> core_;
};

}  // namespace mrtbb
