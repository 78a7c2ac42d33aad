// starmap: each item is a tuple of arguments.
#include <mrtbb/mrtbb.hpp>

#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

int main() {
  mrtbb::Pool pool({.workers = 5});
  const std::vector<std::tuple<int, std::string>> items = {
      {1, "chunk1"}, {3, "chunk2"}, {5, "chunk3"}, {7, "chunk4"}, {9, "chunk5"}};
  const auto labelled = pool.starmap(
      [](int n, const std::string& label) { return label + "-" + std::to_string(n * n); }, items,
      /*chunksize=*/2);
  for (const auto& line : labelled)
    std::printf("%s\n", line.c_str());
}
