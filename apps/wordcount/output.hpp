#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "mrtbb/core/reduce.hpp"
#include "wordcount/replacement_file.hpp"

namespace wordcount {

enum class OutputFormat { text, tsv, csv, json, jsonl };

std::optional<OutputFormat> parse_output_format(std::string_view name);

/// The order the counts are printed in: `count` is most frequent first, ties in byte order of the
/// word (the job's own order); `word` is byte order of the word.
enum class SortOrder { count, word };

std::optional<SortOrder> parse_sort_order(std::string_view name);

/// Puts `counts`, which are in the job's order, into `order`, or its exact reverse.
void sort_counts(std::vector<mrtbb::WordCount>& counts, SortOrder order, bool reverse);

/// The widest word column of the text format, in display columns. A wider word takes its own
/// width on its own line; the other lines stay aligned.
inline constexpr std::size_t max_word_column = 40;

/// A write to the output that failed; `error` is the errno value.
class WriteError : public std::runtime_error {
 public:
  WriteError(const std::string& target, int error);
  int error() const noexcept { return error_; }

 private:
  int error_;
};

/// Buffered output to standard output or to `-o PATH`, through write(2), so that every failure (a
/// full disk, a closed pipe) is seen and reported.
///
/// A regular file (or a new one) is written as a replacement beside it that takes its place only at
/// commit(): until then the old file is as it was, whatever happens (an error, a signal, running
/// out of memory), so it can also be one of the inputs, as with `sort -o`. Anything else
/// (/dev/null, a FIFO, /dev/stdout) is written directly. See resolve_output_target.
class OutputFile {
 public:
  /// Empty path: standard output. Throws WriteError when the output cannot be opened or created.
  explicit OutputFile(const std::string& path);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::string_view bytes);
  void flush();
  /// Everything is written: flushes, and puts a replacement in place of the old file.
  void commit();
  const std::string& name() const noexcept { return name_; }

 private:
  std::string name_;
  std::optional<ReplacementFile> replacement_;
  int fd_;  // standard output, the stream opened, or the replacement's
  std::string buffer_;
};

/// Writes the counts in `format`: text (aligned columns, the word column at most max_word_column
/// wide), tsv (word TAB count), csv (RFC 4180 with a header), json (an array of {"word", "count"}
/// objects) or jsonl (one such object a line). In JSON, invalid UTF-8 becomes U+FFFD.
/// Rows are formatted on `workers` threads and written in order: the bytes do not depend on it.
void write_counts(const std::vector<mrtbb::WordCount>& counts, OutputFormat format, OutputFile& out,
                  std::size_t workers = 1);

/// A CSV field, quoted when it holds a comma, a quote, CR or LF (RFC 4180).
std::string csv_field(std::string_view field);

/// Columns a word takes in a terminal (East Asian wide characters take two).
std::size_t display_width(std::string_view word);

}  // namespace wordcount
