#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mrtbb/core/options.hpp"

namespace mrtbb {

/// The name under which standard input is listed and reported.
inline constexpr const char* stdin_name = "-";

/// One file (or stdin) that a text job will read.
struct InputFile {
  std::string path;  ///< as the user gave it, or found below a directory the user gave
  /// Size of a regular file when listed, for progress; 0 for stdin and other streams.
  std::uint64_t size = 0;
  bool is_stdin() const noexcept { return path == stdin_name; }
};

/// An input that was left out under ErrorPolicy::skip_and_report.
struct InputFailure {
  std::string input;
  std::string reason;
};

/// An input that was read whole but not as it was when opened, e.g. a file that changed size while
/// it was read: its counts are those of the bytes read.
struct InputWarning {
  std::string input;
  std::string message;
};

/// Expands the paths a user gave: a directory becomes every regular file below it (recursively,
/// in sorted order), "-" stands for stdin, and anything else is kept as a file. A path that does
/// not exist or cannot be listed throws InputError under ErrorPolicy::fail, and is appended to
/// `failures` under ErrorPolicy::skip_and_report.
std::vector<InputFile> expand_inputs(const std::vector<std::string>& paths, ErrorPolicy policy,
                                     std::vector<InputFailure>& failures);

}  // namespace mrtbb
