// Counts the words of the files and directories named on the command line and prints the ten most
// frequent: the README's quickstart, built and run as a test so that it stays true.
#include <mrtbb/mrtbb.hpp>

#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  const std::vector<std::string> paths(argv + 1, argv + argc);  // files, directories or "-"
  const mrtbb::TextMapper words = mrtbb::make_tokenizer({.kind = mrtbb::TokenizerKind::letters});
  try {
    const mrtbb::TextJobResult result =
        mrtbb::run_text_job(paths, words, {.workers = 4, .top_k = 10});
    for (const auto& [word, count] : result.results) {
      std::printf("%7llu %s\n", static_cast<unsigned long long>(count), word.c_str());
    }
  } catch (const mrtbb::Error& e) {  // e.g. "cannot read 'x': No such file or directory"
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}
