#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ranges>
#include <utility>
#include <vector>

#include "mrtbb/pool/task_errors.hpp"

namespace mrtbb {

/// The outcome of one item of an imap: its value, or how it failed.
template <class R>
struct ImapOutcome {
  std::size_t index;
  std::optional<R> value;
  std::optional<ItemFailure> failure;
};

/// The lazy results of Pool::imap (Ordered) and Pool::imap_unordered. Items are read and submitted
/// from the reading thread as results are taken, never more than `bound` chunks ahead.
template <class R, class View, bool Ordered>
class ImapResults {
 public:
  using Item = std::ranges::range_value_t<View>;
  /// imap yields R; imap_unordered yields (item index, R).
  using value_type = std::conditional_t<Ordered, R, std::pair<std::size_t, R>>;
  using Deliver = std::function<void(std::vector<ImapOutcome<R>>)>;
  using RunChunk = std::function<void(std::vector<Item>, std::size_t, Deliver)>;

  ImapResults(View items, std::size_t chunksize, std::size_t bound, RunChunk run_chunk)
      : items_(std::move(items)),
        next_item_(std::ranges::begin(items_)),
        chunksize_(chunksize),
        bound_(bound),
        run_chunk_(std::move(run_chunk)),
        shared_(std::make_shared<Shared>()) {}

  ImapResults(const ImapResults&) = delete;
  ImapResults& operator=(const ImapResults&) = delete;
  ImapResults(ImapResults&&) = default;

  /// The next result, or nullopt when every item has been seen. An item that failed for good
  /// throws TaskError for that item; the iteration can go on after it, as in Python.
  std::optional<value_type> next() {
    if (current_.empty() && !take_chunk()) return std::nullopt;
    ImapOutcome<R> outcome = std::move(current_.front());
    current_.erase(current_.begin());
    fill();
    if (outcome.failure) throw TaskError({*outcome.failure});
    if constexpr (Ordered) {
      return std::move(*outcome.value);
    } else {
      return value_type(outcome.index, std::move(*outcome.value));
    }
  }

  /// Chunks submitted and not yet taken by the reader: never more than the bound.
  std::size_t chunks_in_flight() const noexcept { return in_flight_; }
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
  struct Shared {
    std::mutex mutex;
    std::condition_variable delivered;
    std::map<std::size_t, std::vector<ImapOutcome<R>>> finished;  // by chunk number
  };

  void fill() {
    while (!exhausted_ && in_flight_ < bound_) {
      std::vector<Item> chunk;
      const std::size_t first = items_read_;
      for (; chunk.size() < chunksize_ && next_item_ != std::ranges::end(items_); ++next_item_) {
        chunk.push_back(*next_item_);
      }
      items_read_ += chunk.size();
      if (chunk.size() < chunksize_) exhausted_ = true;
      if (chunk.empty()) break;
      const std::size_t number = submitted_++;
      ++in_flight_;
      run_chunk_(std::move(chunk), first, [shared = shared_, number](auto outcomes) {
        {
          std::lock_guard lock(shared->mutex);
          shared->finished.emplace(number, std::move(outcomes));
        }
        shared->delivered.notify_all();
      });
    }
  }

  bool take_chunk() {
    fill();
    if (in_flight_ == 0) return false;
    std::unique_lock lock(shared_->mutex);
    shared_->delivered.wait(lock, [&] {
      return Ordered ? shared_->finished.count(taken_) > 0 : !shared_->finished.empty();
    });
    auto found = Ordered ? shared_->finished.find(taken_) : shared_->finished.begin();
    current_ = std::move(found->second);
    shared_->finished.erase(found);
    ++taken_;
    --in_flight_;
    return true;
  }

  View items_;
  std::ranges::iterator_t<View> next_item_;
  std::size_t chunksize_;
  std::size_t bound_;
  RunChunk run_chunk_;
  std::shared_ptr<Shared> shared_;
  std::vector<ImapOutcome<R>> current_;
  std::size_t items_read_ = 0;
  std::size_t submitted_ = 0;
  std::size_t taken_ = 0;
  std::size_t in_flight_ = 0;
  bool exhausted_ = false;
};

}  // namespace mrtbb
