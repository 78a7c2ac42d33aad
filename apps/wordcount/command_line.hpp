#pragma once

#include <cstddef>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "mrtbb/mrtbb.hpp"
#include "wordcount/output.hpp"

namespace wordcount {

/// What --stats prints on stderr.
enum class StatsFormat { none, text, json };

/// Everything the command line asks for.
struct Config {
  std::vector<std::string> paths;
  mrtbb::Options job;
  mrtbb::TokenizerOptions tokenizer;
  OutputFormat format = OutputFormat::text;
  SortOrder sort = SortOrder::count;
  bool reverse = false;          ///< print `sort`'s order reversed
  std::string output_path;       ///< empty: standard output
  std::optional<bool> progress;  ///< unset: on when stderr is a terminal and the input is large
  StatsFormat stats = StatsFormat::none;
  bool verbose = false;
};

/// Parses the command line. Returns the configuration, or the exit status to end with when help or
/// the version was printed (0, on `out`) or the command line was wrong (2, with a message on
/// `err`). `name` is the program's name in the usage line of --help.
std::variant<Config, int> parse_command_line(int argc, char** argv,
                                             std::string_view name = "wordcount",
                                             std::ostream& out = std::cout,
                                             std::ostream& err = std::cerr);

/// A whole decimal number: digits only (no sign, spaces, or 0x); nullopt for anything else or a
/// number past 2^64 - 1.
std::optional<std::uint64_t> parse_whole_number(std::string_view text);

/// "4096", "64K", "1M", "2G" (powers of 1024) -> bytes; nullopt for anything else or a size past
/// 2^64 - 1.
std::optional<std::uint64_t> parse_size(std::string_view text);

/// The most a stop-words file may hold: enough for any word list, and a bound on what a mistaken
/// path (/dev/zero, a disk image) can cost before it is rejected.
inline constexpr std::size_t max_stop_words_bytes = std::size_t{64} << 20;

/// The longest entry of a --files-from list: PATH_MAX, the longest path the system opens.
inline constexpr std::size_t max_listed_path_bytes = 4096;

/// The paths of a --files-from list (`-`: standard input), separated by `separator` ('\n' or
/// '\0'). Empty entries are ignored; with '\n', a CR ending a line is dropped (lists written on
/// Windows). Throws mrtbb::InputError naming the list when it cannot be read or an entry is longer
/// than max_listed_path_bytes.
std::vector<std::string> read_path_list(const std::string& path, char separator);

/// The words of a stop-words file: one a line, '#' starts a comment, blank lines ignored.
/// Throws mrtbb::InputError when the file cannot be read or holds more than max_stop_words_bytes;
/// at most that many bytes and one more are read.
std::vector<std::string> read_stop_words(const std::string& path);

}  // namespace wordcount
