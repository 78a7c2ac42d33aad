#pragma once

// Counting the words (or any strings) of files: run_text_job, the tokenizers and WordSplitter.
// A narrower include than mrtbb/mrtbb.hpp; docs/package.md gives each one's compile time.

#include "mrtbb/core/errors.hpp"
#include "mrtbb/pipeline/inputs.hpp"      // paths, directories and stdin
#include "mrtbb/pipeline/text_job.hpp"    // run_text_job
#include "mrtbb/tokenize/tokenizers.hpp"  // the wordcount rules, as map functions
#include "mrtbb/tokenize/words.hpp"  // WordSplitter: the rules' words for a map function of yours
#include "mrtbb/version.hpp"
