#include <exception>
#include <string>
#include <utility>

#include "mrtbb/pool/retry_policy.hpp"

namespace mrtbb {

namespace {
std::string describe(const std::vector<ItemFailure>& failures) {
  if (failures.empty()) return "no task failed";
  std::string cause;
  try {
    std::rethrow_exception(failures.front().error);
  } catch (...) {
    cause = current_exception_message();
  }
  std::string text = "task for item " + std::to_string(failures.front().index) + " failed after " +
                     std::to_string(failures.front().attempts) + " attempt(s): " + cause;
  if (failures.size() > 1) text += " (and " + std::to_string(failures.size() - 1) + " more items)";
  return text;
}
}  // namespace

TaskError::TaskError(std::vector<ItemFailure> failures)
    : Error(describe(failures)), failures_(std::move(failures)) {}

CallbackError::CallbackError(const std::string& cause) : Error("callback failed: " + cause) {}

}  // namespace mrtbb
