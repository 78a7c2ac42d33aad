// The seed's SimpleMapReduce word count on in-memory items: map each line to (word, 1) pairs,
// group them by word, and reduce each word's ones to a count. Prints the top words.
#include <mrtbb/mrtbb.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <numeric>
#include <string>
#include <vector>

int main() {
  const std::vector<std::string> lines = {
      "The map step turns each input into key and value pairs.",
      "The pairs are grouped by key, and the reduce step sees each key once,",
      "with all of its values, in input order.",
  };

  // map: one line -> (word, 1) for each lowercase run of ASCII letters in it.
  const auto map = [](const std::string& line, mrtbb::Emitter<std::string, int>& emit) {
    std::string word;
    for (char c : line + " ") {
      if (std::isalpha(static_cast<unsigned char>(c))) {
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      } else if (!word.empty()) {
        emit.emit(std::move(word), 1);
        word.clear();
      }
    }
  };
  // reduce: a word and all its ones -> the count.
  const auto reduce = [](const std::string&, const std::vector<int>& ones) {
    return std::accumulate(ones.begin(), ones.end(), 0);
  };

  auto counts = mrtbb::map_reduce<std::string, int>(lines, map, reduce, {.workers = 2, .grain = 1});
  std::stable_sort(counts.begin(), counts.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::printf("TOP 5 WORDS BY FREQUENCY\n");
  for (std::size_t i = 0; i < std::min<std::size_t>(5, counts.size()); ++i) {
    std::printf("%-8s %d\n", counts[i].first.c_str(), counts[i].second);
  }
}
