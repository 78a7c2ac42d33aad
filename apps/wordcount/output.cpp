#include "wordcount/output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <utf8proc.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <system_error>

#include "mrtbb/tokenize/utf8.hpp"
#include "wordcount/output_target.hpp"

namespace wordcount {

namespace {
constexpr std::size_t flush_threshold = 64 * 1024;

// A word as a JSON string; JSON text must be UTF-8, so invalid bytes become U+FFFD.
std::string json_string(const std::string& word) {
  return nlohmann::json(word).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}
}  // namespace

std::optional<OutputFormat> parse_output_format(std::string_view name) {
  if (name == "text") return OutputFormat::text;
  if (name == "tsv") return OutputFormat::tsv;
  if (name == "csv") return OutputFormat::csv;
  if (name == "json") return OutputFormat::json;
  if (name == "jsonl") return OutputFormat::jsonl;
  return std::nullopt;
}

std::optional<SortOrder> parse_sort_order(std::string_view name) {
  if (name == "count") return SortOrder::count;
  if (name == "word") return SortOrder::word;
  return std::nullopt;
}

void sort_counts(std::vector<mrtbb::WordCount>& counts, SortOrder order, bool reverse) {
  // The job's order is already `count`; words are distinct, so byte order leaves no ties.
  if (order == SortOrder::word) {
    std::sort(counts.begin(), counts.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
  }
  if (reverse) std::reverse(counts.begin(), counts.end());
}

WriteError::WriteError(const std::string& target, int error)
    : std::runtime_error("cannot write to " + target + ": " + std::strerror(error)),
      error_(error) {}

OutputFile::OutputFile(const std::string& path) {
  if (path.empty()) {
    name_ = "standard output";
    fd_ = STDOUT_FILENO;
    return;
  }
  name_ = "'" + path + "'";
  try {
    const OutputTarget target = resolve_output_target(path);
    if (target.kind == OutputTarget::Kind::replace) {
      fd_ = replacement_.emplace(target.path, target.mode).fd();
      return;
    }
  } catch (const std::system_error& e) {
    throw WriteError(name_, e.code().value());
  }
  // Appending: through /dev/stdout, a file the shell opened with >> keeps what it held.
  fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd_ < 0) throw WriteError(name_, errno);
}

OutputFile::~OutputFile() {
  if (!replacement_ && fd_ > STDERR_FILENO) ::close(fd_);
}

void OutputFile::write(std::string_view bytes) {
  buffer_.append(bytes);
  if (buffer_.size() >= flush_threshold) flush();
}

void OutputFile::flush() {
  std::size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw WriteError(name_, errno);
    }
    done += static_cast<std::size_t>(n);
  }
  buffer_.clear();
}

void OutputFile::commit() {
  flush();
  if (!replacement_) return;
  try {
    replacement_->commit();
  } catch (const std::system_error& e) {
    throw WriteError(name_, e.code().value());
  }
}

std::string csv_field(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string quoted = "\"";
  for (char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::size_t display_width(std::string_view word) {
  std::size_t width = 0;
  std::size_t i = 0;
  // ASCII first: printable bytes are one column wide, control bytes none, as utf8proc says too.
  for (; i < word.size(); ++i) {
    const auto b = static_cast<unsigned char>(word[i]);
    if (b >= 0x80) break;
    width += b >= 0x20 && b < 0x7F ? 1 : 0;
  }
  while (i < word.size()) {
    const auto [cp, length] = mrtbb::utf8::decode(word, i);
    width += static_cast<std::size_t>(
        std::max(0, utf8proc_charwidth(static_cast<utf8proc_int32_t>(cp))));
    i += length;
  }
  return width;
}

void write_counts(const std::vector<mrtbb::WordCount>& counts, OutputFormat format,
                  OutputFile& out) {
  fmt::memory_buffer line;
  std::string row;
  switch (format) {
    case OutputFormat::text: {
      std::vector<std::size_t> widths(counts.size());
      std::size_t word_column = 0;
      std::uint64_t largest = 0;
      for (std::size_t i = 0; i < counts.size(); ++i) {
        widths[i] = display_width(counts[i].first);
        if (widths[i] <= max_word_column) word_column = std::max(word_column, widths[i]);
        largest = std::max(largest, counts[i].second);
      }
      const std::size_t count_column = fmt::formatted_size("{}", largest);
      // Appended piece by piece: a format string with computed widths costs more per line than
      // the rest of the job does per distinct word.
      for (std::size_t i = 0; i < counts.size(); ++i) {
        const fmt::format_int digits(counts[i].second);
        row.assign(counts[i].first);
        const std::size_t padding = word_column - std::min(word_column, widths[i]);
        row.append(padding + 2 + count_column - digits.size(), ' ');
        row.append(digits.data(), digits.size());
        row.push_back('\n');
        out.write(row);
      }
      break;
    }
    case OutputFormat::tsv:
      for (const auto& [word, count] : counts) {
        const fmt::format_int digits(count);
        row.assign(word);
        row.push_back('\t');
        row.append(digits.data(), digits.size());
        row.push_back('\n');
        out.write(row);
      }
      break;
    case OutputFormat::csv:
      out.write("word,count\r\n");
      for (const auto& [word, count] : counts) {
        line.clear();
        fmt::format_to(std::back_inserter(line), "{},{}\r\n", csv_field(word), count);
        out.write({line.data(), line.size()});
      }
      break;
    case OutputFormat::json:
      out.write("[");
      for (std::size_t i = 0; i < counts.size(); ++i) {
        line.clear();
        fmt::format_to(std::back_inserter(line), "{}\n  {{\"word\": {}, \"count\": {}}}",
                       i == 0 ? "" : ",", json_string(counts[i].first), counts[i].second);
        out.write({line.data(), line.size()});
      }
      out.write(counts.empty() ? "]\n" : "\n]\n");
      break;
    case OutputFormat::jsonl:
      for (const auto& [word, count] : counts) {
        line.clear();
        fmt::format_to(std::back_inserter(line), "{{\"word\":{},\"count\":{}}}\n",
                       json_string(word), count);
        out.write({line.data(), line.size()});
      }
      break;
  }
  out.flush();
}

}  // namespace wordcount
