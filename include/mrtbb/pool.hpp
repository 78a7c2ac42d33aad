#pragma once

// Pool: multiprocessing.Pool's map API on threads. A narrower include than mrtbb/mrtbb.hpp.

#include "mrtbb/core/errors.hpp"
#include "mrtbb/core/retry_policy.hpp"  // RetryPolicy for Pool tasks
#include "mrtbb/pool/pool.hpp"
#include "mrtbb/version.hpp"
