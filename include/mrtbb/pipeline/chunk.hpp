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
  /// Index of the input (in the job's expanded input list) that this text comes from.
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
    std::size_t begin;
    std::size_t size;
    bool starts_mid_line;
    std::string line_head;
  };

  std::uint64_t index = 0;
  std::string buffer;
  std::vector<Piece> pieces;

  TextSegment segment(const Piece& piece) const noexcept {
    return {std::string_view(buffer).substr(piece.begin, piece.size), piece.input,
            piece.starts_mid_line, piece.line_head};
  }

  void clear() noexcept {
    buffer.clear();
    pieces.clear();
  }
};

}  // namespace mrtbb
