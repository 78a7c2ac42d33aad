// Where every word occurs: for each word of the inputs, its places (path:line) in input order. A
// typed file job over records that keeps every value (no combiner) and reduces each key's values.
#include <mrtbb/pipeline/file_job.hpp>
#include <mrtbb/tokenize/words.hpp>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

int main(int argc, char** argv) {
  const std::vector<std::string> paths(argv + 1, argv + argc);  // files, directories or "-"
  const mrtbb::WordSplitter words({.kind = mrtbb::TokenizerKind::letters});
  const auto places = [&](const mrtbb::Record& line, auto& emitter) {
    words.for_each_word(line.text, [&](std::string_view word) {
      emitter.emit(word, std::string(line.path) + ":" + std::to_string(line.line));
    });
  };
  const auto join = [](const std::string&, std::vector<std::string>&& in_input_order) {
    std::string joined;
    for (const std::string& place : in_input_order)
      joined += (joined.empty() ? "" : " ") + place;
    return joined;
  };
  const auto job = mrtbb::record_job<std::string, std::string>(places).reduce_with(join);
  try {
    for (const auto& [word, where] : mrtbb::run_file_job(job, paths, {.workers = 4}).results)
      std::printf("%s: %s\n", word.c_str(), where.c_str());
  } catch (const mrtbb::Error& e) {  // e.g. "cannot read 'x': No such file or directory"
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}
