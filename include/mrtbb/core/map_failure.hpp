#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

namespace mrtbb {

/// A map task that still failed after its last try and was left out of the job under
/// ErrorPolicy::skip_and_report. Nothing it emitted is in the results.
struct MapFailure {
  /// Text jobs: the input whose text was being mapped. Item jobs: empty.
  std::string input;
  /// Text jobs: the index of the chunk within the job. Item jobs: the index of the item.
  std::uint64_t position = 0;
  std::string reason;        ///< what() of the last try's exception
  std::exception_ptr error;  ///< the last try's exception
  std::size_t attempts = 0;  ///< tries made
};

}  // namespace mrtbb
