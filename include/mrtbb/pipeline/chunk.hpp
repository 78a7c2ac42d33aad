#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "mrtbb/pipeline/inputs.hpp"

namespace mrtbb {

/// The text of one input inside a chunk. A chunk ends after a line feed or where the map function's
/// ChunkBoundary allows, so no token and no UTF-8 character is split between two segments.
struct TextSegment {
  std::string_view text;
  /// The path of the input this text comes from, as the job lists it ("-" for stdin); valid until
  /// the job returns.
  std::string_view path;
  /// The input's place in the job's order of inputs (0 for the first): with a line number, it puts
  /// what a map function reports back in input order.
  std::size_t input = 0;
  /// True when the text continues a line whose start was in an earlier chunk (a line longer than
  /// the grain); `line_head` then holds what the ChunkBoundary kept of the line's earlier pieces
  /// for line-based rules (AsciiWhitespaceBoundary: the line's first bytes).
  bool starts_mid_line = false;
  std::string_view line_head;
};

/// What reading the inputs of a chunk noted beside their text. It travels with the chunk, so that
/// the job reports it in input order whichever thread read the chunk.
struct ReadNotes {
  std::vector<InputFailure> failures;
  std::vector<SkippedInput> skipped;
  std::vector<InputWarning> warnings;
  /// Bytes and inputs read in the parallel stage (small files); the serial reader counts its own.
  std::uint64_t bytes = 0;
  std::size_t inputs = 0;
  std::size_t largest_chunk = 0;
  /// An InputError (ErrorPolicy::fail) met while reading the chunk, thrown once the chunks before
  /// it are done, so that a job names the first input that failed whatever the timing.
  std::exception_ptr error;

  void clear() noexcept {
    failures.clear();
    skipped.clear();
    warnings.clear();
    bytes = 0;
    inputs = 0;
    largest_chunk = 0;
    error = nullptr;
  }
};

/// A run of the job's inputs, [first, last) of its list.
struct InputRange {
  std::size_t first = 0;
  std::size_t last = 0;
  bool empty() const noexcept { return first == last; }
};

/// A unit of work of the map phase: about `grain` bytes from one or more inputs. Many small files
/// share a chunk; a large file is spread over many. A chunk of small files may come from the serial
/// stage unread, as `small_files` only: opening and reading them is then the parallel stage's work.
struct Chunk {
  struct Piece {
    std::size_t input;
    std::string_view path;
    std::size_t begin;
    std::size_t size;
    bool starts_mid_line;
    std::string line_head;
    /// The line number (from 1) of the piece's first line, when the reader numbers lines; else 0.
    std::uint64_t first_line = 0;
  };

  std::uint64_t index = 0;
  /// Bytes read from the inputs to make this chunk, as they are stored (compressed for a compressed
  /// input): what progress counts.
  std::uint64_t input_bytes = 0;
  std::string buffer;
  std::vector<Piece> pieces;
  /// Small files, each smaller than a grain, that the parallel stage is to read into this chunk.
  InputRange small_files;
  ReadNotes notes;

  TextSegment segment(const Piece& piece) const noexcept {
    return {std::string_view(buffer).substr(piece.begin, piece.size), piece.path, piece.input,
            piece.starts_mid_line, piece.line_head};
  }

  void clear() noexcept {
    input_bytes = 0;
    buffer.clear();
    pieces.clear();
    small_files = {};
  }
};

}  // namespace mrtbb
