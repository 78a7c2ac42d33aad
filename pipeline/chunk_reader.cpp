#include "mrtbb/pipeline/chunk_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <iterator>
#include <span>
#include <stdexcept>
#include <utility>

#include "mrtbb/core/errors.hpp"
#include "pipeline/decompress.hpp"

namespace mrtbb {

namespace {

// Reading less than this per call only multiplies system calls; tiny grains still cut small chunks.
constexpr std::size_t min_read = 64 * 1024;

std::optional<std::uint64_t> regular_file_size(int fd) {
  struct stat status;
  if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) return std::nullopt;
  return static_cast<std::uint64_t>(status.st_size);
}

// The first bytes of a file, read where they lie whatever has been read of it: up to `into.size()`
// bytes, -1 with errno on failure.
ssize_t read_head(int fd, std::span<char> into) {
  ssize_t got;
  do {
    got = ::pread(fd, into.data(), into.size(), 0);
  } while (got < 0 && errno == EINTR);
  return got;
}

}  // namespace

bool starts_compressed(const std::string& path) {
  // O_NONBLOCK: a FIFO that replaced a listed file must not wait for a writer.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return false;
  char head[detail::magic_bytes];
  const ssize_t got = regular_file_size(fd) ? read_head(fd, head) : -1;
  ::close(fd);
  return got > 0 && detail::compression_of(std::string_view(head, static_cast<std::size_t>(got)));
}

ChunkReader::ChunkReader(const std::vector<InputFile>& inputs, std::size_t grain,
                         ErrorPolicy policy, std::vector<InputFailure>& failures,
                         const ChunkBoundary& boundary, LineNumbering numbering,
                         SmallFiles small_files)
    : inputs_(inputs),
      grain_(std::max<std::size_t>(grain, 1)),
      policy_(policy),
      failures_(failures),
      boundary_(boundary),
      numbering_(numbering),
      small_files_(small_files),
      end_input_(inputs.size()) {}

ChunkReader::ChunkReader(const std::vector<InputFile>& inputs, InputRange range, std::size_t grain,
                         ErrorPolicy policy, std::vector<InputFailure>& failures,
                         const ChunkBoundary& boundary, LineNumbering numbering)
    : ChunkReader(inputs, grain, policy, failures, boundary, numbering) {
  next_input_ = range.first;
  end_input_ = range.last;
}

ChunkReader::~ChunkReader() {
  close_current();
}

bool ChunkReader::hands_out(const InputFile& input) const noexcept {
  return small_files_ == SmallFiles::hand_out && !input.is_stream && !input.is_stdin() &&
         input.offset == 0 && !input.length && input.size < grain_;
}

void ChunkReader::hand_out_small_files(Chunk& chunk) {
  const std::size_t first = next_input_;
  std::uint64_t listed = 0;
  while (next_input_ < end_input_ && hands_out(inputs_[next_input_]) &&
         (next_input_ == first || listed + inputs_[next_input_].size <= grain_)) {
    listed += inputs_[next_input_++].size;
  }
  chunk.small_files = {first, next_input_};
}

void ChunkReader::hand_over_notes(ReadNotes& notes) {
  std::move(failures_.begin(), failures_.end(), std::back_inserter(notes.failures));
  std::move(skipped_.begin(), skipped_.end(), std::back_inserter(notes.skipped));
  std::move(warnings_.begin(), warnings_.end(), std::back_inserter(notes.warnings));
  failures_.clear();
  skipped_.clear();
  warnings_.clear();
}

int ChunkReader::open_input(const InputFile& input) {
  // O_NONBLOCK: opening a FIFO that replaced a walked file must not wait for a writer.
  const int flags = O_RDONLY | O_CLOEXEC | (input.found_in_walk ? O_NONBLOCK : 0);
  const auto [directory, name] = directory_.lookup(input);
  return ::openat(directory, name, flags);
}

bool ChunkReader::open_next(std::string& buffer) {
  while (next_input_ < end_input_) {
    if (hands_out(inputs_[next_input_])) return false;
    current_ = next_input_++;
    const InputFile& input = inputs_[current_];
    read_failed_ = false;
    if (input.is_stdin()) {
      fd_ = STDIN_FILENO;
    } else {
      fd_ = open_input(input);
      if (fd_ < 0) {
        fail(std::strerror(errno));
        continue;
      }
    }
    opened_size_ = regular_file_size(fd_);
    if (input.found_in_walk && !opened_size_) {
      close_current();
      fail("no longer a regular file");
      continue;
    }
    // Read-ahead advice is a system call per file that a file read in one read does not need.
    if (!input.is_stdin() && !(opened_size_ && *opened_size_ < min_read)) {
      ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
    }
    if (input.offset > 0 && ::lseek(fd_, static_cast<off_t>(input.offset), SEEK_SET) !=
                                static_cast<off_t>(input.offset)) {
      const int error = errno;
      close_current();
      fail(std::string("cannot seek to byte ") + std::to_string(input.offset) + ": " +
           std::strerror(error));
      continue;
    }
    share_left_ = input.length;
    expected_left_ = opened_size_;
    // A file opened here is at its offset; stdin may have been read from before.
    std::uint64_t at = input.offset;
    if (input.is_stdin()) {
      const off_t position = ::lseek(fd_, 0, SEEK_CUR);
      at = position > 0 ? static_cast<std::uint64_t>(position) : 0;
    }
    if (expected_left_) *expected_left_ -= std::min(*expected_left_, at);
    if (expected_left_ && share_left_) expected_left_ = std::min(*expected_left_, *share_left_);
    next_line_ = input.first_line;
    const std::uint64_t bytes_before = bytes_read_;
    if (!start_reading(input, buffer)) {
      if (!read_failed_) bytes_read_ = bytes_before;  // a skipped file is not counted
      close_current();
      continue;
    }
    // A share that starts inside a file continues an input another process opened.
    if (input.offset == 0) ++inputs_read_;
    return true;
  }
  return false;
}

bool ChunkReader::start_reading(const InputFile& input, std::string& buffer) {
  // A regular file that fits, as opened, in the room left in the chunk is read straight into it
  // (its text is then in place, not copied from read-ahead); any other is read ahead into pending_.
  const bool into_buffer = opened_size_ && input.offset == 0 && !share_left_ &&
                           buffer.size() < grain_ && *opened_size_ < grain_ - buffer.size();
  std::string* head = into_buffer ? &buffer : &pending_;
  std::size_t begin = head->size();
  const auto read_head_bytes = [&] { return head->size() - begin; };
  // Only where a file begins: a share that starts inside a file is never of a compressed one (jobs
  // across processes give a compressed file wholly to one process).
  if (input.offset == 0) {
    while (read_head_bytes() < detail::magic_bytes && read_raw(*head, min_read)) {
    }
    if (read_failed_) {
      head->resize(begin);
      return false;
    }
    if (const auto format = detail::compression_of(std::string_view(*head).substr(begin))) {
      std::string compressed = head->substr(begin);
      head->resize(begin);
      decompressor_ = detail::Decompressor::make(
          *format, std::move(compressed),
          [this](std::string& into) { return read_raw(into, min_read); });
      // Its text may be far larger than the file: it is read ahead.
      head = &pending_;
      begin = pending_.size();
    }
  }
  bool binary = false;
  if (input.found_in_walk) {
    binary = input.offset == 0 ? begins_binary(*head, begin) : share_begins_binary();
    if (read_failed_ || binary) head->resize(begin);
    if (read_failed_) return false;
  }
  if (binary) {
    // The process that reads the file's start reports it, once.
    if (input.offset == 0) skipped_.push_back({input.path, binary_file_reason});
    return false;
  }
  // A file that grew since it was opened may have brought more than the room left: the rest is
  // read ahead, so that the chunk is cut as if it had all been read ahead.
  if (head == &buffer && buffer.size() > grain_) unread(buffer, grain_);
  return true;
}

bool ChunkReader::begins_binary(std::string& head, std::size_t begin) {
  // The start of the text is read as the first bytes to hand out.
  while (head.size() - begin < binary_probe_bytes &&
         read_from_input(head, binary_probe_bytes - (head.size() - begin))) {
  }
  return std::string_view(head).substr(begin, binary_probe_bytes).find('\0') !=
         std::string_view::npos;
}

bool ChunkReader::share_begins_binary() {
  std::string head(binary_probe_bytes, '\0');
  ++read_calls_;
  const ssize_t got = read_head(fd_, head);
  if (got < 0) {
    read_failed_ = true;
    fail(std::strerror(errno));
    return false;
  }
  head.resize(static_cast<std::size_t>(got));
  return head.find('\0') != std::string::npos;
}

void ChunkReader::close_current() noexcept {
  if (fd_ > STDIN_FILENO) ::close(fd_);
  fd_ = -1;
  raw_ended_ = false;
  text_ended_ = false;
  decompressor_.reset();
  pending_.clear();
  pending_pos_ = 0;
  mid_line_ = false;
  line_head_.clear();
  share_left_.reset();
}

void ChunkReader::fail(const std::string& reason) {
  const std::string& path = inputs_[current_].path;
  if (policy_ == ErrorPolicy::fail) throw InputError(path, reason);
  failures_.push_back({path, reason});
}

void ChunkReader::warn_if_resized() {
  if (!opened_size_) return;
  const std::optional<std::uint64_t> size = regular_file_size(fd_);
  if (!size || *size == *opened_size_) return;
  warnings_.push_back({inputs_[current_].path, "changed size while it was read (" +
                                                   std::to_string(*opened_size_) +
                                                   " bytes when opened, " + std::to_string(*size) +
                                                   " at the end of reading)"});
}

bool ChunkReader::read_more(std::string& buffer, std::size_t limit) {
  if (pending_pos_ == pending_.size() && limit < min_read) {
    pending_.clear();
    pending_pos_ = 0;
    if (!read_from_input(pending_, min_read)) return false;
  }
  if (pending_pos_ < pending_.size()) {
    const std::size_t take = std::min(limit, pending_.size() - pending_pos_);
    buffer.append(pending_, pending_pos_, take);
    pending_pos_ += take;
    return true;
  }
  return read_from_input(buffer, limit);
}

bool ChunkReader::read_from_input(std::string& buffer, std::size_t want) {
  if (text_ended_) return false;
  if (!decompressor_) {
    text_ended_ = !read_raw(buffer, want);
    return !text_ended_;
  }
  const std::size_t old_size = buffer.size();
  buffer.resize(old_size + want);
  std::size_t got = 0;
  try {
    got = decompressor_->read(buffer.data() + old_size, want);
  } catch (const detail::DecompressionError& error) {
    buffer.resize(old_size);
    text_ended_ = true;
    // A read that failed is reported already; what the decompressor made of it is not news.
    if (!read_failed_) {
      read_failed_ = true;
      fail(error.what());
    }
    return false;
  }
  buffer.resize(old_size + got);
  text_ended_ = got == 0;
  return !text_ended_;
}

bool ChunkReader::read_raw(std::string& buffer, std::size_t want) {
  if (raw_ended_) return false;
  // While a regular file has not grown, a read asks for one byte more than it still holds: a small
  // file takes a small part of the buffer, and the read that meets the end of a file that grew
  // still returns data. From then on the file is read in full reads.
  if (share_left_) {
    if (*share_left_ == 0) return false;  // the end of a share is not the end of its file
    want = static_cast<std::size_t>(std::min<std::uint64_t>(want, *share_left_));
  } else if (expected_left_ && *expected_left_ < want) {
    want = static_cast<std::size_t>(*expected_left_) + 1;
  }
  // Asking one byte past where the file ended when opened: a read that stops right there has met
  // its end, and the file's size then was the one it was opened with.
  const bool asks_past_end = !share_left_ && expected_left_ && want == *expected_left_ + 1;
  const std::size_t old_size = buffer.size();
  buffer.resize(old_size + want);
  ssize_t got;
  do {
    ++read_calls_;
    got = ::read(fd_, buffer.data() + old_size, want);
  } while (got < 0 && errno == EINTR);
  if (got < 0) {
    const int error = errno;
    buffer.resize(old_size);
    read_failed_ = true;
    raw_ended_ = true;
    fail(std::strerror(error));
    return false;
  }
  const auto bytes = static_cast<std::uint64_t>(got);
  buffer.resize(old_size + static_cast<std::size_t>(got));
  bytes_read_ += bytes;
  if (asks_past_end && bytes == *expected_left_) {
    // Another read to see the end, and an fstat to see the size unchanged, would tell nothing new.
    raw_ended_ = true;
    *expected_left_ = 0;
    return bytes > 0;
  }
  if (bytes == 0) {
    raw_ended_ = true;
    warn_if_resized();
    return false;
  }
  if (share_left_) *share_left_ -= bytes;
  if (expected_left_) {
    if (bytes > *expected_left_) {
      expected_left_.reset();
    } else {
      *expected_left_ -= bytes;
    }
  }
  return true;
}

void ChunkReader::unread(std::string& buffer, std::size_t cut) {
  std::string rest(buffer, cut);
  rest.append(pending_, pending_pos_);
  pending_ = std::move(rest);
  pending_pos_ = 0;
  buffer.resize(cut);
}

std::size_t ChunkReader::find_cut(const std::string& buffer, std::size_t begin,
                                  std::size_t searched) const {
  const std::string_view piece = std::string_view(buffer).substr(begin);
  if (const void* lf = memrchr(piece.data() + searched, '\n', piece.size() - searched)) {
    return static_cast<std::size_t>(static_cast<const char*>(lf) - buffer.data()) + 1;
  }
  const std::string_view line_head = mid_line_ ? std::string_view(line_head_) : std::string_view();
  const std::size_t cut = ask_boundary(
      "ChunkBoundary::last_cut", [&] { return boundary_.last_cut(line_head, piece, searched); });
  if (cut > piece.size()) {
    throw std::logic_error(
        "ChunkBoundary::last_cut chose a cut past the end of its text (reading '" +
        inputs_[current_].path + "')");
  }
  return cut == 0 ? std::string::npos : begin + cut;
}

void ChunkReader::carry_line(std::string_view piece) {
  if (piece.back() == '\n') {
    mid_line_ = false;
    line_head_.clear();
    return;
  }
  const void* lf = memrchr(piece.data(), '\n', piece.size());
  if (lf != nullptr || !mid_line_) line_head_.clear();
  if (lf != nullptr)
    piece.remove_prefix(static_cast<std::size_t>(static_cast<const char*>(lf) - piece.data()) + 1);
  mid_line_ = true;
  ask_boundary("ChunkBoundary::extend_line_head",
               [&] { boundary_.extend_line_head(line_head_, piece); });
}

bool ChunkReader::next(Chunk& chunk) {
  // A chunk that once held a very long token gives that memory back instead of keeping it.
  if (chunk.buffer.capacity() / 4 > grain_ + min_read) std::string().swap(chunk.buffer);
  chunk.clear();
  chunk.index = chunks_;
  const std::uint64_t bytes_before = bytes_read_;
  while (chunk.buffer.size() < grain_) {
    std::string& buffer = chunk.buffer;
    // An input opened here may have its first bytes read into the buffer already.
    const std::size_t begin = buffer.size();
    if (fd_ < 0 && !open_next(buffer)) {
      if (chunk.pieces.empty() && next_input_ < end_input_) hand_out_small_files(chunk);
      break;
    }
    const bool starts_mid_line = mid_line_;
    std::string head = starts_mid_line ? line_head_ : std::string();

    bool at_end = false;
    while (!at_end && buffer.size() < grain_)
      at_end = !read_more(buffer, grain_ - buffer.size());
    std::size_t cut = buffer.size();
    std::size_t searched = 0;
    while (!at_end) {
      cut = find_cut(buffer, begin, searched);
      if (cut != std::string::npos) break;
      // No cut allowed yet (a token longer than the grain): read on until there is one.
      searched = buffer.size() - begin;
      at_end = !read_more(buffer, grain_);
      cut = buffer.size();
    }
    if (read_failed_) {
      // The input is reported as failed; none of this piece is handed out as if it were whole.
      buffer.resize(begin);
      close_current();
      continue;
    }
    if (cut < buffer.size()) unread(buffer, cut);
    if (cut > begin) {
      std::uint64_t first_line = 0;
      if (numbering_ == LineNumbering::on) {
        first_line = next_line_;
        next_line_ += static_cast<std::uint64_t>(
            std::count(buffer.begin() + static_cast<std::ptrdiff_t>(begin),
                       buffer.begin() + static_cast<std::ptrdiff_t>(cut), '\n'));
      }
      chunk.pieces.push_back({inputs_[current_].ordinal.value_or(current_), inputs_[current_].path,
                              begin, cut - begin, starts_mid_line, std::move(head), first_line});
    }
    if (at_end) {
      close_current();
      continue;
    }
    carry_line(std::string_view(buffer).substr(begin));
    break;
  }
  if (chunk.pieces.empty() && chunk.small_files.empty()) return false;
  chunk.input_bytes = bytes_read_ - bytes_before;
  largest_chunk_ = std::max(largest_chunk_, chunk.buffer.size());
  ++chunks_;
  return true;
}

}  // namespace mrtbb
