// A reduce function that returns nothing has no result to give back for its key.
#include <mrtbb/core/map_reduce.hpp>

#include <vector>

int main() {
  const std::vector<int> items = {1, 2, 3};
  const auto map = [](int item, mrtbb::Emitter<int, int>& emit) { emit.emit(item % 2, item); };
#ifdef MRTBB_WRONG_SHAPE
  const auto reduce = [](int, const std::vector<int>&) {};
#else
  const auto reduce = [](int, const std::vector<int>& values) { return values.size(); };
#endif
  return static_cast<int>(mrtbb::map_reduce<int, int>(items, map, reduce).size());
}
