#pragma once

// Streaming decompression of gzip and zstd inputs for the ChunkReader. Private to the library: its
// users see decompressed text, never the libraries that make it.

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mrtbb::detail {

enum class Compression { gzip, zstd };

/// The most bytes compression_of() needs to see.
inline constexpr std::size_t magic_bytes = 4;

/// The format whose magic bytes start `head` (gzip: 1f 8b, zstd: 28 b5 2f fd), if any; the name of
/// a file plays no part.
std::optional<Compression> compression_of(std::string_view head);

/// "gzip" or "zstd", for messages.
const char* compression_name(Compression format);

/// Decompression failed: corrupt data or a stream that ends too early. what() is the reason.
struct DecompressionError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Decompresses one input while it is read: compressed bytes come in blocks from a pull function,
/// decompressed bytes go out a bounded amount at a time. Memory stays bounded by the block, the
/// amount asked for and the format's own state (for zstd at most the window its decoder accepts,
/// 128 MiB by default), however much a stream expands. Every member of a gzip file (`cat a.gz
/// b.gz`) and every frame of a zstd file is read, one after the other.
class Decompressor {
 public:
  /// Appends the next compressed block to its argument; false at the end of the input (or when
  /// reading failed, which its caller reports).
  using Pull = std::function<bool(std::string&)>;

  static std::unique_ptr<Decompressor> make(Compression format, std::string first_bytes, Pull pull);
  virtual ~Decompressor() = default;

  /// Writes up to `want` (> 0) decompressed bytes to `out`; returns how many, 0 only at the end of
  /// the last member or frame. Throws DecompressionError for corrupt data or a truncated stream.
  std::size_t read(char* out, std::size_t want);

 protected:
  Decompressor(Compression format, std::string first_bytes, Pull pull)
      : in_(std::move(first_bytes)), format_(format), pull_(std::move(pull)) {}

  /// Decompresses from in_[in_pos_, ...) into out, moving in_pos_; returns the bytes written.
  virtual std::size_t step(char* out, std::size_t want) = 0;
  /// Whether the input may end here: between members or frames, not inside one.
  virtual bool at_boundary() const noexcept = 0;

  std::string in_;
  std::size_t in_pos_ = 0;

 private:
  Compression format_;
  Pull pull_;
  bool input_ended_ = false;
};

}  // namespace mrtbb::detail
