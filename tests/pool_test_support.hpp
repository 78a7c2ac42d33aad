#pragma once

// What the Pool tests share: inputs, the sequential reference, and a bounded wait for tests of
// hangs.

#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <iterator>
#include <numeric>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace mrtbb::testing {

inline std::vector<int> numbers(int n) {
  std::vector<int> v(static_cast<std::size_t>(n));
  std::iota(v.begin(), v.end(), 0);
  return v;
}

inline long square(int x) {
  return static_cast<long>(x) * x;
}

/// The plain loop every Pool result is checked against.
template <class Items, class F>
auto sequential_map(const Items& items, F f) {
  std::vector<std::decay_t<decltype(f(*std::begin(items)))>> out;
  for (const auto& item : items)
    out.push_back(f(item));
  return out;
}

/// Every value an imap iteration yields, in the order it yields them.
template <class Results>
auto collect(Results&& results) {
  std::vector<typename std::decay_t<Results>::value_type> values;
  for (auto&& value : results)
    values.push_back(value);
  return values;
}

/// The error an input throws while it is read.
struct InputBroke : std::runtime_error {
  explicit InputBroke(int at) : std::runtime_error("input broke at item " + std::to_string(at)) {}
};

/// An input that behaves like a Python generator: it yields 0, 1, ... count - 1 once, from a
/// non-const object, and reading item `throw_at` (if any) throws InputBroke instead. A second
/// begin() is an error, so a test sees whether the Pool read the input more than once.
class GeneratedNumbers {
 public:
  explicit GeneratedNumbers(int count, int throw_at = -1) : count_(count), throw_at_(throw_at) {}

  class iterator {
   public:
    using value_type = int;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    iterator(const GeneratedNumbers* owner, int next) : owner_(owner), next_(next) {}
    int operator*() const {
      if (next_ == owner_->throw_at_) throw InputBroke(next_);
      return next_;
    }
    iterator& operator++() {
      ++next_;
      return *this;
    }
    void operator++(int) { ++*this; }
    bool operator==(std::default_sentinel_t) const { return next_ >= owner_->count_; }

   private:
    const GeneratedNumbers* owner_ = nullptr;
    int next_ = 0;
  };

  iterator begin() {
    if (started_) throw std::logic_error("GeneratedNumbers read twice");
    started_ = true;
    return iterator(this, 0);
  }
  std::default_sentinel_t end() { return {}; }

 private:
  int count_;
  int throw_at_;
  bool started_ = false;
};

/// Runs `work` on a thread of its own and waits at most `limit` for it, so that a test of a hang
/// cannot hang. Work still running at the limit can neither be stopped nor left behind (it uses
/// the test's locals), so the test program then ends at once with a failure message.
template <class Work>
auto finishes_within(std::chrono::seconds limit, const char* what, Work work) {
  using Result = decltype(work());
  std::packaged_task<Result()> task(std::move(work));
  std::future<Result> done = task.get_future();
  std::thread runner(std::move(task));
  if (done.wait_for(limit) != std::future_status::ready) {
    std::fprintf(stderr, "FAILED: %s did not finish within %lld s (hang)\n", what,
                 static_cast<long long>(limit.count()));
    std::fflush(stderr);
    std::_Exit(EXIT_FAILURE);
  }
  runner.join();
  return done.get();
}

constexpr std::chrono::seconds hang_limit{30};

}  // namespace mrtbb::testing
