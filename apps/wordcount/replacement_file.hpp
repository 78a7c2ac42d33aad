#pragma once

#include <sys/types.h>

#include <string>

namespace wordcount {

/// A new file written beside `target`, in the same directory, that takes the target's place only
/// when commit() is called: until then the target is untouched, so a command can read the file it
/// will replace (`wordcount a.txt -o a.txt`). The new file is removed when the object dies
/// uncommitted, and when SIGINT, SIGTERM, SIGHUP or SIGQUIT ends the process (those left at
/// SIG_IGN, as under nohup, stay ignored). Only SIGKILL (or the OOM killer) leaves it behind, as
/// `.wordcount-XXXXXX` beside the target, which is still as it was.
///
/// One at a time per process: the signal handler knows a single path. Failures throw
/// std::system_error with the errno value.
class ReplacementFile {
 public:
  /// Creates the new file, with the permission bits `mode`.
  ReplacementFile(std::string target, mode_t mode);
  ~ReplacementFile();
  ReplacementFile(const ReplacementFile&) = delete;
  ReplacementFile& operator=(const ReplacementFile&) = delete;

  int fd() const noexcept { return fd_; }

  /// Makes the written data durable and renames the new file over the target (atomically: a
  /// reader sees the old file or the new one, never a mix).
  void commit();

 private:
  /// Closes the new file and, unless committed, removes it; stops handling the signals.
  void release() noexcept;

  std::string target_;
  std::string temporary_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace wordcount
