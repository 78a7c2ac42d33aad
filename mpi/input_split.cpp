#include "mrtbb/mpi/input_split.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "mrtbb/core/serialization.hpp"
#include "mrtbb/mpi/agreement.hpp"
#include "mrtbb/mpi/byte_exchange.hpp"

namespace mrtbb::mpi {

namespace {

// Reads a regular file's bytes [from, to) a block at a time (to the end of the file at most).
class FileBlocks {
 public:
  explicit FileBlocks(const std::string& path)
      : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)) {
    struct stat status;
    if (fd_ >= 0 && (::fstat(fd_, &status) != 0 || !S_ISREG(status.st_mode))) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~FileBlocks() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileBlocks(const FileBlocks&) = delete;
  FileBlocks& operator=(const FileBlocks&) = delete;

  bool usable() const noexcept { return fd_ >= 0; }

  /// Calls visit(block, block's offset) until it returns false or the bytes run out; false when a
  /// read fails.
  template <class Visit>
  bool for_each_block(std::uint64_t from, std::uint64_t to, Visit&& visit) {
    std::string block(std::size_t{1} << 20, '\0');
    while (from < to) {
      const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(block.size(), to - from));
      const ssize_t got = ::pread(fd_, block.data(), want, static_cast<off_t>(from));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) return false;
      if (got == 0) return true;
      if (!visit(std::string_view(block.data(), static_cast<std::size_t>(got)), from)) return true;
      from += static_cast<std::uint64_t>(got);
    }
    return true;
  }

 private:
  int fd_;
};

// The first line start at or after byte `offset` (> 0) of input `i`: just after the first line feed
// at or after offset - 1, or the next input when there is none. An input that cannot be read is
// not cut: its whole goes to one rank, which reports it.
SharePoint line_start_from(const std::vector<InputFile>& inputs, std::size_t i,
                           std::uint64_t offset) {
  FileBlocks file(inputs[i].path);
  if (!file.usable()) return {i, 0};
  std::uint64_t line_feed = 0;
  bool found = false;
  file.for_each_block(offset - 1, UINT64_MAX, [&](std::string_view block, std::uint64_t at) {
    if (const void* lf = std::memchr(block.data(), '\n', block.size())) {
      line_feed = at + static_cast<std::uint64_t>(static_cast<const char*>(lf) - block.data());
      found = true;
      return false;
    }
    return true;
  });
  if (!found || line_feed + 1 >= inputs[i].size) return {i + 1, 0};
  return {i, line_feed + 1};
}

void write_input(std::string& out, const InputFile& input) {
  serialize(out, input.path);
  serialize(out, input.size);
  serialize(out, input.found_in_walk);
  serialize(out, static_cast<std::uint64_t>(input.name_offset));
  serialize(out, input.is_stream);
  serialize(out, input.compressed);
}

InputFile read_input(std::string_view& in) {
  InputFile input;
  input.path = deserialize<std::string>(in);
  input.size = deserialize<std::uint64_t>(in);
  input.found_in_walk = deserialize<bool>(in);
  input.name_offset = static_cast<std::size_t>(deserialize<std::uint64_t>(in));
  input.is_stream = deserialize<bool>(in);
  input.compressed = deserialize<bool>(in);
  return input;
}

}  // namespace

InputListing list_inputs(const Communicator& communicator, const std::vector<std::string>& paths,
                         ErrorPolicy policy, const WalkOptions& walk) {
  InputListing listing;
  std::string bytes;
  detail::run_phase(communicator, [&] {
    if (!communicator.is_root()) return;
    listing.inputs = expand_inputs(paths, policy, listing.failures, listing.skipped, walk);
    // A share must never start inside a compressed file: it is found out here, once, by its first
    // bytes (in parallel: for many small files these opens cost more than the listing).
    tbb::parallel_for(std::size_t{0}, listing.inputs.size(), [&](std::size_t i) {
      InputFile& input = listing.inputs[i];
      if (!input.is_stream) input.compressed = starts_compressed(input.path);
    });
    listing.placement_seed = process_hash_seed();
    serialize(bytes, std::uint64_t{listing.inputs.size()});
    for (const InputFile& input : listing.inputs)
      write_input(bytes, input);
    serialize(bytes, std::uint64_t{listing.failures.size()});
    for (const InputFailure& failure : listing.failures)
      serialize(bytes, std::pair{failure.input, failure.reason});
    serialize(bytes, std::uint64_t{listing.skipped.size()});
    for (const SkippedInput& skipped : listing.skipped)
      serialize(bytes, std::pair{skipped.path, skipped.reason});
    serialize(bytes, std::pair{listing.placement_seed.head, listing.placement_seed.tail});
  });
  detail::broadcast_bytes(communicator, bytes, Communicator::root);
  if (communicator.is_root()) return listing;

  std::string_view in = bytes;
  listing.inputs.resize(deserialize<std::uint64_t>(in));
  for (InputFile& input : listing.inputs)
    input = read_input(in);
  listing.failures.resize(deserialize<std::uint64_t>(in));
  for (InputFailure& failure : listing.failures) {
    auto [input, reason] = deserialize<std::pair<std::string, std::string>>(in);
    failure = {std::move(input), std::move(reason)};
  }
  listing.skipped.resize(deserialize<std::uint64_t>(in));
  for (SkippedInput& skipped : listing.skipped) {
    auto [path, reason] = deserialize<std::pair<std::string, std::string>>(in);
    skipped = {std::move(path), std::move(reason)};
  }
  const auto [head, tail] = deserialize<std::pair<std::uint64_t, std::uint64_t>>(in);
  listing.placement_seed = {head, tail};
  return listing;
}

std::vector<SharePoint> split_inputs(const Communicator& communicator,
                                     const std::vector<InputFile>& inputs) {
  const int ranks = communicator.size();
  const int rank = communicator.rank();
  // Rank 0 reads the streams, and so everything listed before the last of them.
  std::size_t first_shared = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].is_stream) first_shared = i + 1;
  }
  std::vector<std::uint64_t> starts(inputs.size() + 1, 0);
  for (std::size_t i = 0; i < inputs.size(); ++i)
    starts[i + 1] = starts[i] + (inputs[i].is_stream ? 0 : inputs[i].size);
  const std::uint64_t shared_from = starts[first_shared];
  const std::uint64_t total = starts.back();

  SharePoint mine{0, 0};
  detail::run_phase(communicator, [&] {
    if (rank == 0) return;
    __extension__ using Wide = unsigned __int128;
    const auto target = shared_from + static_cast<std::uint64_t>(Wide{total - shared_from} *
                                                                 static_cast<unsigned>(rank) /
                                                                 static_cast<unsigned>(ranks));
    // The input that holds byte `target`; empty inputs at that place stay with the rank before.
    std::size_t i = first_shared;
    while (i < inputs.size() && starts[i + 1] <= target)
      ++i;
    // A compressed input is read whole by the rank whose share holds its start.
    if (i == inputs.size() || target == starts[i]) {
      mine = {i, 0};
    } else if (inputs[i].compressed) {
      mine = {i + 1, 0};
    } else {
      mine = line_start_from(inputs, i, target - starts[i]);
    }
  });
  std::string bytes;
  serialize(bytes, std::pair{std::uint64_t{mine.input}, mine.offset});
  std::vector<SharePoint> points;
  for (const std::string& point : detail::all_gather_bytes(communicator, bytes)) {
    const auto [input, offset] = from_bytes<std::pair<std::uint64_t, std::uint64_t>>(point);
    points.push_back({static_cast<std::size_t>(input), offset});
  }
  points.push_back({inputs.size(), 0});
  for (std::size_t r = 1; r < points.size(); ++r)
    points[r] = std::max(points[r], points[r - 1]);
  return points;
}

std::vector<InputFile> share_of(const std::vector<InputFile>& inputs,
                                const std::vector<SharePoint>& points, int rank) {
  const SharePoint from = points[static_cast<std::size_t>(rank)];
  const SharePoint to = points[static_cast<std::size_t>(rank) + 1];
  std::vector<InputFile> share;
  for (std::size_t i = from.input; i < inputs.size() && i <= to.input; ++i) {
    if (i == to.input && to.offset == 0) break;
    InputFile part = inputs[i];
    part.ordinal = i;
    part.offset = i == from.input ? from.offset : 0;
    if (i == to.input) {
      if (to.offset <= part.offset) break;
      part.length = to.offset - part.offset;
    }
    share.push_back(std::move(part));
  }
  return share;
}

void number_first_lines(const Communicator& communicator, std::vector<InputFile>& share) {
  // What this rank's share holds of the input that the next share continues.
  std::uint64_t continued_input = UINT64_MAX;
  std::uint64_t line_feeds = 0;
  detail::run_phase(communicator, [&] {
    if (share.empty() || !share.back().length) return;
    const InputFile& last = share.back();
    continued_input = *last.ordinal;
    FileBlocks file(last.path);
    // An unreadable share is reported when it is read; the lines after it are then numbered as if
    // it held none.
    if (file.usable()) {
      file.for_each_block(
          last.offset, last.offset + *last.length, [&](std::string_view block, std::uint64_t) {
            line_feeds += static_cast<std::uint64_t>(std::count(block.begin(), block.end(), '\n'));
            return true;
          });
    }
  });
  std::string bytes;
  serialize(bytes, std::pair{continued_input, line_feeds});
  const auto all = detail::all_gather_bytes(communicator, bytes);
  if (share.empty() || share.front().offset == 0) return;
  InputFile& first = share.front();
  first.first_line = 1;
  for (int r = 0; r < communicator.rank(); ++r) {
    const auto [input, count] =
        from_bytes<std::pair<std::uint64_t, std::uint64_t>>(all[static_cast<std::size_t>(r)]);
    if (input == *first.ordinal) first.first_line += count;
  }
}

}  // namespace mrtbb::mpi
