#pragma once

namespace wordcount {

/// The documented exit statuses of the command.
enum ExitStatus : int {
  success = 0,
  /// Some input could not be read (the rest were counted and printed), or the output could not be
  /// written.
  io_failure = 1,
  /// Bad command line: unknown option, malformed or out-of-range number, unknown tokenizer,
  /// unreadable or too large stop-words file.
  usage_error = 2,
};

}  // namespace wordcount
