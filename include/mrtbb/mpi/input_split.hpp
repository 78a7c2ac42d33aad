#pragma once

// Which part of a job's inputs each rank reads. The inputs are listed once, by rank 0, and every
// rank takes the same list; they are then split by byte ranges of their concatenation, cut at the
// start of a line, so that one large file is shared by all ranks and many small files are spread
// evenly. Standard input and other streams can be read only once, by one process: rank 0 reads
// them, with every input listed before the last of them. A compressed file (told by its first bytes
// when listed) cannot be split: the rank whose share holds its start reads it whole.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "mrtbb/core/hashing.hpp"
#include "mrtbb/core/options.hpp"
#include "mrtbb/mpi/communicator.hpp"
#include "mrtbb/pipeline/chunk_reader.hpp"
#include "mrtbb/pipeline/inputs.hpp"

namespace mrtbb::mpi {

/// The inputs of a job as rank 0 listed them, the same on every rank.
struct InputListing {
  std::vector<InputFile> inputs;
  /// Paths that could not be listed (skip_and_report), reported by rank 0 for all.
  std::vector<InputFailure> failures;
  std::vector<SkippedInput> skipped;
  /// The seed that places keys on ranks: drawn by rank 0, so that every rank places a key alike.
  HashSeed placement_seed;
};

/// Where a rank's share of the concatenated inputs starts: input `input` from byte `offset`.
struct SharePoint {
  std::size_t input = 0;
  std::uint64_t offset = 0;
  friend auto operator<=>(const SharePoint&, const SharePoint&) = default;
};

/// Lists `paths` on rank 0 (expand_inputs, walks filtered by rank 0's `walk`) and gives the
/// listing to every rank. Collective; on failure (an input that cannot be listed under
/// ErrorPolicy::fail) every rank throws (see agreement.hpp).
InputListing list_inputs(const Communicator& communicator, const std::vector<std::string>& paths,
                         ErrorPolicy policy, const WalkOptions& walk = {});

/// Where each rank's share starts, by rank, and {inputs.size(), 0} at the end. Collective: each
/// rank finds the start of its own share (the first line start at or after its even share of the
/// bytes, or the next input when its input has no later line feed), and every rank learns all.
std::vector<SharePoint> split_inputs(const Communicator& communicator,
                                     const std::vector<InputFile>& inputs);

/// The inputs between `points[rank]` and `points[rank + 1]`: whole inputs, or the part of an input
/// (InputFile::offset and length) where a share starts or ends inside it; each with its ordinal.
std::vector<InputFile> share_of(const std::vector<InputFile>& inputs,
                                const std::vector<SharePoint>& points, int rank);

/// Numbers the first line of each rank's share for jobs over records: a share that starts inside a
/// file starts at the line after all the line feeds of the shares before it. Collective: each rank
/// counts the line feeds of its own share only.
void number_first_lines(const Communicator& communicator, std::vector<InputFile>& share);

}  // namespace mrtbb::mpi
