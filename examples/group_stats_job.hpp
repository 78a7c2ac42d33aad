// The group-by of group_stats and group_stats_mpi: its command line, its job, its rejected lines
// and its output, the same whether the job runs in one process or on the ranks of an MPI job.
#pragma once

#include <mrtbb/core/serialization.hpp>
#include <mrtbb/pipeline/file_job.hpp>

#include <oneapi/tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <limits>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include "job_command_line.hpp"

namespace group_stats {

constexpr const char* program = "group_stats";
constexpr std::size_t rejections_shown = 10;

__extension__ using Int128 = __int128;

struct Stats {
  std::uint64_t count = 0;
  Int128 sum = 0;  // 2^64 values of at most 2^63 in magnitude cannot overflow it
  std::int64_t min = std::numeric_limits<std::int64_t>::max();
  std::int64_t max = std::numeric_limits<std::int64_t>::min();
};

inline void merge(Stats& into, Stats&& from) {
  into.count += from.count;
  into.sum += from.sum;
  into.min = std::min(into.min, from.min);
  into.max = std::max(into.max, from.max);
}

// [+-]?[0-9]+ within int64, and nothing else.
enum class Parsed { ok, not_an_integer, out_of_range };
inline Parsed parse_integer(std::string_view text, std::int64_t& value) {
  const bool signed_ = !text.empty() && (text.front() == '+' || text.front() == '-');
  if (text.size() == std::size_t{signed_} ||
      !std::all_of(text.begin() + signed_, text.end(),
                   [](char c) { return c >= '0' && c <= '9'; })) {
    return Parsed::not_an_integer;
  }
  if (text.front() == '+') text.remove_prefix(1);  // std::from_chars takes no plus sign
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() ? Parsed::ok : Parsed::out_of_range;
}

struct Rejection {
  std::size_t input;
  std::uint64_t line;
  std::string path;
  std::string reason;
};

// Rejected lines: how many, and the first few of them in input order.
struct Rejections {
  std::uint64_t count = 0;
  std::vector<Rejection> first;

  bool would_keep(std::size_t input, std::uint64_t line) const {
    if (first.size() < rejections_shown) return true;
    const Rejection& last = first.back();
    return std::tie(input, line) < std::tie(last.input, last.line);
  }
  void keep(Rejection rejection) {
    const auto at = std::upper_bound(first.begin(), first.end(), rejection,
                                     [](const Rejection& a, const Rejection& b) {
                                       return std::tie(a.input, a.line) < std::tie(b.input, b.line);
                                     });
    first.insert(at, std::move(rejection));
    if (first.size() > rejections_shown) first.pop_back();
  }
  // Those of another thread, or of another rank, which saw other lines.
  void add(Rejections&& other) {
    count += other.count;
    for (Rejection& rejection : other.first) {
      if (would_keep(rejection.input, rejection.line)) keep(std::move(rejection));
    }
  }
};

inline std::string shown(std::string_view field) {
  constexpr std::size_t most = 40;
  return "'" + std::string(field.substr(0, most)) + (field.size() > most ? "...'" : "'");
}

// Appends the decimal digits of `value`: std::to_chars has no 128-bit overload.
inline void append_decimal(std::string& out, Int128 value) {
  __extension__ using Unsigned128 = unsigned __int128;
  if (value < 0) out.push_back('-');
  Unsigned128 magnitude =
      value < 0 ? -static_cast<Unsigned128>(value) : static_cast<Unsigned128>(value);
  char digits[40];
  char* first = std::end(digits);
  do {
    *--first = static_cast<char>('0' + static_cast<int>(magnitude % 10));
    magnitude /= 10;
  } while (magnitude != 0);
  out.append(first, std::end(digits));
}

template <class Integer>
void append_decimal(std::string& out, Integer value) {
  char digits[24];
  const auto [end, error] = std::to_chars(std::begin(digits), std::end(digits), value);
  out.append(std::begin(digits), end);
}

class Output {
 public:
  void line(std::string_view key, const Stats& stats) {
    buffer_.append(key);
    buffer_.push_back('\t');
    append_decimal(buffer_, stats.count);
    buffer_.push_back('\t');
    append_decimal(buffer_, stats.sum);
    buffer_.push_back('\t');
    append_decimal(buffer_, stats.min);
    buffer_.push_back('\t');
    append_decimal(buffer_, stats.max);
    buffer_.push_back('\n');
    if (buffer_.size() >= (1 << 20)) flush();
  }
  bool flush() {
    if (!buffer_.empty() &&
        std::fwrite(buffer_.data(), 1, buffer_.size(), stdout) != buffer_.size())
      failed_ = true;
    buffer_.clear();
    return !failed_;
  }
  bool finish() { return flush() && std::fflush(stdout) == 0 && !failed_; }

 private:
  std::string buffer_;
  bool failed_ = false;
};

struct Command {
  std::vector<std::string> paths;
  mrtbb::Options options;
  std::size_t key_at = 0;  ///< the key's field, from 0
  std::size_t value_at = 0;
  bool print_stats = false;
};

/// The command, or the status to end with (after --help, or a bad command line). Messages are
/// printed only when `report`.
inline std::variant<Command, int> parse_command_line(int argc, char** argv, bool report) {
  CLI::App app("Per-key count, sum, min and max of an integer field of TSV records.", program);
  examples::JobCommandLine command_line(app);
  std::string key_field;
  std::string value_field;
  app.add_option("--key", key_field, "the field that keys a record, from 1")
      ->type_name("K")
      ->required();
  app.add_option("--value", value_field, "the integer field, from 1")->type_name("V")->required();
  Command command;
  app.add_flag("--stats", command.print_stats, "print the job's phases and sizes on stderr");
  if (const auto status = examples::parse(app, argc, argv, report)) return *status;
  if (!command_line.finish(app, program, report)) return 2;
  const auto key_number = examples::parse_whole_number(key_field);
  const auto value_number = examples::parse_whole_number(value_field);
  if (!key_number || !value_number || *key_number < 1 || *value_number < 1 ||
      *key_number > (1u << 20) || *value_number > (1u << 20)) {
    if (report) {
      std::fprintf(stderr, "%s: --key and --value take field numbers from 1 to %u\n", program,
                   1u << 20);
    }
    return 2;
  }
  command.paths = command_line.paths;
  command.options = command_line.options;
  command.key_at = *key_number - 1;
  command.value_at = *value_number - 1;
  return command;
}

/// The job's map function, which keeps the lines it rejects: parses field `key_at` and the integer
/// field `value_at` of each record.
class RecordParser {
 public:
  RecordParser(std::size_t key_at, std::size_t value_at)
      : key_at_(key_at), value_at_(value_at), fields_needed_(std::max(key_at, value_at) + 1) {}

  template <class Emitter>
  void operator()(const mrtbb::Record& record, Emitter& emitter) const {
    std::string_view key;
    std::string_view value;
    std::string_view rest = record.text;
    std::size_t fields = 0;
    while (fields < fields_needed_) {
      const std::size_t tab = rest.find('\t');
      const std::string_view field = rest.substr(0, tab);
      if (fields == key_at_) key = field;
      if (fields == value_at_) value = field;
      ++fields;
      if (tab == std::string_view::npos) break;
      rest.remove_prefix(tab + 1);
    }
    if (fields < fields_needed_) {
      return reject(record, [&] {
        return "too few fields (" + std::to_string(fields) + ", need " +
               std::to_string(fields_needed_) + ")";
      });
    }
    std::int64_t number = 0;
    switch (parse_integer(value, number)) {
      case Parsed::ok:
        return emitter.emit(key, Stats{1, number, number, number});
      case Parsed::not_an_integer:
        return reject(record, [&] {
          return "field " + std::to_string(value_at_ + 1) +
                 " is not a decimal integer: " + shown(value);
        });
      case Parsed::out_of_range:
        return reject(record, [&] {
          return "field " + std::to_string(value_at_ + 1) +
                 " is outside the int64 range: " + shown(value);
        });
    }
  }

  /// The lines rejected so far by all threads; call once the job is done.
  Rejections rejections() const {
    Rejections all;
    for (Rejections& mine : rejected_)
      all.add(std::move(mine));
    rejected_.clear();
    return all;
  }

 private:
  template <class Reason>
  void reject(const mrtbb::Record& record, Reason&& reason) const {
    Rejections& mine = rejected_.local();
    ++mine.count;
    if (mine.would_keep(record.input, record.line))
      mine.keep({record.input, record.line, std::string(record.path), reason()});
  }

  std::size_t key_at_;
  std::size_t value_at_;
  std::size_t fields_needed_;
  mutable tbb::enumerable_thread_specific<Rejections> rejected_;
};

/// The job over `parser`, which must outlive it.
inline auto job(const RecordParser& parser) {
  return mrtbb::record_job<std::string, Stats>(
             [&parser](const mrtbb::Record& record, auto& emitter) { parser(record, emitter); })
      .combine_with(merge);
}

/// Prints the first rejected lines and how many there were.
inline void report_rejections(const Rejections& all) {
  if (all.count == 0) return;
  for (const Rejection& rejection : all.first) {
    std::fprintf(stderr, "%s: %s:%llu: %s\n", program, rejection.path.c_str(),
                 static_cast<unsigned long long>(rejection.line), rejection.reason.c_str());
  }
  if (all.count > all.first.size()) {
    std::fprintf(stderr, "%s: and %llu more rejected lines\n", program,
                 static_cast<unsigned long long>(all.count - all.first.size()));
  }
  std::fprintf(stderr, "%s: %llu lines rejected\n", program,
               static_cast<unsigned long long>(all.count));
}

/// Reports the inputs that could not be read, prints the statistics, then the job's phases when
/// asked and the rejected lines. Returns the exit status: 1 when an input could not be read, a
/// line was rejected or the output could not be written.
inline int report_and_print(const mrtbb::FileJobResult<std::string, Stats>& result,
                            const Rejections& rejected, bool print_stats) {
  const int status = examples::report_input_failures(result, program);
  Output out;
  for (const auto& [key, stats] : result.results)
    out.line(key, stats);
  if (!out.finish()) {
    std::fprintf(stderr, "%s: cannot write the output\n", program);
    return 1;
  }
  if (print_stats) {
    const mrtbb::JobStats& job_stats = result.stats;
    std::fprintf(stderr,
                 "%s: %llu bytes, %llu chunks, %llu records kept, %llu keys on %zu workers; "
                 "read+map %.3f s, combine %.3f s, reduce+sort %.3f s\n",
                 program, static_cast<unsigned long long>(job_stats.bytes),
                 static_cast<unsigned long long>(job_stats.chunks),
                 static_cast<unsigned long long>(job_stats.tokens),
                 static_cast<unsigned long long>(job_stats.distinct), job_stats.workers,
                 job_stats.read_and_map_seconds, job_stats.combine_seconds,
                 job_stats.reduce_seconds);
  }
  report_rejections(rejected);
  return rejected.count == 0 ? status : 1;
}

}  // namespace group_stats

// Statistics cross ranks in the shuffle, and rejected lines travel to rank 0.
template <>
struct mrtbb::Serializer<group_stats::Stats> {
  static void write(std::string& out, const group_stats::Stats& stats) {
    mrtbb::serialize(out, stats.count);
    mrtbb::serialize(out, stats.sum);
    mrtbb::serialize(out, stats.min);
    mrtbb::serialize(out, stats.max);
  }
  static group_stats::Stats read(std::string_view& in) {
    group_stats::Stats stats;
    stats.count = mrtbb::deserialize<std::uint64_t>(in);
    stats.sum = mrtbb::deserialize<group_stats::Int128>(in);
    stats.min = mrtbb::deserialize<std::int64_t>(in);
    stats.max = mrtbb::deserialize<std::int64_t>(in);
    return stats;
  }
};

template <>
struct mrtbb::Serializer<group_stats::Rejection> {
  static void write(std::string& out, const group_stats::Rejection& rejection) {
    mrtbb::serialize(out, std::uint64_t{rejection.input});
    mrtbb::serialize(out, rejection.line);
    mrtbb::serialize(out, rejection.path);
    mrtbb::serialize(out, rejection.reason);
  }
  static group_stats::Rejection read(std::string_view& in) {
    group_stats::Rejection rejection;
    rejection.input = static_cast<std::size_t>(mrtbb::deserialize<std::uint64_t>(in));
    rejection.line = mrtbb::deserialize<std::uint64_t>(in);
    rejection.path = mrtbb::deserialize<std::string>(in);
    rejection.reason = mrtbb::deserialize<std::string>(in);
    return rejection;
  }
};

template <>
struct mrtbb::Serializer<group_stats::Rejections> {
  static void write(std::string& out, const group_stats::Rejections& rejections) {
    mrtbb::serialize(out, rejections.count);
    mrtbb::serialize(out, rejections.first);
  }
  static group_stats::Rejections read(std::string_view& in) {
    group_stats::Rejections rejections;
    rejections.count = mrtbb::deserialize<std::uint64_t>(in);
    rejections.first = mrtbb::deserialize<std::vector<group_stats::Rejection>>(in);
    return rejections;
  }
};
