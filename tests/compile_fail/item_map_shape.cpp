// A map function that does not take an emitter of the job's key and value types.
#include <mrtbb/core/map_reduce.hpp>

#include <string>
#include <vector>

int main() {
  const std::vector<std::string> lines = {"a b", "b"};
#ifdef MRTBB_WRONG_SHAPE
  const auto map = [](const std::string& line, mrtbb::Emitter<std::string, long>& emit) {
    emit.emit(line, 1);
  };
#else
  const auto map = [](const std::string& line, mrtbb::Emitter<std::string, int>& emit) {
    emit.emit(line, 1);
  };
#endif
  const auto reduce = [](const std::string&, const std::vector<int>& ones) { return ones.size(); };
  return static_cast<int>(mrtbb::map_reduce<std::string, int>(lines, map, reduce).size());
}
