// A text job's map function gets a TextSegment, not a string.
#include <mrtbb/pipeline/text_job.hpp>

#include <string>

int main() {
#ifdef MRTBB_WRONG_SHAPE
  const auto map = [](const std::string& text, mrtbb::CountEmitter& emit) { emit.emit(text); };
#else
  const auto map = [](const mrtbb::TextSegment& s, mrtbb::CountEmitter& emit) {
    emit.emit(s.text);
  };
#endif
  return static_cast<int>(mrtbb::run_text_job({}, map).results.size());
}
