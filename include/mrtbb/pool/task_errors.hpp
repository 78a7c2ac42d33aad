#pragma once

#include <cstddef>
#include <exception>
#include <string>
#include <vector>

#include "mrtbb/core/errors.hpp"
#include "mrtbb/core/retry_policy.hpp"

namespace mrtbb {

/// One item whose task still failed after its last try.
struct ItemFailure {
  std::size_t index;         ///< position of the item in the input
  std::exception_ptr error;  ///< the exception of the last try
  std::size_t attempts;      ///< tries made (0: the item never ran)
};

/// Thrown when several items of one Pool call failed for good (a single failed item is rethrown
/// as it was thrown). Every failed item is listed, in input order, with its own exception; what()
/// names the first.
class TaskError : public Error {
 public:
  explicit TaskError(std::vector<ItemFailure> failures);
  const std::vector<ItemFailure>& failures() const noexcept { return failures_; }

 private:
  std::vector<ItemFailure> failures_;
};

/// What a call whose items failed raises: the one item's own exception, or a TaskError holding
/// each. `failures` must be in input order and not empty.
std::exception_ptr exception_for(std::vector<ItemFailure> failures);

}  // namespace mrtbb
