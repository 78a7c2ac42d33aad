// Fuzz target: the three word rules, with skip prefix and stop words, on one segment of arbitrary
// bytes, against the sequential reference counter of the tests.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "fuzz/fuzz_input.hpp"
#include "fuzz/report_mismatch.hpp"
#include "mrtbb/core/count_table.hpp"
#include "mrtbb/tokenize/tokenizers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  mrtbb::fuzzing::FuzzInput input(data, size);
  const mrtbb::testing::Rule rule = input.rule();
  const mrtbb::testing::RuleOptions rule_options = input.rule_options();
  const std::string text(input.rest());

  const mrtbb::TextMapper map =
      mrtbb::make_tokenizer(mrtbb::fuzzing::FuzzInput::tokenizer_options(rule, rule_options));
  mrtbb::CountTable table;
  mrtbb::CountEmitter emitter(table);
  map(mrtbb::TextSegment{.text = text}, emitter);

  std::map<std::string, std::uint64_t> got;
  table.for_each(
      [&](std::string_view word, std::uint64_t count) { got[std::string(word)] += count; });
  mrtbb::fuzzing::require_same_counts(
      got, mrtbb::testing::reference_word_counts(rule, {text}, rule_options), "tokenizer");
  return 0;
}
