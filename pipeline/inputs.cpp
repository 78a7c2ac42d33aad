#include "mrtbb/pipeline/inputs.hpp"

#include <fnmatch.h>
#include <linux/magic.h>
#include <sys/vfs.h>

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "mrtbb/core/errors.hpp"

namespace mrtbb {

namespace fs = std::filesystem;

namespace {

// One glob of WalkOptions::exclude, as it is matched.
struct ExcludeGlob {
  std::string pattern;
  bool whole_path;        // matched against the path below the walked directory, not the name
  bool directories_only;  // written with a trailing '/'

  explicit ExcludeGlob(std::string glob) {
    directories_only = glob.size() > 1 && glob.ends_with('/');
    if (directories_only) glob.pop_back();
    whole_path = glob.find('/') != std::string::npos;
    pattern = std::move(glob);
  }

  bool matches(const std::string& name, const std::string& below_root, bool directory) const {
    if (directories_only && !directory) return false;
    return whole_path ? ::fnmatch(pattern.c_str(), below_root.c_str(), FNM_PATHNAME) == 0
                      : ::fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
  }
};

class InputLister {
 public:
  InputLister(ErrorPolicy policy, std::vector<InputFailure>& failures,
              std::vector<SkippedInput>& skipped, const WalkOptions& walk)
      : policy_(policy), failures_(failures), skipped_(skipped), hidden_(walk.hidden) {
    for (const auto& glob : walk.exclude)
      exclude_.emplace_back(glob);
  }

  void add(const std::string& path) {
    if (path == stdin_name) {
      files_.push_back({.path = path, .is_stream = true});
      return;
    }
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec) return report(path, ec);
    if (fs::is_directory(status)) return add_directory(path, "");
    // Named by the user, regular files, FIFOs and devices are all read as streams, like stdin;
    // only a regular file has a size.
    const bool regular = fs::is_regular_file(status);
    const std::uint64_t size = regular ? fs::file_size(path, ec) : 0;
    files_.push_back({.path = path, .size = ec ? 0 : size, .is_stream = !regular});
  }

  // The sizes of files found in directories are looked up here, in parallel: for many small files
  // these stat calls cost more than the listing itself.
  std::vector<InputFile> take() {
    tbb::parallel_for(std::size_t{0}, sized_later_.size(), [&](std::size_t i) {
      InputFile& file = files_[sized_later_[i]];
      file.size = file_size_or_zero(file.path);
    });
    return std::move(files_);
  }

 private:
  // Depth first, each directory's entries in byte order of their names. `below_root` is the
  // directory's path below the directory the caller named ("" for that one).
  void add_directory(const fs::path& directory, const std::string& below_root) {
    std::error_code ec;
    // Each name is taken out once: sorting by path().filename() would build two paths per
    // comparison, which shows in the profile of a directory of 20 000 files.
    std::vector<std::pair<std::string, fs::directory_entry>> entries;
    for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().native();
      if (!hidden_ && name.starts_with('.')) continue;
      entries.emplace_back(std::move(name), *it);
    }
    if (ec) return report(directory.string(), ec);
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    const char* pseudo = pseudo_filesystem(directory);
    for (const auto& [name, entry] : entries)
      add_entry(entry, pseudo, name, below_root.empty() ? name : below_root + "/" + name);
  }

  bool excluded(const std::string& name, const std::string& below_root, bool directory) const {
    return std::any_of(exclude_.begin(), exclude_.end(), [&](const ExcludeGlob& glob) {
      return glob.matches(name, below_root, directory);
    });
  }

  // Only the entry's type and file system are looked at, never its contents: opening a FIFO waits
  // for a writer, so nothing but a regular file is ever opened. `pseudo` names the kernel file
  // system the directory is on, if it is one.
  void add_entry(const fs::directory_entry& entry, const char* pseudo, const std::string& name,
                 const std::string& below_root) {
    std::error_code ec;
    const fs::file_type own = own_type(entry, ec);
    if (ec) return report(entry.path().string(), ec);  // gone since it was listed
    const bool directory = own == fs::file_type::directory;
    if (excluded(name, below_root, directory)) return;
    if (directory) return add_directory(entry.path(), below_root);
    if (own == fs::file_type::regular) return add_regular(entry.path().string(), pseudo, "a file");
    if (own != fs::file_type::symlink) return skip(entry.path().string(), kind_of(own));

    const fs::file_status target = entry.status(ec);
    // A link that cannot be followed (dangling, looping, forbidden): listed, so that reading it
    // reports the reason instead of dropping it; opening it fails at once.
    if (ec || !fs::exists(target)) {
      return files_.push_back({.path = entry.path().string(), .found_in_walk = true});
    }
    if (fs::is_directory(target)) return;  // not followed: links to directories could loop
    if (fs::is_regular_file(target)) {
      return add_regular(entry.path().string(), pseudo_filesystem(entry.path()),
                         "a symbolic link to a file");
    }
    skip(entry.path().string(), std::string("a symbolic link to ") + kind_of(target.type()));
  }

  // The type of the entry itself (a link not followed). Most file systems tell it in the listing
  // (d_type), which directory_entry keeps: then a file costs no stat here, and its only one is the
  // size lookup of take().
  static fs::file_type own_type(const fs::directory_entry& entry, std::error_code& ec) {
    ec.clear();
    if (entry.is_symlink(ec)) return fs::file_type::symlink;
    if (!ec && entry.is_regular_file(ec)) return fs::file_type::regular;
    if (!ec && entry.is_directory(ec)) return fs::file_type::directory;
    return ec ? fs::file_type::none : entry.symlink_status(ec).type();
  }

  // A "regular" file of procfs, sysfs and the like is made up by the kernel as it is read: it
  // lists as empty, yet /proc/self/pagemap reads as 256 GiB of NUL bytes and /proc/kmsg or
  // tracefs's trace_pipe wait for events forever.
  void add_regular(std::string path, const char* pseudo, const char* what) {
    if (pseudo != nullptr) {
      return skip(std::move(path), std::string(what) + " of " + pseudo + ", made up as it is read");
    }
    sized_later_.push_back(files_.size());
    files_.push_back({.path = std::move(path), .found_in_walk = true});
  }

  // The kernel file system `path` (followed if a link) is on, or nullptr for any other.
  static const char* pseudo_filesystem(const fs::path& path) {
    struct statfs info {};
    if (::statfs(path.c_str(), &info) != 0) return nullptr;  // reading it will say why
    switch (static_cast<unsigned long>(info.f_type)) {
      case PROC_SUPER_MAGIC:
        return "procfs";
      case SYSFS_MAGIC:
        return "sysfs";
      case DEBUGFS_MAGIC:
        return "debugfs";
      case TRACEFS_MAGIC:
        return "tracefs";
      case SECURITYFS_MAGIC:
        return "securityfs";
      case NSFS_MAGIC:
        return "nsfs";
      default:
        return nullptr;
    }
  }

  void skip(std::string path, const std::string& kind) {
    skipped_.push_back({std::move(path), "not a regular file (" + kind + ")"});
  }

  static const char* kind_of(fs::file_type type) {
    switch (type) {
      case fs::file_type::fifo:
        return "a FIFO";
      case fs::file_type::socket:
        return "a socket";
      case fs::file_type::character:
        return "a character device";
      case fs::file_type::block:
        return "a block device";
      default:
        return "of an unknown type";
    }
  }

  static std::uint64_t file_size_or_zero(const fs::path& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    return ec ? 0 : size;
  }

  void report(const std::string& path, const std::error_code& ec) {
    if (policy_ == ErrorPolicy::fail) throw InputError(path, ec.message());
    failures_.push_back({path, ec.message()});
  }

  ErrorPolicy policy_;
  std::vector<InputFailure>& failures_;
  std::vector<SkippedInput>& skipped_;
  bool hidden_;
  std::vector<ExcludeGlob> exclude_;
  std::vector<InputFile> files_;
  std::vector<std::size_t> sized_later_;  // indexes into files_
};

}  // namespace

std::vector<InputFile> expand_inputs(const std::vector<std::string>& paths, ErrorPolicy policy,
                                     std::vector<InputFailure>& failures,
                                     std::vector<SkippedInput>& skipped, const WalkOptions& walk) {
  InputLister lister(policy, failures, skipped, walk);
  for (const auto& path : paths)
    lister.add(path);
  return lister.take();
}

}  // namespace mrtbb
