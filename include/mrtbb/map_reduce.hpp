#pragma once

// Jobs over items in memory: map_reduce, group_by_key and map_fold. A narrower include than
// mrtbb/mrtbb.hpp.

#include "mrtbb/core/errors.hpp"
#include "mrtbb/core/map_fold.hpp"      // map_fold: values that fold as they are emitted
#include "mrtbb/core/map_reduce.hpp"    // map_reduce and group_by_key
#include "mrtbb/core/retry_policy.hpp"  // RetryPolicy for map tasks
#include "mrtbb/version.hpp"
