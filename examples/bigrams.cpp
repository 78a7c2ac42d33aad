// Word bigrams with WordSplitter: the words of each line as wordcount's `letters` rule splits and
// lowercases them, stop words left out, counted in pairs with map_fold.
#include <mrtbb/mrtbb.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

int main() {
  const std::vector<std::string> lines = {
      "The quick brown fox jumps over the lazy dog.",
      "A quick brown dog? The QUICK BROWN fox!",
      ".. a comment line, skipped as wordcount --skip-prefix .. would",
      "Quick-brown foxes: naïve, NAÏVE and quick brown.",
  };
  const mrtbb::WordSplitter splitter(
      {.kind = mrtbb::TokenizerKind::letters, .skip_prefix = "..", .stop_words = {"the", "a"}});

  const auto bigrams = mrtbb::map_fold<std::string, std::uint64_t>(
      lines,
      [&splitter](const std::string& line, auto& emit) {
        std::string previous;
        splitter.for_each_word(line, [&](std::string_view word) {
          if (!previous.empty()) emit.emit(previous + " " + std::string(word), 1);
          previous = word;
        });
      },
      std::plus<std::uint64_t>(), {.workers = 2});

  std::vector<std::pair<std::string, std::uint64_t>> top(bigrams.begin(), bigrams.end());
  std::stable_sort(top.begin(), top.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::printf("%zu distinct bigrams\n", bigrams.size());
  for (std::size_t i = 0; i < 4 && i < top.size(); ++i)
    std::printf("%llu %s\n", static_cast<unsigned long long>(top[i].second), top[i].first.c_str());
  // NAÏVE was lowercased as the rule lowercases: by code point, not only A-Z.
  const auto naive = std::find_if(bigrams.begin(), bigrams.end(),
                                  [](const auto& bigram) { return bigram.first == "naïve naïve"; });
  std::printf("naïve naïve: %llu\n",
              static_cast<unsigned long long>(naive == bigrams.end() ? 0 : naive->second));
}
