// A record job's map function gets a Record, not a TextSegment.
#include <mrtbb/pipeline/file_job.hpp>

#include <string>
#include <vector>

int main() {
#ifdef MRTBB_WRONG_SHAPE
  const auto map = [](const mrtbb::TextSegment& s, auto& emitter) { emitter.emit(s.text, 1); };
#else
  const auto map = [](const mrtbb::Record& r, auto& emitter) { emitter.emit(r.text, 1); };
#endif
  const auto job = mrtbb::record_job<std::string, int>(map);
  return static_cast<int>(mrtbb::run_file_job(job, std::vector<std::string>{}).results.size());
}
