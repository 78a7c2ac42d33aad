#include "wordcount/output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_reduce.h>
#include <utf8proc.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <system_error>

#include "mrtbb/core/worker_arena.hpp"
#include "mrtbb/tokenize/utf8.hpp"
#include "wordcount/output_target.hpp"

namespace wordcount {

namespace {
constexpr std::size_t flush_threshold = 64 * 1024;

// A word as a JSON string; JSON text must be UTF-8, so invalid bytes become U+FFFD.
std::string json_string(const std::string& word) {
  return nlohmann::json(word).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Rows are formatted a block at a time, the blocks of a wave in parallel, and written in order:
// the bytes are those of formatting one row after the other, and memory stays at a wave's worth.
constexpr std::size_t rows_per_block = 16384;

// Appends row i to `block` with append_row(i, block) for every i < rows, and writes the rows.
template <class AppendRow>
void write_rows(std::size_t rows, std::size_t workers, OutputFile& out, AppendRow&& append_row) {
  const std::size_t blocks_per_wave = 4 * workers;
  const std::size_t rows_per_wave = rows_per_block * blocks_per_wave;
  std::vector<std::string> blocks(blocks_per_wave);
  mrtbb::WorkerArena arena(workers);
  for (std::size_t first = 0; first < rows; first += rows_per_wave) {
    const std::size_t last = std::min(rows, first + rows_per_wave);
    const std::size_t wave_blocks = (last - first + rows_per_block - 1) / rows_per_block;
    arena.execute([&] {
      tbb::parallel_for(std::size_t{0}, wave_blocks, [&](std::size_t b) {
        std::string& block = blocks[b];
        block.clear();
        const std::size_t begin = first + b * rows_per_block;
        const std::size_t end = std::min(last, begin + rows_per_block);
        for (std::size_t i = begin; i < end; ++i)
          append_row(i, block);
      });
    });
    for (std::size_t b = 0; b < wave_blocks; ++b)
      out.write(blocks[b]);
  }
}

void append_count(std::uint64_t count, std::string& block) {
  const fmt::format_int digits(count);
  block.append(digits.data(), digits.size());
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

void write_counts(const std::vector<mrtbb::WordCount>& counts, OutputFormat format, OutputFile& out,
                  std::size_t workers) {
  workers = std::max<std::size_t>(workers, 1);
  switch (format) {
    case OutputFormat::text: {
      // The columns depend on every row, so the widths come first, in parallel as well.
      std::vector<std::size_t> widths(counts.size());
      struct Columns {
        std::size_t word = 0;
        std::uint64_t largest = 0;
      };
      mrtbb::WorkerArena arena(workers);
      const Columns columns = arena.execute([&] {
        return tbb::parallel_reduce(
            tbb::blocked_range<std::size_t>(0, counts.size()), Columns{},
            [&](const tbb::blocked_range<std::size_t>& range, Columns acc) {
              for (std::size_t i = range.begin(); i != range.end(); ++i) {
                widths[i] = display_width(counts[i].first);
                if (widths[i] <= max_word_column) acc.word = std::max(acc.word, widths[i]);
                acc.largest = std::max(acc.largest, counts[i].second);
              }
              return acc;
            },
            [](Columns a, Columns b) {
              return Columns{std::max(a.word, b.word), std::max(a.largest, b.largest)};
            });
      });
      const std::size_t count_column = fmt::formatted_size("{}", columns.largest);
      // Appended piece by piece: a format string with computed widths costs more per line than
      // the rest of the job does per distinct word.
      write_rows(counts.size(), workers, out, [&](std::size_t i, std::string& block) {
        const fmt::format_int digits(counts[i].second);
        block.append(counts[i].first);
        const std::size_t padding = columns.word - std::min(columns.word, widths[i]);
        block.append(padding + 2 + count_column - digits.size(), ' ');
        block.append(digits.data(), digits.size());
        block.push_back('\n');
      });
      break;
    }
    case OutputFormat::tsv:
      write_rows(counts.size(), workers, out, [&](std::size_t i, std::string& block) {
        block.append(counts[i].first);
        block.push_back('\t');
        append_count(counts[i].second, block);
        block.push_back('\n');
      });
      break;
    case OutputFormat::csv:
      out.write("word,count\r\n");
      write_rows(counts.size(), workers, out, [&](std::size_t i, std::string& block) {
        block.append(csv_field(counts[i].first));
        block.push_back(',');
        append_count(counts[i].second, block);
        block.append("\r\n");
      });
      break;
    case OutputFormat::json:
      out.write("[");
      write_rows(counts.size(), workers, out, [&](std::size_t i, std::string& block) {
        block.append(i == 0 ? "\n  {\"word\": " : ",\n  {\"word\": ");
        block.append(json_string(counts[i].first));
        block.append(", \"count\": ");
        append_count(counts[i].second, block);
        block.push_back('}');
      });
      out.write(counts.empty() ? "]\n" : "\n]\n");
      break;
    case OutputFormat::jsonl:
      write_rows(counts.size(), workers, out, [&](std::size_t i, std::string& block) {
        block.append("{\"word\":");
        block.append(json_string(counts[i].first));
        block.append(",\"count\":");
        append_count(counts[i].second, block);
        block.append("}\n");
      });
      break;
  }
  out.flush();
}

}  // namespace wordcount
