#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mrtbb/core/options.hpp"

namespace mrtbb {

/// The name under which standard input is listed and reported.
inline constexpr const char* stdin_name = "-";

/// One file (or stdin) that a text job will read.
struct InputFile {
  std::string path;  ///< as the user gave it, or found below a directory the user gave
  /// Size of a regular file when listed, for progress; 0 for stdin and other streams.
  std::uint64_t size = 0;
  /// Found in a directory walk: read only if it is still a regular file when opened, so that a file
  /// replaced by a FIFO or a device since the walk can never block the job.
  bool found_in_walk = false;
  /// For a file found in a directory walk, where its name begins in `path`, after its directory
  /// (which ends with '/'): readers open it relative to the directory. 0: opened by `path`.
  std::size_t name_offset = 0;
  /// Standard input, a FIFO or a device: nothing tells how much it holds before it is read.
  bool is_stream = false;
  bool is_stdin() const noexcept { return path == stdin_name; }

  // A share of a regular file (the part of it one process of a job across processes reads; see
  // mpi/input_split.hpp). By default the whole file.
  /// Where reading starts: the first byte of a line.
  std::uint64_t offset = 0;
  /// How many bytes to read from `offset`; none: up to the end, as it is when read.
  std::optional<std::uint64_t> length = std::nullopt;
  /// The number of the line at `offset`, for jobs over records.
  std::uint64_t first_line = 1;
  /// The input's place among all the inputs of the job, for TextSegment::input; none: its place in
  /// the list being read.
  std::optional<std::size_t> ordinal = std::nullopt;
  /// Known to be compressed when listed (only jobs across processes look): its bytes cannot be
  /// split between processes, so one reads it whole.
  bool compressed = false;

  /// The bytes this input is expected to bring, as far as its listed size tells.
  std::uint64_t expected_bytes() const noexcept {
    const std::uint64_t after_offset = size > offset ? size - offset : 0;
    return length ? std::min(*length, after_offset) : after_offset;
  }
};

/// An input that was left out under ErrorPolicy::skip_and_report.
struct InputFailure {
  std::string input;
  std::string reason;
};

/// An entry of a directory walk that was left out, and why ("not a regular file (a FIFO)").
struct SkippedInput {
  std::string path;
  std::string reason;
};

/// An input that was read whole but not as it was when opened, e.g. a file that changed size while
/// it was read: its counts are those of the bytes read.
struct InputWarning {
  std::string input;
  std::string message;
};

/// Expands the paths a user gave: "-" stands for stdin, a directory is walked, and anything else is
/// kept as an input and read as a stream (a regular file, a FIFO, a device).
///
/// A walk goes depth first, each directory's entries in byte order of their names. It leaves out
/// the entries `walk` filters (hidden names unless walk.hidden, and walk.exclude), silently: a
/// directory left out is not walked, and nothing of it is listed as skipped. It lists
/// regular files and symbolic links to regular files, and a link that cannot be followed (so that
/// reading it reports why); it does not follow links to directories (they could loop). Everything
/// else (FIFOs, sockets, devices, and links to them) is left out and appended to `skipped`: a
/// walk never lists what could block when opened or never end when read.
///
/// A path that does not exist or a directory that cannot be listed throws InputError under
/// ErrorPolicy::fail, and is appended to `failures` under ErrorPolicy::skip_and_report.
std::vector<InputFile> expand_inputs(const std::vector<std::string>& paths, ErrorPolicy policy,
                                     std::vector<InputFailure>& failures,
                                     std::vector<SkippedInput>& skipped,
                                     const WalkOptions& walk = {});

}  // namespace mrtbb
