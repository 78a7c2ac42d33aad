#pragma once

// Jobs with any key and value over files: text_job and record_job descriptions, run_file_job, and
// WordSplitter for map functions that visit words. A narrower include than mrtbb/mrtbb.hpp.

#include "mrtbb/core/errors.hpp"
#include "mrtbb/pipeline/file_job.hpp"  // run_file_job
#include "mrtbb/pipeline/inputs.hpp"    // paths, directories and stdin
#include "mrtbb/tokenize/words.hpp"     // WordSplitter
#include "mrtbb/version.hpp"
