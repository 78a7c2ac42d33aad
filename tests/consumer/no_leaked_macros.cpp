// The whole public API leaves no implementation macro of its dependencies defined in the user's
// code: xxhash is included as a plain library header, not compiled inline.
#include <mrtbb/mrtbb.hpp>

#if defined(XXH_INLINE_ALL) || defined(XXH_PRIVATE_API) || defined(XXH_IMPLEMENTATION)
#error "an mrtbb header defines one of xxhash's inline-implementation macros"
#endif
