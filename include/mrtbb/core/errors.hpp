#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace mrtbb {

/// The base of every exception the library throws itself.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A setting of Options that cannot be honoured.
class OptionsError : public Error {
 public:
  using Error::Error;
};

/// An input that could not be opened, listed or read.
class InputError : public Error {
 public:
  InputError(std::string input, std::string reason);
  const std::string& input() const noexcept { return input_; }
  const std::string& reason() const noexcept { return reason_; }

 private:
  std::string input_;
  std::string reason_;
};

/// A user's map function threw. The original exception is nested inside it
/// (std::rethrow_if_nested gets it back).
class MapError : public Error {
 public:
  /// A failure while mapping a chunk of a text input.
  MapError(std::string input, std::uint64_t chunk, const std::string& cause);
  /// A failure while mapping one item of an item job.
  MapError(std::size_t item, const std::string& cause);

  /// The input's name for text jobs; empty for item jobs.
  const std::string& input() const noexcept { return input_; }
  std::optional<std::uint64_t> chunk() const noexcept { return chunk_; }
  std::optional<std::size_t> item() const noexcept { return item_; }

 private:
  std::string input_;
  std::optional<std::uint64_t> chunk_;
  std::optional<std::size_t> item_;
};

/// A user's reduce function threw; the original exception is nested inside it.
class ReduceError : public Error {
 public:
  explicit ReduceError(const std::string& cause);
};

/// A user's callback other than map and reduce threw: a retry predicate, a progress or map-task
/// observer, a Pool initializer or completion callback. The original exception is nested inside it.
class CallbackError : public Error {
 public:
  CallbackError(std::string callback, const std::string& cause);
  /// Which callback threw, e.g. "RetryPolicy::retryable".
  const std::string& callback() const noexcept { return callback_; }

 private:
  std::string callback_;
};

/// A wait with a time limit (AsyncResult::get, an imap's next) ran out of time before the result
/// was ready. The wait can be tried again.
class TimeoutError : public Error {
 public:
  using Error::Error;
};

/// Inside a catch block for an exception thrown by the callback named `callback`: that exception
/// wrapped in a CallbackError (nested inside it), as a stored exception.
std::exception_ptr current_callback_error(const std::string& callback);

/// The message of whatever exception is being handled, for use inside a catch block.
std::string current_exception_message();

/// Calls a user's callback; an exception from it leaves as a CallbackError naming `callback`, with
/// the original nested.
template <class F, class... Args>
decltype(auto) call_callback(const char* callback, F&& f, Args&&... args) {
  try {
    return std::invoke(std::forward<F>(f), std::forward<Args>(args)...);
  } catch (...) {
    std::throw_with_nested(CallbackError(callback, current_exception_message()));
  }
}

/// Throws `error` with the stored exception `cause` nested in it, as std::throw_with_nested does
/// inside a catch block.
template <class E>
[[noreturn]] void throw_with_cause(E error, const std::exception_ptr& cause) {
  try {
    std::rethrow_exception(cause);
  } catch (...) {
    std::throw_with_nested(std::move(error));
  }
}

/// The message of a stored exception.
std::string exception_message(const std::exception_ptr& error);

}  // namespace mrtbb
