// group_stats: per-key statistics over TSV records, as a file job over records. For each distinct
// value of field K, over the integers of field V: key, count, sum, min and max, keys in byte order.
//
//   group_stats --key 1 --value 3 [-j N] [--grain SIZE] [PATH...]
//
// A line with too few fields, or whose field V is not a decimal integer within int64, is rejected
// and reported as PATH:LINE (the first 10 in input order); the exit status is then 1.
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
#include <vector>

#include "job_command_line.hpp"

namespace {

constexpr const char* program = "group_stats";
constexpr std::size_t rejections_shown = 10;

__extension__ using Int128 = __int128;

struct Stats {
  std::uint64_t count = 0;
  Int128 sum = 0;  // 2^64 values of at most 2^63 in magnitude cannot overflow it
  std::int64_t min = std::numeric_limits<std::int64_t>::max();
  std::int64_t max = std::numeric_limits<std::int64_t>::min();
};

void merge(Stats& into, Stats&& from) {
  into.count += from.count;
  into.sum += from.sum;
  into.min = std::min(into.min, from.min);
  into.max = std::max(into.max, from.max);
}

// [+-]?[0-9]+ within int64, and nothing else.
enum class Parsed { ok, not_an_integer, out_of_range };
Parsed parse_integer(std::string_view text, std::int64_t& value) {
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

// One thread's rejected lines: how many, and the first few of them in input order.
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
};

std::string shown(std::string_view field) {
  constexpr std::size_t most = 40;
  return "'" + std::string(field.substr(0, most)) + (field.size() > most ? "...'" : "'");
}

// Appends the decimal digits of `value`: std::to_chars has no 128-bit overload.
void append_decimal(std::string& out, Int128 value) {
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Per-key count, sum, min and max of an integer field of TSV records.", program);
  examples::JobCommandLine command_line(app);
  std::string key_field;
  std::string value_field;
  app.add_option("--key", key_field, "the field that keys a record, from 1")
      ->type_name("K")
      ->required();
  app.add_option("--value", value_field, "the integer field, from 1")->type_name("V")->required();
  bool print_stats = false;
  app.add_flag("--stats", print_stats, "print the job's phases and sizes on stderr");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (!command_line.finish(app, program)) return 2;
  const auto key_number = examples::parse_whole_number(key_field);
  const auto value_number = examples::parse_whole_number(value_field);
  if (!key_number || !value_number || *key_number < 1 || *value_number < 1 ||
      *key_number > (1u << 20) || *value_number > (1u << 20)) {
    std::fprintf(stderr, "%s: --key and --value take field numbers from 1 to %u\n", program,
                 1u << 20);
    return 2;
  }
  const std::size_t key_at = *key_number - 1;
  const std::size_t value_at = *value_number - 1;
  const std::size_t fields_needed = std::max(key_at, value_at) + 1;

  tbb::enumerable_thread_specific<Rejections> rejected;
  const auto reject = [&](const mrtbb::Record& record, auto&& reason) {
    Rejections& mine = rejected.local();
    ++mine.count;
    if (mine.would_keep(record.input, record.line))
      mine.keep({record.input, record.line, std::string(record.path), reason()});
  };
  const auto parse = [&](const mrtbb::Record& record, auto& emitter) {
    std::string_view key;
    std::string_view value;
    std::string_view rest = record.text;
    std::size_t fields = 0;
    while (fields < fields_needed) {
      const std::size_t tab = rest.find('\t');
      const std::string_view field = rest.substr(0, tab);
      if (fields == key_at) key = field;
      if (fields == value_at) value = field;
      ++fields;
      if (tab == std::string_view::npos) break;
      rest.remove_prefix(tab + 1);
    }
    if (fields < fields_needed) {
      return reject(record, [&] {
        return "too few fields (" + std::to_string(fields) + ", need " +
               std::to_string(fields_needed) + ")";
      });
    }
    std::int64_t number = 0;
    switch (parse_integer(value, number)) {
      case Parsed::ok:
        return emitter.emit(key, Stats{1, number, number, number});
      case Parsed::not_an_integer:
        return reject(record, [&] {
          return "field " + std::to_string(value_at + 1) +
                 " is not a decimal integer: " + shown(value);
        });
      case Parsed::out_of_range:
        return reject(record, [&] {
          return "field " + std::to_string(value_at + 1) +
                 " is outside the int64 range: " + shown(value);
        });
    }
  };

  const auto job = mrtbb::record_job<std::string, Stats>(parse).combine_with(merge);
  int status = 0;
  try {
    const auto result = mrtbb::run_file_job(job, command_line.paths, command_line.options);
    for (const auto& failure : result.failures) {
      std::fprintf(stderr, "%s: cannot read '%s': %s\n", program, failure.input.c_str(),
                   failure.reason.c_str());
      status = 1;
    }
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
  } catch (const mrtbb::Error& e) {
    std::fprintf(stderr, "%s: %s\n", program, e.what());
    return 1;
  }

  Rejections all;
  for (Rejections& mine : rejected) {
    all.count += mine.count;
    for (Rejection& rejection : mine.first) {
      if (all.would_keep(rejection.input, rejection.line)) all.keep(std::move(rejection));
    }
  }
  if (all.count == 0) return status;
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
  return 1;
}
