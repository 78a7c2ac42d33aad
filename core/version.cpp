#include "mrtbb/version.hpp"

namespace mrtbb {

// Compiled into the library, so that it reports the headers the library was built with rather
// than those of the program that calls it.
Version version() noexcept {
  return header_version;
}

}  // namespace mrtbb
