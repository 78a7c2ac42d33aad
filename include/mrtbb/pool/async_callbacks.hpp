#pragma once

namespace mrtbb {

/// The callback that is not given: does nothing.
struct NoCallback {
  void operator()(const auto&) const noexcept {}
};

/// What to call when an asynchronous Pool call ends (Python's callback and error_callback):
/// on_success(result) or on_error(error), once, on the worker that finished the call, before the
/// result is ready. Passed as its own argument, so neither can be taken for a task argument:
///
///     pool.apply_async(mrtbb::AsyncCallbacks{.on_success = show, .on_error = log}, f, 1, 2);
///
/// (Deducing the types from designated initializers needs GCC 11 or Clang 17; with older
/// compilers name them: AsyncCallbacks<decltype(show), decltype(log)>{show, log}.)
template <class OnSuccess = NoCallback, class OnError = NoCallback>
struct AsyncCallbacks {
  OnSuccess on_success = {};
  OnError on_error = {};
};

}  // namespace mrtbb
