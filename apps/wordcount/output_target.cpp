#include "wordcount/output_target.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>
#include <vector>

namespace wordcount {

namespace {

// The kernel's own limit on links followed in one path lookup.
constexpr int max_link_hops = 40;

[[noreturn]] void throw_errno(int error, const std::string& path) {
  throw std::system_error(error, std::generic_category(), path);
}

bool on_procfs(const std::filesystem::path& path) {
  struct statfs info {};
  return ::statfs(path.c_str(), &info) == 0 && info.f_type == PROC_SUPER_MAGIC;
}

std::string read_link(const std::string& path) {
  std::vector<char> target(256);
  for (;;) {
    const ssize_t n = ::readlink(path.c_str(), target.data(), target.size());
    if (n < 0) throw_errno(errno, path);
    if (static_cast<std::size_t>(n) < target.size()) return std::string(target.data(), n);
    target.resize(target.size() * 2);
  }
}

// Read without changing it for good: umask(2) can only be read by setting it. Called before the
// job starts any thread that could create a file in between.
mode_t current_umask() {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return mask;
}

}  // namespace

OutputTarget resolve_output_target(const std::string& path) {
  std::string current = path;
  for (int hops = 0; hops <= max_link_hops; ++hops) {
    struct stat info {};
    if (::lstat(current.c_str(), &info) != 0) {
      // Nothing there yet (a new file, or the file a dangling link names): made at the end. A
      // missing directory makes creating the new file fail with the same error.
      if (errno == ENOENT) return {OutputTarget::Kind::replace, current, 0666 & ~current_umask()};
      throw_errno(errno, path);
    }
    if (S_ISREG(info.st_mode)) {
      if (::faccessat(AT_FDCWD, current.c_str(), W_OK, AT_EACCESS) != 0) throw_errno(errno, path);
      return {OutputTarget::Kind::replace, current, info.st_mode & 0777};
    }
    if (!S_ISLNK(info.st_mode)) return {OutputTarget::Kind::stream, path};
    std::filesystem::path directory = std::filesystem::path(current).parent_path();
    if (directory.empty()) directory = ".";
    if (on_procfs(directory)) return {OutputTarget::Kind::stream, path};
    // A relative link is relative to its own directory; an absolute one replaces the whole path.
    current = (directory / read_link(current)).string();
  }
  throw_errno(ELOOP, path);
}

}  // namespace wordcount
