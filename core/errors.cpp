#include "mrtbb/core/errors.hpp"

#include <exception>
#include <utility>

namespace mrtbb {

InputError::InputError(std::string input, std::string reason)
    : Error("cannot read '" + input + "': " + reason),
      input_(std::move(input)),
      reason_(std::move(reason)) {}

MapError::MapError(std::string input, std::uint64_t chunk, const std::string& cause)
    : Error("map failed on '" + input + "', chunk " + std::to_string(chunk) + ": " + cause),
      input_(std::move(input)),
      chunk_(chunk) {}

MapError::MapError(std::size_t item, const std::string& cause)
    : Error("map failed on item " + std::to_string(item) + ": " + cause), item_(item) {}

ReduceError::ReduceError(const std::string& cause) : Error("reduce failed: " + cause) {}

CallbackError::CallbackError(std::string callback, const std::string& cause)
    : Error(callback + " threw: " + cause), callback_(std::move(callback)) {}

std::exception_ptr current_callback_error(const std::string& callback) {
  try {
    std::throw_with_nested(CallbackError(callback, current_exception_message()));
  } catch (...) {
    return std::current_exception();
  }
}

std::string current_exception_message() {
  try {
    throw;
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

std::string exception_message(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (...) {
    return current_exception_message();
  }
}

}  // namespace mrtbb
