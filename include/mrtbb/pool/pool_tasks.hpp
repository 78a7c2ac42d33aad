#pragma once

// The tasks Pool calls are made of: one apply, a chunk of a map, a chunk of an imap. Each runs its
// items under the pool's retry policy, lets go of what the call gave it as soon as it is done, and
// hands its results over.

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "mrtbb/core/retry_policy.hpp"
#include "mrtbb/pool/async_result.hpp"
#include "mrtbb/pool/pool_core.hpp"
#include "mrtbb/pool/task_errors.hpp"

namespace mrtbb::detail {

/// What came of one item: its value, or how it failed.
template <class R>
struct ItemOutcome {
  std::optional<R> value;
  std::optional<ItemFailure> failure;
};

/// Runs call() for item `index` under the pool's retry policy.
template <class R, class Call>
ItemOutcome<R> run_item(TaskContext& context, std::size_t index, Call&& call) {
  if (std::exception_ptr reason = context.reason_to_skip()) {
    return {std::nullopt, ItemFailure{index, std::move(reason), 0}};
  }
  std::optional<R> value;
  const AttemptOutcome outcome = run_with_retries(context.retry(), [&](std::size_t) {
    value.reset();
    value.emplace(call());
  });
  context.count_retries(outcome.attempts - 1);
  if (outcome.error) return {std::nullopt, ItemFailure{index, outcome.error, outcome.attempts}};
  return {std::move(value), std::nullopt};
}

template <class R, class Call>
class ApplyTask final : public PoolTask {
 public:
  ApplyTask(Call call, std::shared_ptr<AsyncState<R>> state)
      : call_(std::move(call)), state_(std::move(state)) {}

  void run(TaskContext& context) noexcept override {
    ItemOutcome<R> outcome = run_item<R>(context, 0, *call_);
    call_.reset();  // the function and its arguments go before the result is ready
    const auto state = std::move(state_);
    if (outcome.failure) {
      state->complete(std::nullopt, outcome.failure->error);
    } else {
      state->complete(std::move(outcome.value), nullptr);
    }
  }

 private:
  std::optional<Call> call_;
  std::shared_ptr<AsyncState<R>> state_;
};

/// One map call: its items, its function, and the results its chunks fill in.
template <class R, class Item, class F>
struct MapJob {
  MapJob(std::vector<Item> in, F fn, std::size_t chunks,
         std::shared_ptr<AsyncState<std::vector<R>>> st)
      : items(std::move(in)),
        f(std::move(fn)),
        results(items.size()),
        chunks_left(chunks),
        state(std::move(st)) {}

  // After the last chunk: nothing the call was given outlives it, then the result is ready.
  void finish() noexcept {
    items = {};
    f.reset();
    const auto done = std::move(state);
    if (!failures.empty()) {
      std::sort(failures.begin(), failures.end(),
                [](const ItemFailure& a, const ItemFailure& b) { return a.index < b.index; });
      done->complete(std::nullopt, exception_for(std::move(failures)));
      return;
    }
    std::vector<R> values;
    values.reserve(results.size());
    for (auto& result : results)
      values.push_back(std::move(*result));
    results = {};
    done->complete(std::move(values), nullptr);
  }

  std::vector<Item> items;
  std::optional<F> f;
  std::vector<std::optional<R>> results;
  std::mutex mutex;
  std::vector<ItemFailure> failures;
  std::atomic<std::size_t> chunks_left;
  std::shared_ptr<AsyncState<std::vector<R>>> state;
};

template <class R, class Item, class F>
class MapChunk final : public PoolTask {
 public:
  MapChunk(std::shared_ptr<MapJob<R, Item, F>> job, std::size_t begin, std::size_t end)
      : job_(std::move(job)), begin_(begin), end_(end) {}

  void run(TaskContext& context) noexcept override {
    const auto job = std::move(job_);
    std::vector<ItemFailure> failed;
    for (std::size_t i = begin_; i < end_; ++i) {
      ItemOutcome<R> outcome = run_item<R>(
          context, i, [&] { return std::invoke(*job->f, std::as_const(job->items[i])); });
      if (outcome.failure) {
        failed.push_back(std::move(*outcome.failure));
      } else {
        job->results[i] = std::move(outcome.value);
      }
    }
    if (!failed.empty()) {
      std::lock_guard lock(job->mutex);
      job->failures.insert(job->failures.end(), failed.begin(), failed.end());
    }
    if (job->chunks_left.fetch_sub(1, std::memory_order_acq_rel) == 1) job->finish();
  }

 private:
  std::shared_ptr<MapJob<R, Item, F>> job_;
  std::size_t begin_;
  std::size_t end_;
};

/// The outcome of one item of an imap: its position in the input, and its value or its error.
template <class R>
struct ImapOutcome {
  std::size_t index;
  std::optional<R> value;
  std::exception_ptr error;
};

/// Where an imap's chunks leave their outcomes for the reader, by chunk number.
template <class R>
struct ImapMailbox {
  std::mutex mutex;
  std::condition_variable delivered;
  std::map<std::size_t, std::vector<ImapOutcome<R>>> finished;
};

template <class R, class Item, class F>
class ImapChunk final : public PoolTask {
 public:
  ImapChunk(std::shared_ptr<F> f, std::vector<Item> items, std::size_t first_index,
            std::size_t number, std::shared_ptr<ImapMailbox<R>> mailbox)
      : f_(std::move(f)),
        items_(std::move(items)),
        first_index_(first_index),
        number_(number),
        mailbox_(std::move(mailbox)) {}

  void run(TaskContext& context) noexcept override {
    std::vector<ImapOutcome<R>> outcomes;
    outcomes.reserve(items_.size());
    for (std::size_t k = 0; k < items_.size(); ++k) {
      const std::size_t index = first_index_ + k;
      ItemOutcome<R> outcome =
          run_item<R>(context, index, [&] { return std::invoke(*f_, std::as_const(items_[k])); });
      outcomes.push_back(
          {index, std::move(outcome.value), outcome.failure ? outcome.failure->error : nullptr});
    }
    items_ = {};
    f_.reset();
    const auto mailbox = std::move(mailbox_);
    {
      std::lock_guard lock(mailbox->mutex);
      mailbox->finished.emplace(number_, std::move(outcomes));
    }
    mailbox->delivered.notify_all();
  }

 private:
  std::shared_ptr<F> f_;
  std::vector<Item> items_;
  std::size_t first_index_;
  std::size_t number_;
  std::shared_ptr<ImapMailbox<R>> mailbox_;
};

}  // namespace mrtbb::detail
