#include "mrtbb/pipeline/walked_directory.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <string_view>

namespace mrtbb::detail {

WalkedDirectory::~WalkedDirectory() {
  if (fd_ >= 0) ::close(fd_);
}

WalkedDirectory::Lookup WalkedDirectory::lookup(const InputFile& input) {
  // An offset that does not end a directory part of the path (a caller's own InputFile, or one
  // whose path changed after the walk) looks the whole path up instead of a wrong name.
  const std::size_t offset = input.name_offset;
  if (offset == 0 || offset >= input.path.size() || input.path[offset - 1] != '/') {
    return {AT_FDCWD, input.path.c_str()};
  }
  const std::string_view directory = std::string_view(input.path).substr(0, offset);
  if (directory != path_) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    path_ = directory;
    // O_PATH: looking names up in it needs only the search permission that a path lookup needs.
    fd_ = ::open(path_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  }
  if (fd_ < 0) return {AT_FDCWD, input.path.c_str()};
  return {fd_, input.path.c_str() + offset};
}

}  // namespace mrtbb::detail
