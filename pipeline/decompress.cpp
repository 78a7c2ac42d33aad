#include "pipeline/decompress.hpp"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <climits>
#include <new>

namespace mrtbb::detail {

namespace {

std::size_t at_most_uint(std::size_t n) {
  return std::min<std::size_t>(n, UINT_MAX);
}

class GzipDecompressor final : public Decompressor {
 public:
  GzipDecompressor(std::string first_bytes, Pull pull)
      : Decompressor(Compression::gzip, std::move(first_bytes), std::move(pull)) {
    // 16 + the largest window: gzip framing only, any window the data was compressed with.
    if (inflateInit2(&stream_, 16 + MAX_WBITS) != Z_OK) throw std::bad_alloc();
  }
  ~GzipDecompressor() override { inflateEnd(&stream_); }
  GzipDecompressor(const GzipDecompressor&) = delete;
  GzipDecompressor& operator=(const GzipDecompressor&) = delete;

 private:
  std::size_t step(char* out, std::size_t want) override {
    const std::size_t available = in_.size() - in_pos_;
    if (!in_member_) {
      if (available == 0) return 0;
      // Whatever follows a member is another member (`cat a.gz b.gz`), or else corrupt.
      if (member_ended_ && inflateReset(&stream_) != Z_OK) throw std::bad_alloc();
      in_member_ = true;
    }
    stream_.next_in = reinterpret_cast<Bytef*>(in_.data() + in_pos_);
    stream_.avail_in = static_cast<uInt>(at_most_uint(available));
    stream_.next_out = reinterpret_cast<Bytef*>(out);
    stream_.avail_out = static_cast<uInt>(at_most_uint(want));
    const uInt in_before = stream_.avail_in;
    const uInt out_before = stream_.avail_out;
    const int status = inflate(&stream_, Z_NO_FLUSH);
    in_pos_ += in_before - stream_.avail_in;
    if (status == Z_STREAM_END) {
      in_member_ = false;
      member_ended_ = true;
    } else if (status != Z_OK && status != Z_BUF_ERROR) {
      throw DecompressionError(std::string("invalid gzip data: ") +
                               (stream_.msg != nullptr ? stream_.msg : zError(status)));
    }
    return out_before - stream_.avail_out;
  }

  bool at_boundary() const noexcept override { return !in_member_; }

  z_stream stream_{};
  bool in_member_ = false;
  bool member_ended_ = false;
};

class ZstdDecompressor final : public Decompressor {
 public:
  ZstdDecompressor(std::string first_bytes, Pull pull)
      : Decompressor(Compression::zstd, std::move(first_bytes), std::move(pull)),
        stream_(ZSTD_createDStream()) {
    if (stream_ == nullptr) throw std::bad_alloc();
  }
  ~ZstdDecompressor() override { ZSTD_freeDStream(stream_); }
  ZstdDecompressor(const ZstdDecompressor&) = delete;
  ZstdDecompressor& operator=(const ZstdDecompressor&) = delete;

 private:
  std::size_t step(char* out, std::size_t want) override {
    ZSTD_inBuffer in{in_.data() + in_pos_, in_.size() - in_pos_, 0};
    if (in.size == 0 && !in_frame_) return 0;
    ZSTD_outBuffer output{out, want, 0};
    // A finished frame leaves the stream ready for the next one: every frame is read in turn.
    const std::size_t hint = ZSTD_decompressStream(stream_, &output, &in);
    if (ZSTD_isError(hint)) {
      throw DecompressionError(std::string("invalid zstd data: ") + ZSTD_getErrorName(hint));
    }
    in_pos_ += in.pos;
    in_frame_ = hint != 0;
    return output.pos;
  }

  bool at_boundary() const noexcept override { return !in_frame_; }

  ZSTD_DStream* stream_;
  bool in_frame_ = false;
};

}  // namespace

std::optional<Compression> compression_of(std::string_view head) {
  if (head.starts_with("\x1f\x8b")) return Compression::gzip;
  if (head.starts_with("\x28\xb5\x2f\xfd")) return Compression::zstd;
  return std::nullopt;
}

const char* compression_name(Compression format) {
  return format == Compression::gzip ? "gzip" : "zstd";
}

std::unique_ptr<Decompressor> Decompressor::make(Compression format, std::string first_bytes,
                                                 Pull pull) {
  if (format == Compression::gzip) {
    return std::make_unique<GzipDecompressor>(std::move(first_bytes), std::move(pull));
  }
  return std::make_unique<ZstdDecompressor>(std::move(first_bytes), std::move(pull));
}

std::size_t Decompressor::read(char* out, std::size_t want) {
  for (;;) {
    if (in_pos_ == in_.size() && !input_ended_) {
      in_.clear();
      in_pos_ = 0;
      if (!pull_(in_)) input_ended_ = true;
    }
    const std::size_t before = in_pos_;
    // Called with no input too: a stream may still hold output for bytes it has taken.
    const std::size_t written = step(out, want);
    if (written > 0) return written;
    if (in_pos_ != before || (in_pos_ == in_.size() && !input_ended_)) continue;
    if (in_pos_ < in_.size()) throw DecompressionError("invalid compressed data: no progress");
    if (!at_boundary()) {
      throw DecompressionError(std::string("truncated ") + compression_name(format_) +
                               " data: the input ends inside a compressed stream");
    }
    return 0;
  }
}

}  // namespace mrtbb::detail
