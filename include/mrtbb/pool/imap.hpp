#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ranges>
#include <type_traits>
#include <utility>
#include <vector>

#include "mrtbb/core/errors.hpp"
#include "mrtbb/pool/deadline.hpp"
#include "mrtbb/pool/pool_core.hpp"
#include "mrtbb/pool/pool_tasks.hpp"

namespace mrtbb {

/// The lazy results of Pool::imap (Ordered) and Pool::imap_unordered. The input is read on the
/// thread that takes the results, as they are taken, never more than `bound` chunks ahead.
///
/// - An iteration made before close() goes on feeding its own input to the pool; after
///   terminate(), or once the pool is destroyed, next() raises at once.
/// - An input that throws while read at item k: the results of the items before k come first (in
///   order for imap), then the input's exception, once; then the iteration ends.
/// - A failed item raises its task's own exception at its position; the iteration can go on.
template <class R, class View, bool Ordered>
class ImapResults {
 public:
  using Item = std::ranges::range_value_t<View>;
  /// imap yields R; imap_unordered yields (item index, R).
  using value_type = std::conditional_t<Ordered, R, std::pair<std::size_t, R>>;
  using ImapOutcome = detail::ImapOutcome<R>;
  using Mailbox = detail::ImapMailbox<R>;
  /// Makes the task for one chunk: its items, the index of its first item, its number, and where
  /// it leaves its outcomes.
  using MakeChunk = std::function<std::shared_ptr<detail::PoolTask>(
      std::vector<Item>, std::size_t, std::size_t, std::shared_ptr<Mailbox>)>;

  ImapResults(std::shared_ptr<detail::PoolCore> pool, View items, std::size_t chunksize,
              std::size_t bound, MakeChunk make_chunk)
      : pool_(std::move(pool)),
        input_(std::make_unique<Input>(std::move(items))),
        chunksize_(chunksize),
        bound_(bound),
        make_chunk_(std::move(make_chunk)),
        mailbox_(std::make_shared<Mailbox>()) {}

  ImapResults(const ImapResults&) = delete;
  ImapResults& operator=(const ImapResults&) = delete;
  ImapResults(ImapResults&&) = default;
  ImapResults& operator=(ImapResults&&) = delete;

  /// Chunks not started are dropped and running ones are waited for: once the iteration is gone,
  /// nothing calls f, so f may use the caller's locals.
  ~ImapResults() {
    if (!mailbox_) return;  // moved from
    std::vector<std::size_t> running;
    for (const auto& [number, weak] : in_flight_) {
      const auto task = weak.lock();
      if (task && task->claim()) continue;  // claimed here: it never runs
      running.push_back(number);
    }
    std::unique_lock lock(mailbox_->mutex);
    mailbox_->delivered.wait(lock, [&] {
      return std::all_of(running.begin(), running.end(),
                         [&](std::size_t number) { return mailbox_->finished.count(number) > 0; });
    });
  }

  /// The next result, or nullopt when every item has been seen.
  std::optional<value_type> next() { return next_before(std::nullopt); }

  /// As next(), but throws TimeoutError when no result is ready within `timeout`; nothing is lost
  /// and the iteration can go on.
  template <class Rep, class Period>
  std::optional<value_type> next(std::chrono::duration<Rep, Period> timeout) {
    return next_before(detail::deadline_after(timeout));
  }

  /// Chunks submitted and not yet taken by the reader: never more than the bound.
  std::size_t chunks_in_flight() const noexcept { return in_flight_.size(); }
  /// Items read from the input so far.
  std::size_t items_read() const noexcept { return items_read_; }

  class iterator {
   public:
    using value_type = ImapResults::value_type;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    explicit iterator(ImapResults* results) : results_(results) { ++*this; }
    const value_type& operator*() const { return *current_; }
    iterator& operator++() {
      current_ = results_->next();
      return *this;
    }
    void operator++(int) { ++*this; }
    bool operator==(std::default_sentinel_t) const { return !current_.has_value(); }

   private:
    ImapResults* results_ = nullptr;
    std::optional<value_type> current_;
  };

  iterator begin() { return iterator(this); }
  std::default_sentinel_t end() { return {}; }

 private:
  // On the heap, so that moving the results never leaves the input's iterator pointing into a
  // moved-from view. The iterator is made on the first read: an input that can be begun only once
  // is begun once.
  struct Input {
    explicit Input(View v) : items(std::move(v)) {}
    View items;
    std::optional<std::ranges::iterator_t<View>> next;
  };

  std::optional<value_type> next_before(const detail::Deadline& deadline) {
    pool_->check_iterable();
    if (current_.empty()) {
      fill();
      if (in_flight_.empty()) {
        if (input_error_) std::rethrow_exception(std::exchange(input_error_, nullptr));
        return std::nullopt;
      }
      take_chunk(deadline);
    }
    ImapOutcome outcome = std::move(current_.front());
    current_.pop_front();
    if (outcome.error) std::rethrow_exception(outcome.error);
    if constexpr (Ordered) {
      return std::move(*outcome.value);
    } else {
      return value_type(outcome.index, std::move(*outcome.value));
    }
  }

  // Reads and submits chunks until `bound` are in flight or the input ends.
  void fill() {
    while (!input_done_ && in_flight_.size() < bound_) {
      std::vector<Item> chunk = read_chunk();
      if (chunk.empty()) break;
      const std::size_t first = items_read_;
      const std::size_t count = chunk.size();
      auto task = make_chunk_(std::move(chunk), first, submitted_, mailbox_);
      pool_->submit({task}, detail::PoolCore::Caller::live_iterator);
      items_read_ += count;
      in_flight_.emplace(submitted_++, task);
    }
  }

  std::vector<Item> read_chunk() {
    std::vector<Item> chunk;
    try {
      if (!input_->next) input_->next.emplace(std::ranges::begin(input_->items));
      auto& it = *input_->next;
      while (chunk.size() < chunksize_) {
        if (it == std::ranges::end(input_->items)) {
          input_done_ = true;
          break;
        }
        chunk.emplace_back(*it);
        ++it;
      }
    } catch (...) {
      // The items read before the failure still run; the error follows their results.
      input_done_ = true;
      input_error_ = std::current_exception();
    }
    return chunk;
  }

  // Waits for the next chunk (imap: the oldest; imap_unordered: any) and makes it current.
  void take_chunk(const detail::Deadline& deadline) {
    run_awaited_chunk_here();
    std::unique_lock lock(mailbox_->mutex);
    const auto arrived = [&] {
      return Ordered ? mailbox_->finished.count(taken_) > 0 : !mailbox_->finished.empty();
    };
    if (!detail::wait_until(lock, mailbox_->delivered, deadline, arrived)) {
      throw TimeoutError("imap: no result within the timeout");
    }
    auto found = Ordered ? mailbox_->finished.find(taken_) : mailbox_->finished.begin();
    for (auto& outcome : found->second)
      current_.push_back(std::move(outcome));
    in_flight_.erase(found->first);
    mailbox_->finished.erase(found);
    ++taken_;
  }

  // Inside a task of the same pool, the chunk waited for is run here if no worker has started it:
  // a task iterating over its own pool's results never waits for a worker it holds.
  void run_awaited_chunk_here() {
    if (detail::PoolCore::running() != pool_.get()) return;
    for (const auto& [number, weak] : in_flight_) {
      if (Ordered && number != taken_) continue;
      if (auto task = weak.lock(); task && pool_->help(*task)) return;
    }
  }

  std::shared_ptr<detail::PoolCore> pool_;
  std::unique_ptr<Input> input_;
  std::size_t chunksize_;
  std::size_t bound_;
  MakeChunk make_chunk_;
  std::shared_ptr<Mailbox> mailbox_;
  std::map<std::size_t, std::weak_ptr<detail::PoolTask>> in_flight_;  // by chunk number
  std::deque<ImapOutcome> current_;
  std::size_t items_read_ = 0;
  std::size_t submitted_ = 0;
  std::size_t taken_ = 0;  // chunks taken, in order (imap)
  bool input_done_ = false;
  std::exception_ptr input_error_;
};

}  // namespace mrtbb
