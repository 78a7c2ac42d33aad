// The command line the file-job examples share with wordcount: paths (files, directories or - for
// stdin, which is the default), -j/--workers N and --grain SIZE, checked as wordcount checks them.
#pragma once

#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <mrtbb/core/options.hpp>
#include <mrtbb/pipeline/job_result.hpp>

namespace examples {

/// A whole decimal number and nothing else ("-1", "+3", " 3", "0x10" and "1e3" are not).
inline std::optional<std::uint64_t> parse_whole_number(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

/// Bytes with an optional K, M or G suffix (powers of 1024).
inline std::optional<std::uint64_t> parse_size(std::string_view text) {
  unsigned shift = 0;
  if (!text.empty()) {
    switch (text.back()) {
      case 'K':
      case 'k':
        shift = 10;
        break;
      case 'M':
      case 'm':
        shift = 20;
        break;
      case 'G':
      case 'g':
        shift = 30;
        break;
      default:
        break;
    }
  }
  if (shift != 0) text.remove_suffix(1);
  const auto value = parse_whole_number(text);
  if (!value || *value > (~std::uint64_t{0} >> shift)) return std::nullopt;
  return *value << shift;
}

class JobCommandLine {
 public:
  explicit JobCommandLine(CLI::App& app) {
    app.add_option("PATH", paths, "files, directories or - for stdin (default: stdin)")
        ->type_name("");
    app.add_option("-j,--workers", workers_, "worker threads, 1 to 4096 (default: all cores)")
        ->type_name("N");
    app.add_option("--grain", grain_, "bytes per chunk, 1 to 1G, K/M/G suffixes (default: 256K)")
        ->type_name("SIZE");
  }

  /// After app.parse: checks -j and --grain into `options`. False for a value out of range, with a
  /// message on stderr naming `program` when `report` (one rank of several says it).
  bool finish(const CLI::App& app, const char* program, bool report = true) {
    if (paths.empty()) paths.push_back("-");
    if (app.count("--workers") != 0) {
      const auto n = parse_whole_number(workers_);
      if (!n || *n < 1 || *n > mrtbb::max_workers) {
        if (report)
          std::fprintf(stderr,
                       "%s: invalid --workers '%s': expected a whole number from 1 to %zu\n",
                       program, workers_.c_str(), mrtbb::max_workers);
        return false;
      }
      options.workers = static_cast<std::size_t>(*n);
    }
    if (app.count("--grain") != 0) {
      const auto bytes = parse_size(grain_);
      if (!bytes || *bytes < 1 || *bytes > mrtbb::max_text_grain) {
        if (report)
          std::fprintf(stderr,
                       "%s: invalid --grain '%s': expected a number of bytes from 1 to 1G, "
                       "optionally with K, M or G\n",
                       program, grain_.c_str());
        return false;
      }
      options.grain = static_cast<std::size_t>(*bytes);
    }
    // Like wordcount: an unreadable input is reported, and the others still counted.
    options.on_input_error = mrtbb::ErrorPolicy::skip_and_report;
    return true;
  }

  std::vector<std::string> paths;
  mrtbb::Options options;

 private:
  std::string workers_;
  std::string grain_;
};

/// Parses the command line into `app`'s options. Returns the exit status to end with when parsing
/// ends the program: 0 after --help, 2 for an error, printed only when `report`.
inline std::optional<int> parse(CLI::App& app, int argc, char** argv, bool report) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::ostringstream unreported;
    const int status = report ? app.exit(e) : app.exit(e, unreported, unreported);
    return status == 0 ? 0 : 2;
  }
  return std::nullopt;
}

/// Names each input the job could not read, as wordcount does; 1 (the exit status) when there was
/// one, else 0.
inline int report_input_failures(const mrtbb::JobReport& report, const char* program) {
  for (const auto& failure : report.failures) {
    std::fprintf(stderr, "%s: cannot read '%s': %s\n", program, failure.input.c_str(),
                 failure.reason.c_str());
  }
  return report.failures.empty() ? 0 : 1;
}

}  // namespace examples
