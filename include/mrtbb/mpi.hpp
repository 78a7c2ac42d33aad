#pragma once

// mrtbb across processes, on MPI (link mrtbb::mpi): the same file jobs on every rank of a
// communicator, each rank on its share of the inputs with its own TBB workers.

#include "mrtbb/mpi/cluster_options.hpp"  // the communicator and the shuffle's round size
#include "mrtbb/mpi/communicator.hpp"
#include "mrtbb/mpi/environment.hpp"     // MPI for the life of main()
#include "mrtbb/mpi/errors.hpp"          // PeerError: another rank's part failed
#include "mrtbb/mpi/file_job.hpp"        // mpi::run_file_job
#include "mrtbb/mpi/input_split.hpp"     // which bytes each rank reads
#include "mrtbb/mpi/ordered_gather.hpp"  // results to rank 0 in order
#include "mrtbb/mpi/shuffle.hpp"         // pairs to the rank that owns their key
#include "mrtbb/mpi/text_job.hpp"        // mpi::run_text_job: counts
