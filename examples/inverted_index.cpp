// inverted_index: for every word of the inputs, the files that hold it, as a text job whose map
// function splits words exactly as wordcount's `letters` rule does.
//
//   inverted_index [-j N] [--grain SIZE] [PATH...]
//
// One line per word, words in byte order: word<TAB>path<TAB>path..., each file once, paths in byte
// order, named as `find PATH -type f` names them.
#include <mrtbb/pipeline/file_job.hpp>
#include <mrtbb/tokenize/words.hpp>

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "job_command_line.hpp"

namespace {

constexpr const char* program = "inverted_index";

// The files that hold a word: sorted, each once.
using Paths = std::vector<std::string>;

void unite(Paths& into, Paths&& from) {
  // The common case: one path, which the word's list already holds or ends with.
  if (from.size() == 1 && !into.empty() && into.back() == from.front()) return;
  Paths all;
  all.reserve(into.size() + from.size());
  std::set_union(std::make_move_iterator(into.begin()), std::make_move_iterator(into.end()),
                 std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()),
                 std::back_inserter(all));
  into = std::move(all);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("For every word of the inputs, the files that hold it.", program);
  examples::JobCommandLine command_line(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (!command_line.finish(app, program)) return 2;

  const mrtbb::TokenizerOptions rule{.kind = mrtbb::TokenizerKind::letters};
  const mrtbb::WordSplitter words(rule);
  // A piece of text lies in one file: each of its words is emitted once, with that file.
  const auto index = [&](const mrtbb::TextSegment& segment, auto& emitter) {
    std::unordered_set<std::string> seen;
    words.for_each_word(segment, [&](std::string_view word) { seen.emplace(word); });
    for (const std::string& word : seen)
      emitter.emit(word, Paths{std::string(segment.path)});
  };
  const auto job =
      mrtbb::text_job<std::string, Paths>(index, mrtbb::word_boundary(rule)).combine_with(unite);

  int status = 0;
  try {
    const auto result = mrtbb::run_file_job(job, command_line.paths, command_line.options);
    for (const auto& failure : result.failures) {
      std::fprintf(stderr, "%s: cannot read '%s': %s\n", program, failure.input.c_str(),
                   failure.reason.c_str());
      status = 1;
    }
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
  } catch (const mrtbb::Error& e) {
    std::fprintf(stderr, "%s: %s\n", program, e.what());
    return 1;
  }
  return status;
}
