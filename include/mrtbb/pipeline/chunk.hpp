#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

/// A unit of work of the map phase: about `grain` bytes from one or more inputs. Many small files
/// share a chunk; a large file is spread over many.
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

  TextSegment segment(const Piece& piece) const noexcept {
    return {std::string_view(buffer).substr(piece.begin, piece.size), piece.path, piece.input,
            piece.starts_mid_line, piece.line_head};
  }

  void clear() noexcept {
    input_bytes = 0;
    buffer.clear();
    pieces.clear();
  }
};

}  // namespace mrtbb
