// A fold that takes its first argument by reference and returns something is neither in place nor
// value-returning: map_fold must reject it instead of guessing which of the two it meant.
#include <mrtbb/core/map_fold.hpp>

#include <vector>

int main() {
  const std::vector<int> items = {1, 2, 3};
  const auto map = [](int item, auto& emit) { emit.emit(item % 2, item); };
#ifdef MRTBB_WRONG_SHAPE
  const auto fold = [](int& into, int value) { return into + value; };
#else
  const auto fold = [](int into, int value) { return into + value; };
#endif
  return static_cast<int>(mrtbb::map_fold<int, int>(items, map, fold).size());
}
