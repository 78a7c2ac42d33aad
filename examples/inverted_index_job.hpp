// The inverted index of inverted_index and inverted_index_mpi: its command line, its job and its
// output, the same whether the job runs in one process or on the ranks of an MPI job.
#pragma once

#include <mrtbb/pipeline/file_job.hpp>
#include <mrtbb/tokenize/words.hpp>

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "job_command_line.hpp"

namespace inverted_index {

constexpr const char* program = "inverted_index";

// The files that hold a word: sorted, each once.
using Paths = std::vector<std::string>;

inline void unite(Paths& into, Paths&& from) {
  // The common case: one path, which the word's list already holds or ends with.
  if (from.size() == 1 && !into.empty() && into.back() == from.front()) return;
  Paths all;
  all.reserve(into.size() + from.size());
  std::set_union(std::make_move_iterator(into.begin()), std::make_move_iterator(into.end()),
                 std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()),
                 std::back_inserter(all));
  into = std::move(all);
}

struct Command {
  std::vector<std::string> paths;
  mrtbb::Options options;
};

/// The command, or the status to end with (after --help, or a bad command line). Messages are
/// printed only when `report`.
inline std::variant<Command, int> parse_command_line(int argc, char** argv, bool report) {
  CLI::App app("For every word of the inputs, the files that hold it.", program);
  examples::JobCommandLine command_line(app);
  if (const auto status = examples::parse(app, argc, argv, report)) return *status;
  if (!command_line.finish(app, program, report)) return 2;
  return Command{command_line.paths, command_line.options};
}

/// The job: words split exactly as wordcount's `letters` rule splits them, each with the file it
/// was found in.
inline auto job() {
  const mrtbb::TokenizerOptions rule{.kind = mrtbb::TokenizerKind::letters};
  // A piece of text lies in one file: each of its words is emitted once, with that file.
  const auto index = [words = mrtbb::WordSplitter(rule)](const mrtbb::TextSegment& segment,
                                                         auto& emitter) {
    std::unordered_set<std::string> seen;
    words.for_each_word(segment, [&](std::string_view word) { seen.emplace(word); });
    for (const std::string& word : seen)
      emitter.emit(word, Paths{std::string(segment.path)});
  };
  return mrtbb::text_job<std::string, Paths>(index, mrtbb::word_boundary(rule)).combine_with(unite);
}

/// Reports the inputs that could not be read and prints the index: one line per word, in byte
/// order, word<TAB>path<TAB>path... Returns the exit status: 1 when an input could not be read or
/// the output not written.
inline int report_and_print(const mrtbb::FileJobResult<std::string, Paths>& result) {
  const int status = examples::report_input_failures(result, program);
  std::string out;
  for (const auto& [word, paths] : result.results) {
    out.append(word);
    for (const std::string& path : paths) {
      out.push_back('\t');
      out.append(path);
    }
    out.push_back('\n');
  }
  if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() || std::fflush(stdout) != 0) {
    std::fprintf(stderr, "%s: cannot write the output\n", program);
    return 1;
  }
  return status;
}

}  // namespace inverted_index
