#include <exception>
#include <string>
#include <utility>

#include "mrtbb/pool/task_errors.hpp"

namespace mrtbb {

namespace {
std::string describe(const std::vector<ItemFailure>& failures) {
  if (failures.empty()) return "no task failed";
  const std::string cause = exception_message(failures.front().error);
  std::string text = "task for item " + std::to_string(failures.front().index) + " failed after " +
                     std::to_string(failures.front().attempts) + " attempt(s): " + cause;
  if (failures.size() > 1) text += " (and " + std::to_string(failures.size() - 1) + " more items)";
  return text;
}
}  // namespace

TaskError::TaskError(std::vector<ItemFailure> failures)
    : Error(describe(failures)), failures_(std::move(failures)) {}

}  // namespace mrtbb
