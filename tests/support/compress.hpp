#pragma once

// Compressed test inputs, made with zlib and libzstd: gzip files of one or more members and zstd
// files of one or more frames, each member or frame holding the next piece of the text.

#include <zlib.h>
#include <zstd.h>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mrtbb::testing {

/// `text` cut into `parts` pieces of about equal size (the last takes what is left).
inline std::vector<std::string_view> pieces_of(std::string_view text, std::size_t parts) {
  std::vector<std::string_view> pieces;
  const std::size_t step = parts == 0 ? text.size() : text.size() / parts;
  for (std::size_t i = 0; i + 1 < parts; ++i)
    pieces.push_back(text.substr(i * step, step));
  pieces.push_back(text.substr(parts == 0 ? 0 : (parts - 1) * step));
  return pieces;
}

/// A gzip member holding `text`, deflated at `level` (0-9).
inline std::string gzip_member(std::string_view text, int level) {
  z_stream stream{};
  if (deflateInit2(&stream, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(text.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
  return out;
}

/// `text` as a gzip file of `members` members (as `cat a.gz b.gz` makes).
inline std::string gzip(std::string_view text, int level = 6, std::size_t members = 1) {
  std::string out;
  for (std::string_view piece : pieces_of(text, members))
    out += gzip_member(piece, level);
  return out;
}

/// `text` as a zstd file of `frames` frames, each compressed at `level`.
inline std::string zstd(std::string_view text, int level = 3, std::size_t frames = 1) {
  std::string out;
  for (std::string_view piece : pieces_of(text, frames)) {
    std::string frame(ZSTD_compressBound(piece.size()), '\0');
    const std::size_t size =
        ZSTD_compress(frame.data(), frame.size(), piece.data(), piece.size(), level);
    if (ZSTD_isError(size)) throw std::runtime_error(ZSTD_getErrorName(size));
    frame.resize(size);
    out += frame;
  }
  return out;
}

}  // namespace mrtbb::testing
