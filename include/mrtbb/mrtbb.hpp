#pragma once

// mrtbb: MapReduce on oneTBB. This umbrella header brings in the whole public API.

#include "mrtbb/core/combine.hpp"      // partition stage: thread-local tables combined by key
#include "mrtbb/core/count_table.hpp"  // CountTable and CountEmitter (text jobs)
#include "mrtbb/core/emitter.hpp"      // Emitter (item jobs)
#include "mrtbb/core/errors.hpp"
#include "mrtbb/core/map_failure.hpp"  // a map task left out under skip_and_report
#include "mrtbb/core/map_fold.hpp"     // map_fold: item jobs whose values fold as they are emitted
#include "mrtbb/core/map_reduce.hpp"   // map_reduce and group_by_key over in-memory items
#include "mrtbb/core/options.hpp"
#include "mrtbb/core/reduce.hpp"         // reduce stage, result ordering and top k
#include "mrtbb/core/retry_policy.hpp"   // RetryPolicy for Pool tasks and map tasks
#include "mrtbb/core/serialization.hpp"  // Serializer: keys and values as bytes
#include "mrtbb/core/worker_arena.hpp"   // the threads a job runs on
#include "mrtbb/pipeline/chunk.hpp"
#include "mrtbb/pipeline/chunk_reader.hpp"  // where a chunk is read
#include "mrtbb/pipeline/file_job.hpp"      // run_file_job: any key and value over files
#include "mrtbb/pipeline/inputs.hpp"        // paths, directories and stdin
#include "mrtbb/pipeline/text_job.hpp"      // run_text_job: the pipeline over files
#include "mrtbb/pool/pool.hpp"              // Pool: multiprocessing.Pool's map API on threads
#include "mrtbb/tokenize/tokenizers.hpp"    // the wordcount rules, as map functions
#include "mrtbb/tokenize/utf8.hpp"
#include "mrtbb/tokenize/words.hpp"  // WordSplitter: the rules' words for a map function of yours
#include "mrtbb/version.hpp"
