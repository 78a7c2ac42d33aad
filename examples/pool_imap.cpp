// imap (ordered, lazy) and imap_unordered (as results finish, each with its item's index).
#include <mrtbb/mrtbb.hpp>

#include <algorithm>
#include <cstdio>
#include <ranges>
#include <vector>

int main() {
  mrtbb::Pool pool({.workers = 3});
  const auto square = [](int x) { return x * x; };
  std::printf("imap:");
  // An endless input: only as many items are read as results are taken (plus a bounded look-ahead).
  auto ordered = pool.imap(square, std::views::iota(1), /*chunksize=*/2);
  for (int i = 0; i < 10; ++i)
    std::printf(" %d", *ordered.next());
  std::printf("\n");

  const std::vector<int> numbers = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  std::vector<int> unordered;
  for (const auto& [index, value] : pool.imap_unordered(square, numbers, 2)) {
    unordered.push_back(value);
  }
  std::sort(unordered.begin(), unordered.end());  // arrival order varies from run to run
  std::printf("imap_unordered, sorted:");
  for (int v : unordered)
    std::printf(" %d", v);
  std::printf("\n");
}
