#pragma once

#include <sys/types.h>

#include <string>

namespace wordcount {

/// Where `-o PATH` writes, decided before anything is written.
struct OutputTarget {
  enum class Kind {
    /// A regular file, or none yet: written as a new file that replaces it at the end (see
    /// ReplacementFile), so that the old one survives every failure and can be an input.
    replace,
    /// Anything else (/dev/null, a FIFO, a terminal, /dev/stdout): opened and written directly.
    stream,
  };
  Kind kind;
  /// replace: the file to replace, symbolic links followed (the link stays, the file it names is
  /// replaced). stream: the path as given.
  std::string path;
  /// replace: the permission bits of the new file: the old file's (rwx for owner, group and
  /// others), or 0666 less the umask for a new one.
  mode_t mode = 0;
};

/// Follows `path` through its symbolic links to what it names. A link that lives on procfs, such
/// as /proc/self/fd/1 behind /dev/stdout, names an open file, not a path: the target is then a
/// stream whatever that file is, since replacing it would replace the file the descriptor was
/// opened on (and undo a `>>`). An existing regular file must be writable, as it would be for a
/// plain open. Throws std::system_error.
OutputTarget resolve_output_target(const std::string& path);

}  // namespace wordcount
