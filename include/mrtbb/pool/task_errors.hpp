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
  std::size_t attempts;      ///< tries made
};

/// Thrown when items of a Pool call failed for good. Every failed item is listed, in input order;
/// what() names the first, as Python's Pool.map raises the first failure.
class TaskError : public Error {
 public:
  explicit TaskError(std::vector<ItemFailure> failures);
  const std::vector<ItemFailure>& failures() const noexcept { return failures_; }

 private:
  std::vector<ItemFailure> failures_;
};

}  // namespace mrtbb
