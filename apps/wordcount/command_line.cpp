#include "wordcount/command_line.hpp"

#include <CLI/CLI.hpp>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <limits>

#include "wordcount/exit_status.hpp"

namespace wordcount {

namespace {

constexpr const char* description =
    "Count the words of files, directories (walked recursively, in sorted order) or standard "
    "input\n"
    "('-', or no PATH at all) with mrtbb, and print them most frequent first (ties in byte order\n"
    "of the word).\n\n"
    "Tokenizers:\n"
    "  letters       a word is a run of letters and combining marks (Unicode L* and M*), "
    "lowercased\n"
    "  alpha-tokens  ASCII punctuation becomes space, split on Unicode whitespace, keep tokens "
    "made\n"
    "                only of letters (L*), lowercased (the rule of Python's SimpleMapReduce "
    "example)\n"
    "  whitespace    a word is a run of bytes other than space, \\t \\n \\v \\f \\r; only A-Z "
    "lowercased\n"
    "Invalid UTF-8 reads as U+FFFD, which is neither a letter nor whitespace.";

constexpr const char* epilog =
    "Exit status: 0 all inputs counted; 1 some input could not be read (the others are counted "
    "and\n"
    "printed, each failure named on stderr) or the output could not be written; 2 bad usage.\n\n"
    "Examples:\n"
    "  wordcount --top 20 README.md docs/\n"
    "  wordcount -j 2 --tokenizer whitespace --format tsv big.txt -o counts.tsv\n"
    "  cat notes.txt | wordcount --stop-words stop.txt --min-count 3 --format json";

// CLI11 prints its own message for --help and --version; every other parse error is ours to report.
int report_usage_error(const std::string& message) {
  std::cerr << "wordcount: " << message << "\n"
            << "Run 'wordcount --help' for the options.\n";
  return usage_error;
}

}  // namespace

std::optional<std::size_t> parse_size(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::size_t multiplier = 1;
  switch (text.back()) {
    case 'K':
    case 'k':
      multiplier = std::size_t{1} << 10;
      break;
    case 'M':
    case 'm':
      multiplier = std::size_t{1} << 20;
      break;
    case 'G':
    case 'g':
      multiplier = std::size_t{1} << 30;
      break;
    default:
      break;
  }
  if (multiplier != 1) text.remove_suffix(1);
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value == 0) return std::nullopt;
  if (value > std::numeric_limits<std::size_t>::max() / multiplier) return std::nullopt;
  return value * multiplier;
}

std::vector<std::string> read_stop_words(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw mrtbb::InputError(path, std::strerror(errno));
  std::vector<std::string> words;
  std::string line;
  while (std::getline(in, line)) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    const auto first = line.find_first_not_of(" \t\r\f\v");
    if (first == std::string::npos) continue;
    const auto last = line.find_last_not_of(" \t\r\f\v");
    words.push_back(line.substr(first, last - first + 1));
  }
  if (in.bad()) throw mrtbb::InputError(path, std::strerror(errno));
  return words;
}

std::variant<Config, int> parse_command_line(int argc, char** argv) {
  Config config;
  CLI::App app(description, "wordcount");
  app.footer(epilog);
  app.set_version_flag("--version", std::string("wordcount (mrtbb) ") + mrtbb::version);
  app.get_formatter()->column_width(28);

  std::size_t workers = 0;
  std::string grain;
  std::string tokenizer = "letters";
  std::string stop_words_file;
  std::string format = "text";
  bool progress = false;
  bool no_progress = false;

  app.add_option("PATH", config.paths, "files, directories or - for stdin (default: stdin)");
  app.add_option("-j,--workers", workers, "worker threads (default: all cores)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{4096}));
  app.add_option("--grain", grain, "bytes per chunk, with optional K/M/G suffix (default: 256K)");
  app.add_option("--tokenizer", tokenizer, "letters (default), alpha-tokens or whitespace");
  app.add_option("--skip-prefix", config.tokenizer.skip_prefix,
                 "skip lines whose text after leading whitespace starts with STR");
  app.add_option("--stop-words", stop_words_file,
                 "file of words to leave out: one a line, # starts a comment");
  app.add_option("--top", config.job.top_k, "print only the N most frequent words");
  app.add_option("--min-count", config.job.min_count, "print only words seen at least N times");
  app.add_option("--format", format, "text (default), tsv, csv or json");
  app.add_option("-o,--output", config.output_path, "write to FILE instead of standard output");
  app.add_flag("--progress", progress, "show a progress bar on stderr");
  app.add_flag("--no-progress", no_progress, "never show the progress bar")->excludes("--progress");
  app.add_flag("--stats", config.stats, "print a summary of the run on stderr");
  app.add_flag("-v,--verbose", config.verbose, "say on stderr which worker reads which input");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return report_usage_error(e.what());
  }

  config.job.workers = workers;
  if (!grain.empty()) {
    const auto bytes = parse_size(grain);
    if (!bytes) {
      return report_usage_error(
          "invalid --grain '" + grain +
          "': expected a positive number of bytes, optionally with K, M or G");
    }
    config.job.grain = *bytes;
  }
  const auto kind = mrtbb::parse_tokenizer_kind(tokenizer);
  if (!kind) {
    return report_usage_error("unknown tokenizer '" + tokenizer +
                              "': choose letters, alpha-tokens or whitespace");
  }
  config.tokenizer.kind = *kind;
  const auto output_format = parse_output_format(format);
  if (!output_format) {
    return report_usage_error("unknown format '" + format + "': choose text, tsv, csv or json");
  }
  config.format = *output_format;
  if (!stop_words_file.empty()) {
    try {
      config.tokenizer.stop_words = read_stop_words(stop_words_file);
    } catch (const mrtbb::InputError& e) {
      return report_usage_error("cannot read stop-words file '" + e.input() + "': " + e.reason());
    }
  }
  if (progress) config.progress = true;
  if (no_progress) config.progress = false;
  if (config.paths.empty()) config.paths.push_back(mrtbb::stdin_name);
  return config;
}

}  // namespace wordcount
