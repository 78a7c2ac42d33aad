// Counts the words of the files named on the command line through the public API, and prints the
// most frequent as "word count" lines.
#include <mrtbb/mrtbb.hpp>

#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  // A program can tell when the library it runs against is not the one its headers describe.
  if (mrtbb::version() != mrtbb::header_version) {
    std::fprintf(stderr, "headers %s, library %s\n", mrtbb::header_version.text,
                 mrtbb::version().text);
    return 1;
  }
  const std::vector<std::string> paths(argv + 1, argv + argc);
  const auto split = [](const mrtbb::TextSegment& segment, mrtbb::CountEmitter& emit) {
    std::size_t start = std::string_view::npos;
    const std::string_view text = segment.text;
    for (std::size_t i = 0; i <= text.size(); ++i) {
      const bool blank = i == text.size() || text[i] == ' ' || text[i] == '\n';
      if (!blank && start == std::string_view::npos) start = i;
      if (blank && start != std::string_view::npos) {
        emit.emit(text.substr(start, i - start));
        start = std::string_view::npos;
      }
    }
  };
  const auto result = mrtbb::run_text_job(paths, split, {.workers = 2, .top_k = 3});
  for (const auto& [word, count] : result.results) {
    std::printf("%s %llu\n", word.c_str(), static_cast<unsigned long long>(count));
  }
  return 0;
}
