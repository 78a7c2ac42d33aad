#include "mrtbb/pool/task_errors.hpp"

#include <exception>
#include <string>
#include <utility>

namespace mrtbb {

namespace {
std::string describe(const std::vector<ItemFailure>& failures) {
  if (failures.empty()) return "no task failed";
  const ItemFailure& first = failures.front();
  const std::string item = "item " + std::to_string(first.index);
  std::string text = failures.size() == 1
                         ? item + " failed"
                         : std::to_string(failures.size()) + " items failed; the first, " + item;
  if (first.attempts > 1) text += " (after " + std::to_string(first.attempts) + " tries)";
  return text + ": " + exception_message(first.error);
}
}  // namespace

TaskError::TaskError(std::vector<ItemFailure> failures)
    : Error(describe(failures)), failures_(std::move(failures)) {}

std::exception_ptr exception_for(std::vector<ItemFailure> failures) {
  if (failures.size() == 1) return failures.front().error;
  return std::make_exception_ptr(TaskError(std::move(failures)));
}

}  // namespace mrtbb
