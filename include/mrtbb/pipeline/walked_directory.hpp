#pragma once

#include <string>

#include "mrtbb/pipeline/inputs.hpp"

namespace mrtbb::detail {

/// The directory of files found in a walk that are opened or looked at one after another, opened
/// once for all of them in a row, so that each file costs the kernel the lookup of its name in
/// the directory instead of a walk down every directory of its path.
///
/// Names are looked up in the directory that held the file when it was opened here: one renamed
/// meanwhile is still read from, one removed fails each file with its own path. Not thread-safe:
/// one per reader or thread.
class WalkedDirectory {
 public:
  /// Where to look a file up with openat(2) or fstatat(2).
  struct Lookup {
    int directory;
    const char* name;
  };

  WalkedDirectory() = default;
  ~WalkedDirectory();
  WalkedDirectory(const WalkedDirectory&) = delete;
  WalkedDirectory& operator=(const WalkedDirectory&) = delete;

  /// `input`'s directory and its name there; AT_FDCWD and its whole path where it was not found
  /// in a walk or its directory cannot be opened (looking the path up then tells why).
  Lookup lookup(const InputFile& input);

 private:
  std::string path_;  // as the paths of its files begin
  int fd_ = -1;       // opened with O_PATH; -1 where it could not be opened
};

}  // namespace mrtbb::detail
