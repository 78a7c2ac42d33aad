#include "mrtbb/pipeline/inputs.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <memory>
#include <string_view>
#include <system_error>
#include <utility>

#include "mrtbb/core/errors.hpp"
#include "mrtbb/pipeline/walked_directory.hpp"

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
  // these stat calls cost more than the listing itself. Each run of them is looked up relative to
  // the directory, as the readers open them.
  std::vector<InputFile> take() {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, sized_later_.size()),
                      [&](const tbb::blocked_range<std::size_t>& run) {
                        detail::WalkedDirectory directory;
                        for (std::size_t i = run.begin(); i != run.end(); ++i) {
                          InputFile& file = files_[sized_later_[i]];
                          file.size = regular_file_size_or_zero(directory.lookup(file));
                        }
                      });
    return std::move(files_);
  }

 private:
  // Depth first, each directory's entries in byte order of their names. `below_root` is the
  // directory's path below the directory the caller named ("" for that one).
  //
  // Listed with readdir(3) rather than a directory_iterator: building, splitting and freeing a
  // path for each entry cost more than the listing itself in a directory of 20 000 files, and the
  // listing is serial.
  void add_directory(const std::string& directory, const std::string& below_root) {
    struct Listed {
      std::string name;
      unsigned char type;  // d_type: DT_UNKNOWN where the file system does not tell
    };
    std::vector<Listed> entries;
    std::error_code ec;
    {
      // Closed before the entries are walked, so that a deep tree holds one listing at a time.
      const std::unique_ptr<DIR, int (*)(DIR*)> listing(::opendir(directory.c_str()), ::closedir);
      if (listing == nullptr) return report(directory, last_error());
      for (;;) {
        errno = 0;
        const dirent* entry = ::readdir(listing.get());
        if (entry == nullptr) {
          if (errno != 0) ec = last_error();
          break;
        }
        const std::string_view name = entry->d_name;
        if (name == "." || name == ".." || (!hidden_ && name.starts_with('.'))) continue;
        entries.push_back({std::string(name), entry->d_type});
      }
    }
    if (ec) return report(directory, ec);
    std::sort(entries.begin(), entries.end(),
              [](const Listed& a, const Listed& b) { return a.name < b.name; });
    const std::string prefix = directory.ends_with('/') ? directory : directory + '/';
    const char* pseudo = pseudo_filesystem(directory);
    for (const Listed& entry : entries) {
      add_entry(prefix.size(), prefix + entry.name, entry.type, pseudo, entry.name,
                below_root.empty() ? entry.name : below_root + "/" + entry.name);
    }
  }

  bool excluded(const std::string& name, const std::string& below_root, bool directory) const {
    return std::any_of(exclude_.begin(), exclude_.end(), [&](const ExcludeGlob& glob) {
      return glob.matches(name, below_root, directory);
    });
  }

  // Only the entry's type and file system are looked at, never its contents: opening a FIFO waits
  // for a writer, so nothing but a regular file is ever opened. `pseudo` names the kernel file
  // system the directory is on, if it is one; the entry's name starts at `name_offset` of `path`.
  void add_entry(std::size_t name_offset, std::string path, unsigned char listed_type,
                 const char* pseudo, const std::string& name, const std::string& below_root) {
    std::error_code ec;
    const fs::file_type own = own_type(path, listed_type, ec);
    if (ec) return report(path, ec);  // gone since it was listed
    const bool directory = own == fs::file_type::directory;
    if (excluded(name, below_root, directory)) return;
    if (directory) return add_directory(path, below_root);
    if (own == fs::file_type::regular)
      return add_regular(std::move(path), name_offset, pseudo, "a file");
    if (own != fs::file_type::symlink) return skip(std::move(path), kind_of(own));

    const fs::file_status target = fs::status(path, ec);
    // A link that cannot be followed (dangling, looping, forbidden): listed, so that reading it
    // reports the reason instead of dropping it; opening it fails at once.
    if (ec || !fs::exists(target)) {
      return files_.push_back(
          {.path = std::move(path), .found_in_walk = true, .name_offset = name_offset});
    }
    if (fs::is_directory(target)) return;  // not followed: links to directories could loop
    if (fs::is_regular_file(target)) {
      const char* link_pseudo = pseudo_filesystem(path);
      return add_regular(std::move(path), name_offset, link_pseudo, "a symbolic link to a file");
    }
    skip(std::move(path), std::string("a symbolic link to ") + kind_of(target.type()));
  }

  // The type of the entry itself (a link not followed). Most file systems tell it in the listing
  // (d_type): then a file costs no stat here, and its only one is the size lookup of take().
  static fs::file_type own_type(const std::string& path, unsigned char listed_type,
                                std::error_code& ec) {
    ec.clear();
    switch (listed_type) {
      case DT_REG:
        return fs::file_type::regular;
      case DT_DIR:
        return fs::file_type::directory;
      case DT_LNK:
        return fs::file_type::symlink;
      case DT_FIFO:
        return fs::file_type::fifo;
      case DT_SOCK:
        return fs::file_type::socket;
      case DT_CHR:
        return fs::file_type::character;
      case DT_BLK:
        return fs::file_type::block;
      default:
        return fs::symlink_status(path, ec).type();
    }
  }

  static std::error_code last_error() { return {errno, std::generic_category()}; }

  // A "regular" file of procfs, sysfs and the like is made up by the kernel as it is read: it
  // lists as empty, yet /proc/self/pagemap reads as 256 GiB of NUL bytes and /proc/kmsg or
  // tracefs's trace_pipe wait for events forever.
  void add_regular(std::string path, std::size_t name_offset, const char* pseudo,
                   const char* what) {
    if (pseudo != nullptr) {
      return skip(std::move(path), std::string(what) + " of " + pseudo + ", made up as it is read");
    }
    sized_later_.push_back(files_.size());
    files_.push_back({.path = std::move(path), .found_in_walk = true, .name_offset = name_offset});
  }

  // The kernel file system `path` (followed if a link) is on, or nullptr for any other.
  static const char* pseudo_filesystem(const std::string& path) {
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

  // Follows a link, as opening does.
  static std::uint64_t regular_file_size_or_zero(detail::WalkedDirectory::Lookup file) {
    struct stat status;
    if (::fstatat(file.directory, file.name, &status, 0) != 0 || !S_ISREG(status.st_mode)) return 0;
    return static_cast<std::uint64_t>(status.st_size);
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
