// Baseline for the comparison script: the straightforward single-threaded word counter a C++
// programmer writes first. Same rule as `wordcount --tokenizer whitespace`: words are runs of bytes
// other than ASCII whitespace, A-Z lowercased; output "count word", most frequent first.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

int main(int argc, char** argv) {
  std::unordered_map<std::string, std::uint64_t> counts;
  std::vector<char> buffer(1 << 16);
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "unordered_map_counter: cannot read '%s'\n", argv[i]);
      return 1;
    }
    std::string word;
    while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
      for (std::streamsize k = 0; k < in.gcount(); ++k) {
        const char c = buffer[static_cast<std::size_t>(k)];
        if (c == ' ' || (c >= '\t' && c <= '\r')) {
          if (!word.empty()) ++counts[word];
          word.clear();
        } else {
          word += c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c;
        }
      }
    }
    if (!word.empty()) ++counts[word];
  }
  std::vector<std::pair<std::string, std::uint64_t>> ordered(counts.begin(), counts.end());
  std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  for (const auto& [word, count] : ordered)
    std::printf("%llu %s\n", static_cast<unsigned long long>(count), word.c_str());
}
