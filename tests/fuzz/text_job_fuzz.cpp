// Fuzz target: a whole text job (reader, chunking at any grain, parallel map, combine, order) over
// one to three files of arbitrary bytes, with a fuzzed rule, skip prefix, stop words, grain and
// worker count, against the sequential reference counter of the tests. Files whose first bytes are
// gzip's or zstd's magic are decompressed by the reader, so for them the decompressor is fuzzed
// instead: the job must end, with results or with an InputError naming the damaged input.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "fuzz/fuzz_input.hpp"
#include "fuzz/report_mismatch.hpp"
#include "mrtbb/core/errors.hpp"
#include "mrtbb/pipeline/chunk_reader.hpp"
#include "mrtbb/pipeline/text_job.hpp"
#include "mrtbb/tokenize/tokenizers.hpp"
#include "support/corpus.hpp"
#include "support/reference.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const mrtbb::testing::TempDir dir("text-job-fuzz");
  mrtbb::fuzzing::FuzzInput input(data, size);
  const mrtbb::testing::Rule rule = input.rule();
  const mrtbb::testing::RuleOptions rule_options = input.rule_options();
  const std::size_t workers = input.number(1, 4);
  // Mostly tiny grains, where chunk edges fall everywhere; sometimes larger ones.
  const std::size_t grain = input.number(1, 16) * input.number(1, 24);
  const std::size_t files = input.number(1, 3);
  const std::string_view text = input.rest();

  std::vector<std::string> texts;
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < files; ++i) {
    const std::size_t begin = text.size() * i / files;
    const std::size_t end = text.size() * (i + 1) / files;
    texts.emplace_back(text.substr(begin, end - begin));
    paths.push_back(dir.write("input-" + std::to_string(i), texts.back()));
  }

  const mrtbb::TextMapper map =
      mrtbb::make_tokenizer(mrtbb::fuzzing::FuzzInput::tokenizer_options(rule, rule_options));
  const mrtbb::Options options{.workers = workers, .grain = grain};
  if (std::any_of(paths.begin(), paths.end(), mrtbb::starts_compressed)) {
    try {
      (void)mrtbb::run_text_job(paths, map, options);
    } catch (const mrtbb::InputError& error) {
      if (std::string(error.what()).find(dir.path().string()) == std::string::npos) {
        std::fprintf(stderr, "text job: a damaged input not named: %s\n", error.what());
        std::abort();
      }
    }
    return 0;
  }

  const mrtbb::TextJobResult result = mrtbb::run_text_job(paths, map, options);
  std::map<std::string, std::uint64_t> got;
  for (const auto& [word, count] : result.results)
    got[word] += count;
  mrtbb::fuzzing::require_same_counts(
      got, mrtbb::testing::reference_word_counts(rule, texts, rule_options), "text job");
  if (mrtbb::testing::ordered_counts(got) != result.results) {
    std::fprintf(stderr, "text job: counts right but not in count-then-word order\n");
    std::abort();
  }
  return 0;
}
