#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mrtbb/core/errors.hpp"
#include "mrtbb/core/options.hpp"
#include "mrtbb/pipeline/chunk.hpp"
#include "mrtbb/pipeline/chunk_boundary.hpp"
#include "mrtbb/pipeline/inputs.hpp"
#include "mrtbb/pipeline/walked_directory.hpp"

namespace mrtbb {

namespace detail {
class Decompressor;
}

/// The reason a ChunkReader gives for a binary file it left out of a directory walk.
inline constexpr const char* binary_file_reason = "binary file";

/// How many bytes at the start of a file decide whether it is binary: a NUL byte among them makes
/// it so (as grep and ripgrep decide).
inline constexpr std::size_t binary_probe_bytes = 8192;

/// Whether the file at `path` starts with the magic bytes of a compressed format the reader
/// decompresses (false for what cannot be opened, or is not a regular file: reading it tells why).
bool starts_compressed(const std::string& path);

/// Whether a ChunkReader tells each piece the number of its first line (Chunk::Piece::first_line).
/// Numbering costs a count of the line feeds of every piece in the serial stage, so only jobs over
/// records ask for it.
enum class LineNumbering { off, on };

/// Whether a ChunkReader reads small files itself or hands them out unread.
///
/// With `hand_out`, next() gives a run of regular files each smaller than the grain, together
/// listed with at most a grain of bytes, as a chunk that holds only their range
/// (Chunk::small_files); a ChunkReader over that range reads them in the pipeline's parallel stage.
/// For many small files the serial stage then costs a little arithmetic per file instead of the
/// system calls of opening, probing, reading and closing it. Streams, stdin and shares of a file
/// (InputFile::offset, InputFile::length) are always read by the reader itself.
enum class SmallFiles { read, hand_out };

/// Reads the inputs of a text job, one after the other, into chunks of about `grain` bytes.
///
/// A chunk is cut after its last line feed, or, in a line longer than the grain, where the map
/// function's ChunkBoundary allows; where it allows no cut yet (a token longer than the grain), the
/// chunk grows a grain at a time until it does. Not thread-safe: it is the serial first stage of
/// the pipeline.
///
/// Sizes guide reading only: a regular file is read in reads sized by what it held when opened, and
/// in full reads once it holds more, whatever it was listed with; one that changed size while it
/// was read is named in warnings(). A read that asks a byte past the size a file was opened with
/// and stops exactly there ends it: the file had that size then, and is not asked again. A file
/// that fits in the room left in a chunk is read straight into the chunk.
///
/// An input that starts with the magic bytes of gzip (1f 8b) or zstd (28 b5 2f fd) is decompressed
/// as it is read, whatever its name, and chunks are cut in its decompressed text as in plain text;
/// corrupt or truncated data fails the input like a read error. A file found in a directory walk
/// whose (decompressed) first binary_probe_bytes hold a NUL byte is binary: it is left out and
/// named in skipped(); one the user named is read like any other. bytes_read() counts the bytes
/// read from the inputs, compressed as they are stored, and not those of skipped files.
class ChunkReader {
 public:
  /// `boundary` must outlive the reader.
  ChunkReader(const std::vector<InputFile>& inputs, std::size_t grain, ErrorPolicy policy,
              std::vector<InputFailure>& failures,
              const ChunkBoundary& boundary = *ascii_whitespace_boundary(),
              LineNumbering numbering = LineNumbering::off,
              SmallFiles small_files = SmallFiles::read);
  /// Reads only `range` of `inputs` (a chunk's Chunk::small_files): chunk indexes count from 0, and
  /// pieces name their inputs by their place in all of `inputs`.
  ChunkReader(const std::vector<InputFile>& inputs, InputRange range, std::size_t grain,
              ErrorPolicy policy, std::vector<InputFailure>& failures,
              const ChunkBoundary& boundary, LineNumbering numbering);
  ~ChunkReader();
  ChunkReader(const ChunkReader&) = delete;
  ChunkReader& operator=(const ChunkReader&) = delete;

  /// Fills `chunk` with the next piece of work; false once every input is read.
  bool next(Chunk& chunk);

  std::uint64_t bytes_read() const noexcept { return bytes_read_; }
  std::size_t inputs_read() const noexcept { return inputs_read_; }
  std::uint64_t chunks_read() const noexcept { return chunks_; }
  /// Bytes of the largest chunk handed out so far.
  std::size_t largest_chunk() const noexcept { return largest_chunk_; }
  /// read(2) calls made so far.
  std::uint64_t read_calls() const noexcept { return read_calls_; }
  /// Inputs that changed size while they were read, with what changed.
  const std::vector<InputWarning>& warnings() const noexcept { return warnings_; }
  /// Binary files found in directory walks that were left out, each with binary_file_reason.
  const std::vector<SkippedInput>& skipped() const noexcept { return skipped_; }
  /// Moves what the reader noted since the last call (failures, skipped files, warnings) to the
  /// end of `notes`, to travel with the chunk just read.
  void hand_over_notes(ReadNotes& notes);

 private:
  /// Opens the next input to read here; false at the end of the inputs or before an input to hand
  /// out unread. Its first bytes may be read to the end of `buffer`, the chunk's.
  bool open_next(std::string& buffer);
  /// Opens a file other than stdin (one found in a walk relative to its directory); -1 with errno
  /// on failure.
  int open_input(const InputFile& input);
  bool hands_out(const InputFile& input) const noexcept;
  /// Puts the small files from next_input_ on into `chunk` unread.
  void hand_out_small_files(Chunk& chunk);
  /// Looks at the start of the input just opened: sets up decompression where its magic bytes say
  /// so, and tells a binary file found in a walk. False when the input is not to be read. The
  /// first bytes are read into `buffer` when the file fits there whole, else ahead into pending_.
  bool start_reading(const InputFile& input, std::string& buffer);
  /// Whether the text read to `head` from `begin` on starts binary, reading it there up to
  /// binary_probe_bytes.
  bool begins_binary(std::string& head, std::size_t begin);
  /// Whether the file a share is of starts binary, looked at where it lies.
  bool share_begins_binary();
  void close_current() noexcept;
  /// Appends up to `limit` bytes of the current input, read-ahead first; false at its end.
  bool read_more(std::string& buffer, std::size_t limit);
  /// Appends up to `want` bytes of the input's text (decompressed where it is compressed).
  bool read_from_input(std::string& buffer, std::size_t want);
  /// Appends up to `want` bytes as stored in the input.
  bool read_raw(std::string& buffer, std::size_t want);
  /// Gives back buffer[cut, end) to be read again before the rest of the input.
  void unread(std::string& buffer, std::size_t cut);
  void fail(const std::string& reason);
  void warn_if_resized();
  /// Where to end the piece buffer[begin, end): an index of `buffer`, or npos for nowhere yet.
  /// `searched` bytes of the piece were searched before without finding a cut.
  std::size_t find_cut(const std::string& buffer, std::size_t begin, std::size_t searched) const;
  // Calls the boundary rule; what it throws becomes a CallbackError naming it and the input.
  template <class Call>
  decltype(auto) ask_boundary(const char* what, Call&& call) const {
    try {
      return call();
    } catch (...) {
      std::throw_with_nested(CallbackError(
          what, current_exception_message() + " (reading '" + inputs_[current_].path + "')"));
    }
  }
  /// Remembers whether the next piece continues a line, and what the boundary keeps of the line.
  void carry_line(std::string_view piece);

  const std::vector<InputFile>& inputs_;
  std::size_t grain_;
  ErrorPolicy policy_;
  std::vector<InputFailure>& failures_;
  const ChunkBoundary& boundary_;
  const LineNumbering numbering_;
  const SmallFiles small_files_;

  std::size_t next_input_ = 0;
  std::size_t end_input_;
  std::size_t current_ = 0;
  int fd_ = -1;
  detail::WalkedDirectory directory_;  // of the walked files opened one after another
  bool read_failed_ = false;
  bool raw_ended_ = false;   // a read of the current input met its end
  bool text_ended_ = false;  // the current input's text (decompressed) is all read
  std::unique_ptr<detail::Decompressor> decompressor_;  // for a compressed current input
  // The size of the current input when it was opened, for a regular file.
  std::optional<std::uint64_t> opened_size_;
  // Bytes the current input is still expected to hold while it has not grown, so that a small file
  // is read into a small part of the buffer.
  std::optional<std::uint64_t> expected_left_;
  // Bytes left of the current input's share, when it is read only in part (InputFile::length).
  std::optional<std::uint64_t> share_left_;
  std::string pending_;  // bytes of the current input read ahead, not yet handed out
  std::size_t pending_pos_ = 0;
  bool mid_line_ = false;        // pending_ continues a line that began in an earlier chunk
  std::string line_head_;        // what the boundary keeps of that line
  std::uint64_t next_line_ = 1;  // number of the line pending_ starts in (with numbering on)
  std::uint64_t chunks_ = 0;
  std::uint64_t bytes_read_ = 0;
  std::uint64_t read_calls_ = 0;
  std::size_t largest_chunk_ = 0;
  std::size_t inputs_read_ = 0;
  std::vector<InputWarning> warnings_;
  std::vector<SkippedInput> skipped_;
};

}  // namespace mrtbb
