#include "wordcount/command_line.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <limits>

#include "wordcount/exit_status.hpp"

namespace wordcount {

namespace {

// The library's own ceiling (mrtbb::resolve rejects more workers).
constexpr std::uint64_t max_workers = 4096;
// A chunk buffer of a gigabyte already takes seconds to fill; more is a typo.
constexpr std::uint64_t max_grain = std::uint64_t{1} << 30;
// Four chunks per worker at the most workers: the library's default at that size.
constexpr std::uint64_t max_tokens_in_flight = 4 * max_workers;

constexpr const char* description =
    "Count the words of files, directories (walked recursively, in sorted order) or\n"
    "standard input ('-', or no PATH at all) with mrtbb, and print them most\n"
    "frequent first (ties in byte order of the word). Directory walks leave out\n"
    "hidden entries (names starting with '.') unless --hidden, and what --exclude\n"
    "matches, and binary files (a NUL byte in their first 8 KiB); a PATH named on\n"
    "the command line is always read. gzip and zstd inputs, told by their first\n"
    "bytes, are decompressed as they are read.\n"
    "\n"
    "Tokenizers:\n"
    "  letters       a word is a run of letters and combining marks (Unicode L* and\n"
    "                M*), lowercased\n"
    "  alpha-tokens  ASCII punctuation becomes space, split on Unicode whitespace,\n"
    "                keep tokens made only of letters (L*), lowercased (Python's\n"
    "                SimpleMapReduce example)\n"
    "  whitespace    a word is a run of bytes other than space, \\t \\n \\v \\f \\r; only\n"
    "                A-Z lowercased\n"
    "Invalid UTF-8 reads as U+FFFD, which is neither a letter nor whitespace.\n"
    "With --keep-case no rule lowercases.";

constexpr const char* epilog =
    "Exit status:\n"
    "  0  all inputs counted\n"
    "  1  some input could not be read (the others are counted and printed, each\n"
    "     failure named on stderr), or the output could not be written\n"
    "  2  bad usage (also an unreadable --stop-words or --files-from file)\n"
    "\n"
    "Examples:\n"
    "  wordcount --top 20 README.md docs/\n"
    "  wordcount -j 2 --tokenizer whitespace --format tsv big.txt -o counts.tsv\n"
    "  cat notes.txt | wordcount --stop-words stop.txt --min-count 3 --format json\n"
    "  find . -name '*.md' -print0 | wordcount --files-from - -0 --sort word";

constexpr std::size_t help_width = 79;
constexpr std::size_t help_column = 30;  // where option descriptions start

// `text` broken into lines of at most `width` columns at spaces, the lines after the first
// indented by `indent`.
std::string wrapped(std::string_view text, std::size_t indent, std::size_t width) {
  std::string out;
  std::size_t line = 0;
  while (!text.empty()) {
    const std::size_t space = text.find(' ');
    const std::string_view word = text.substr(0, space);
    text.remove_prefix(space == std::string_view::npos ? text.size() : space + 1);
    if (line != 0 && line + 1 + word.size() > width) {
      out += '\n';
      out.append(indent, ' ');
      line = 0;
    }
    if (line != 0) {
      out += ' ';
      ++line;
    }
    out += word;
    line += word.size();
  }
  return out;
}

// --help in the shape of GNU tools, which help2man turns into the man page: the usage line, the
// description, one line per option ("  -j, --workers=N  what it does") and the exit statuses.
// CLI11's own layout adds type and range noise ("UINT:UINT in [1 - 4096]", "Excludes:").
std::string help_text(const CLI::App& app, const std::string& name) {
  std::string help =
      "Usage: " + name + " [OPTION]... [PATH]...\n" + app.get_description() + "\n\nOptions:\n";
  std::vector<const CLI::Option*> options;
  for (const CLI::Option* option : app.get_options()) {
    if (!option->get_positional()) options.push_back(option);
  }
  // --help and --version last, as GNU tools list them.
  std::stable_partition(options.begin(), options.end(), [&](const CLI::Option* option) {
    return option != app.get_help_ptr() && option != app.get_version_ptr();
  });
  for (const CLI::Option* option : options) {
    std::string names = "  ";
    const auto shorts = option->get_snames();
    names += shorts.empty() ? "    " : "-" + shorts.front() + ", ";
    names += "--" + option->get_lnames().front();
    // A value that may be left out ("[=FMT]") is written as it is, otherwise "=ARG".
    const std::string& argument = option->get_type_name();
    if (!argument.empty()) names += argument.starts_with('[') ? argument : "=" + argument;
    if (names.size() + 2 > help_column) {
      names += "\n";
      names.append(help_column, ' ');
    } else {
      names.append(help_column - names.size(), ' ');
    }
    help +=
        names + wrapped(option->get_description(), help_column, help_width - help_column) + "\n";
  }
  return help + "\n" + app.get_footer() + "\n";
}

// CLI11 prints its own message for --help and --version; every other parse error is ours to report.
int report_usage_error(std::ostream& err, const std::string& message) {
  err << "wordcount: " << message << "\n"
      << "Run 'wordcount --help' for the options.\n";
  return usage_error;
}

int report_bad_number(std::ostream& err, const std::string& option, const std::string& value,
                      std::uint64_t least, std::uint64_t most) {
  return report_usage_error(err, "invalid " + option + " '" + value +
                                     "': expected a whole number from " + std::to_string(least) +
                                     " to " + std::to_string(most));
}

}  // namespace

std::optional<std::uint64_t> parse_whole_number(std::string_view text) {
  // std::from_chars reads only decimal digits, so "-1", "+3", " 3", "0x10" and "1e3" fail whole.
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
  std::uint64_t multiplier = 1;
  if (!text.empty()) {
    switch (text.back()) {
      case 'K':
      case 'k':
        multiplier = std::uint64_t{1} << 10;
        break;
      case 'M':
      case 'm':
        multiplier = std::uint64_t{1} << 20;
        break;
      case 'G':
      case 'g':
        multiplier = std::uint64_t{1} << 30;
        break;
      default:
        break;
    }
  }
  if (multiplier != 1) text.remove_suffix(1);
  const auto value = parse_whole_number(text);
  if (!value || *value > std::numeric_limits<std::uint64_t>::max() / multiplier) {
    return std::nullopt;
  }
  return *value * multiplier;
}

std::vector<std::string> read_path_list(const std::string& path, char separator) {
  const bool from_stdin = path == mrtbb::stdin_name;
  const int fd = from_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  const std::string name = from_stdin ? "standard input" : path;
  if (fd < 0) throw mrtbb::InputError(name, std::strerror(errno));
  const auto fail = [&](const std::string& reason) {
    if (!from_stdin) ::close(fd);
    throw mrtbb::InputError(name, reason);
  };
  std::vector<std::string> paths;
  std::string entry;
  std::uint64_t entry_number = 1;
  const auto too_long = [&] {
    fail("entry " + std::to_string(entry_number) + " is longer than " +
         std::to_string(max_listed_path_bytes) + " bytes, the longest path");
  };
  const auto end_entry = [&] {
    if (separator == '\n' && entry.ends_with('\r')) entry.pop_back();
    if (entry.size() > max_listed_path_bytes) too_long();
    if (!entry.empty()) paths.push_back(std::move(entry));
    entry.clear();
    ++entry_number;
  };
  char buffer[64 * 1024];
  for (;;) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) fail(std::strerror(errno));
    if (got == 0) break;
    for (std::string_view rest(buffer, static_cast<std::size_t>(got)); !rest.empty();) {
      const std::size_t end = rest.find(separator);
      entry.append(rest.substr(0, end));
      // A CR may still come off the end of a line: one byte of slack.
      if (entry.size() > max_listed_path_bytes + 1) too_long();
      if (end == std::string_view::npos) break;
      end_entry();
      rest.remove_prefix(end + 1);
    }
  }
  end_entry();
  if (!from_stdin) ::close(fd);
  return paths;
}

std::vector<std::string> read_stop_words(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw mrtbb::InputError(path, std::strerror(errno));
  // One byte past the limit is enough to know the file is too large, whatever it is (/dev/zero).
  std::string text;
  constexpr std::size_t piece = 64 * 1024;
  while (text.size() <= max_stop_words_bytes) {
    const std::size_t old_size = text.size();
    text.resize(old_size + std::min(piece, max_stop_words_bytes + 1 - old_size));
    const ssize_t got = ::read(fd, text.data() + old_size, text.size() - old_size);
    if (got < 0 && errno == EINTR) {
      text.resize(old_size);
      continue;
    }
    if (got < 0) {
      const int error = errno;
      ::close(fd);
      throw mrtbb::InputError(path, std::strerror(error));
    }
    text.resize(old_size + static_cast<std::size_t>(got));
    if (got == 0) break;
  }
  ::close(fd);
  if (text.size() > max_stop_words_bytes) {
    throw mrtbb::InputError(path, "it holds more than 64 MiB, the most a stop-words file may hold");
  }

  std::vector<std::string> words;
  std::string_view rest = text;
  while (!rest.empty()) {
    const auto end_of_line = rest.find('\n');
    std::string_view line = rest.substr(0, end_of_line);
    rest.remove_prefix(end_of_line == std::string_view::npos ? rest.size() : end_of_line + 1);
    if (const auto hash = line.find('#'); hash != std::string_view::npos)
      line = line.substr(0, hash);
    const auto first = line.find_first_not_of(" \t\r\f\v");
    if (first == std::string_view::npos) continue;
    const auto last = line.find_last_not_of(" \t\r\f\v");
    words.emplace_back(line.substr(first, last - first + 1));
  }
  return words;
}

std::variant<Config, int> parse_command_line(int argc, char** argv, std::string_view name,
                                             std::ostream& out, std::ostream& err) {
  Config config;
  CLI::App app(description, std::string(name));
  app.footer(epilog);
  app.set_help_flag("-h,--help", "print this help and exit");
  app.set_version_flag("--version", std::string("wordcount (mrtbb) ") + mrtbb::version().text,
                       "print the version and exit");
  const std::string program(name);
  app.formatter_fn([program](const CLI::App* shown, const std::string&, CLI::AppFormatMode) {
    return help_text(*shown, program);
  });

  // Numbers are taken as text and parsed here: CLI11 would wrap "-1" round and read "010" as 8.
  std::string workers;
  std::string grain;
  std::string tokens_in_flight;
  std::string top;
  std::string min_count;
  std::string tokenizer = "letters";
  std::string stop_words_file;
  std::string files_from;
  bool null_separated = false;
  std::string format = "text";
  std::string sort = "count";
  std::string stats;
  bool progress = false;
  bool no_progress = false;

  app.add_option("PATH", config.paths, "files, directories or - for stdin (default: stdin)")
      ->type_name("");
  app.add_option("-j,--workers", workers, "worker threads, 1 to 4096 (default: all cores)")
      ->type_name("N");
  app.add_option("--grain", grain, "bytes per chunk, 1 to 1G, K/M/G suffixes (default: 256K)")
      ->type_name("SIZE");
  app.add_option("--tokens-in-flight", tokens_in_flight,
                 "chunks in flight, 1 to 16384; memory ~ grain x N (default: 4 x workers)")
      ->type_name("N");
  app.add_option("--files-from", files_from,
                 "also read the paths listed in FILE (- for stdin), one a line, after the PATHs")
      ->type_name("FILE");
  app.add_flag("-0,--null", null_separated,
               "the --files-from list is separated by NUL bytes (find -print0)");
  app.add_flag("--hidden", config.job.walk.hidden,
               "walk hidden files and directories too (names starting with '.')");
  app.add_option("--exclude", config.job.walk.exclude,
                 "leave out what GLOB matches in directory walks (repeatable): its name, or with "
                 "a '/' its path below the PATH walked; a trailing '/' matches directories only")
      ->allow_extra_args(false)
      ->type_name("GLOB");
  app.add_option("--tokenizer", tokenizer, "letters (default), alpha-tokens or whitespace")
      ->type_name("NAME");
  app.add_flag("--keep-case", config.tokenizer.keep_case,
               "keep words as written (no lowercasing; stop words then match as written)");
  app.add_option("--skip-prefix", config.tokenizer.skip_prefix,
                 "skip lines whose text after leading whitespace starts with STR")
      ->type_name("STR");
  app.add_option("--stop-words", stop_words_file,
                 "words to leave out (at most 64 MiB): one a line, # starts a comment")
      ->type_name("FILE");
  app.add_option("--top", top,
                 "print only the N most frequent words (in the --sort order); 0 (the default): "
                 "all")
      ->type_name("N");
  app.add_option("--min-count", min_count, "print only words seen at least N times (default: 1)")
      ->type_name("N");
  app.add_option("--format", format, "text (default), tsv, csv, json or jsonl")->type_name("FMT");
  app.add_option("--sort", sort,
                 "count (default): most frequent first, ties by word; word: by word (byte order)")
      ->type_name("KEY");
  app.add_flag("--reverse", config.reverse, "print in the reverse of the --sort order");
  app.add_option("-o,--output", config.output_path,
                 "write to FILE, replaced only when done (so it can be an input); -: standard "
                 "output")
      ->type_name("FILE");
  app.add_flag("--progress", progress, "show a progress bar on stderr");
  app.add_flag("--no-progress", no_progress, "never show the progress bar")->excludes("--progress");
  app.add_flag("--stats{text}", stats,
               "print a summary of the run on stderr; FMT text (the default) or json (one JSON "
               "object)")
      ->type_name("[=FMT]");
  app.add_flag("-v,--verbose", config.verbose,
               "say on stderr which worker reads which input, and what walks skip");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    return report_usage_error(err, e.what());
  }

  if (app.count("--workers") != 0) {
    const auto n = parse_whole_number(workers);
    if (!n || *n < 1 || *n > max_workers) {
      return report_bad_number(err, "--workers", workers, 1, max_workers);
    }
    config.job.workers = static_cast<std::size_t>(*n);
  }
  if (app.count("--grain") != 0) {
    const auto bytes = parse_size(grain);
    if (!bytes || *bytes < 1 || *bytes > max_grain) {
      return report_usage_error(
          err, "invalid --grain '" + grain +
                   "': expected a number of bytes from 1 to 1G, optionally with K, "
                   "M or G");
    }
    config.job.grain = static_cast<std::size_t>(*bytes);
  }
  if (app.count("--tokens-in-flight") != 0) {
    const auto n = parse_whole_number(tokens_in_flight);
    if (!n || *n < 1 || *n > max_tokens_in_flight) {
      return report_bad_number(err, "--tokens-in-flight", tokens_in_flight, 1,
                               max_tokens_in_flight);
    }
    config.job.tokens_in_flight = static_cast<std::size_t>(*n);
  }
  if (app.count("--top") != 0) {
    const auto n = parse_whole_number(top);
    if (!n || *n > std::numeric_limits<std::size_t>::max()) {
      return report_bad_number(err, "--top", top, 0, std::numeric_limits<std::size_t>::max());
    }
    config.job.top_k = static_cast<std::size_t>(*n);
  }
  if (app.count("--min-count") != 0) {
    const auto n = parse_whole_number(min_count);
    if (!n) {
      return report_bad_number(err, "--min-count", min_count, 0,
                               std::numeric_limits<std::uint64_t>::max());
    }
    config.job.min_count = *n;
  }
  const auto kind = mrtbb::parse_tokenizer_kind(tokenizer);
  if (!kind) {
    return report_usage_error(
        err, "unknown tokenizer '" + tokenizer + "': choose letters, alpha-tokens or whitespace");
  }
  config.tokenizer.kind = *kind;
  const auto output_format = parse_output_format(format);
  if (!output_format) {
    return report_usage_error(
        err, "unknown format '" + format + "': choose text, tsv, csv, json or jsonl");
  }
  config.format = *output_format;
  const auto sort_order = parse_sort_order(sort);
  if (!sort_order) {
    return report_usage_error(err, "unknown sort key '" + sort + "': choose count or word");
  }
  config.sort = *sort_order;
  // As with --files-from and the inputs, a lone dash names the standard stream ("./-" a file).
  if (config.output_path == "-") config.output_path.clear();
  if (!stop_words_file.empty()) {
    try {
      config.tokenizer.stop_words = read_stop_words(stop_words_file);
    } catch (const mrtbb::InputError& e) {
      return report_usage_error(err,
                                "cannot read stop-words file '" + e.input() + "': " + e.reason());
    }
  }
  if (progress) config.progress = true;
  if (no_progress) config.progress = false;
  if (stats == "text") {
    config.stats = StatsFormat::text;
  } else if (stats == "json") {
    config.stats = StatsFormat::json;
  } else if (!stats.empty()) {
    return report_usage_error(err, "unknown --stats format '" + stats + "': choose text or json");
  }
  if (null_separated && files_from.empty()) {
    return report_usage_error(err, "-0/--null needs --files-from");
  }
  if (!files_from.empty()) {
    const bool list_on_stdin = files_from == mrtbb::stdin_name;
    std::vector<std::string> listed;
    try {
      listed = read_path_list(files_from, null_separated ? '\0' : '\n');
    } catch (const mrtbb::InputError& e) {
      return report_usage_error(err,
                                "cannot read --files-from list '" + e.input() + "': " + e.reason());
    }
    const auto stdin_named = [](const std::vector<std::string>& paths) {
      return std::find(paths.begin(), paths.end(), mrtbb::stdin_name) != paths.end();
    };
    if (list_on_stdin && (stdin_named(config.paths) || stdin_named(listed))) {
      return report_usage_error(
          err, "standard input holds the --files-from list, so it cannot be an input too");
    }
    config.paths.insert(config.paths.end(), std::make_move_iterator(listed.begin()),
                        std::make_move_iterator(listed.end()));
  } else if (config.paths.empty()) {
    config.paths.push_back(mrtbb::stdin_name);
  }
  return config;
}

}  // namespace wordcount
