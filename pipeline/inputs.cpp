#include "mrtbb/pipeline/inputs.hpp"

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "mrtbb/core/errors.hpp"

namespace mrtbb {

namespace fs = std::filesystem;

namespace {

class InputLister {
 public:
  InputLister(ErrorPolicy policy, std::vector<InputFailure>& failures)
      : policy_(policy), failures_(failures) {}

  void add(const std::string& path) {
    if (path == stdin_name) {
      files_.push_back({path, 0});
      return;
    }
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec) return report(path, ec);
    if (fs::is_directory(status)) return add_directory(path);
    // Regular files, FIFOs and devices are all read as streams; only a regular file has a size.
    const std::uint64_t size = fs::is_regular_file(status) ? fs::file_size(path, ec) : 0;
    files_.push_back({path, ec ? 0 : size});
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
  // Depth first, each directory's entries in byte order of their names. Links to directories are
  // not followed (they could form cycles); links to files are read like the files.
  void add_directory(const fs::path& directory) {
    std::error_code ec;
    std::vector<fs::directory_entry> entries;
    for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
      entries.push_back(*it);
    }
    if (ec) return report(directory.string(), ec);
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      return a.path().filename().native() < b.path().filename().native();
    });
    for (const auto& entry : entries) {
      std::error_code type_ec;
      if (entry.is_symlink(type_ec) && entry.is_directory(type_ec)) continue;
      if (entry.is_directory(type_ec)) {
        add_directory(entry.path());
      } else if (entry.is_regular_file(type_ec)) {
        sized_later_.push_back(files_.size());
        files_.push_back({entry.path().string(), 0});
      } else if (entry.is_symlink(type_ec)) {
        // A dangling link: listed so that reading it reports the reason instead of dropping it.
        files_.push_back({entry.path().string(), 0});
      }
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
  std::vector<InputFile> files_;
  std::vector<std::size_t> sized_later_;  // indexes into files_
};

}  // namespace

std::vector<InputFile> expand_inputs(const std::vector<std::string>& paths, ErrorPolicy policy,
                                     std::vector<InputFailure>& failures) {
  InputLister lister(policy, failures);
  for (const auto& path : paths)
    lister.add(path);
  return lister.take();
}

}  // namespace mrtbb
