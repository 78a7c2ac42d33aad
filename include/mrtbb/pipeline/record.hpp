#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

#include "mrtbb/pipeline/chunk.hpp"

namespace mrtbb {

/// One line of an input, as a job over records hands it to its map function.
struct Record {
  /// The line without its line feed, and without the carriage return before that line feed (a
  /// CRLF line ends the same as an LF line). The last line of an input may have no line feed.
  std::string_view text;
  /// The path of the input, as the job lists it ("-" for stdin); valid until the job returns.
  std::string_view path;
  /// The line's number in its input, from 1.
  std::uint64_t line = 0;
  /// The input's place in the job's order of inputs (0 for the first): (input, line) orders
  /// records, and whatever a map function reports of them, as the input is.
  std::size_t input = 0;
};

/// Calls visit(const Record&) for every line of `segment`, a piece of whole lines whose first line
/// is line number `first_line` of its input. A final line feed ends the last line; it does not
/// start an empty one.
template <class Visit>
void for_each_record(const TextSegment& segment, std::uint64_t first_line, Visit&& visit) {
  std::string_view rest = segment.text;
  Record record{{}, segment.path, first_line, segment.input};
  while (!rest.empty()) {
    const std::size_t lf = rest.find('\n');
    if (lf == std::string_view::npos) {
      record.text = rest;
      visit(std::as_const(record));
      return;
    }
    record.text = rest.substr(0, lf != 0 && rest[lf - 1] == '\r' ? lf - 1 : lf);
    visit(std::as_const(record));
    rest.remove_prefix(lf + 1);
    ++record.line;
  }
}

}  // namespace mrtbb
