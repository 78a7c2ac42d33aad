// The benchmark corpus generator: deterministic for a seed, never more distinct words than the
// vocabulary, every word one token of the letters rule in every script, and the shapes it promises.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "corpus_generator.hpp"
#include "mrtbb/mrtbb.hpp"

namespace {

using mrtbb::corpus::CorpusSpec;
using mrtbb::corpus::TextGenerator;

std::string text_of(const CorpusSpec& spec) {
  TextGenerator generator(spec);
  std::string text;
  generator.append(text, spec.bytes);
  return text;
}

std::set<std::string> letters_words(const std::string& text) {
  const auto tokenizer = mrtbb::make_tokenizer({});
  mrtbb::CountTable table;
  mrtbb::CountEmitter emitter(table);
  mrtbb::TextSegment segment;
  segment.text = text;
  tokenizer(segment, emitter);
  std::set<std::string> words;
  table.for_each([&](std::string_view word, std::uint64_t) { words.emplace(word); });
  return words;
}

TEST(CorpusGenerator, SameSeedSameTextOtherSeedOtherText) {
  const CorpusSpec spec{.bytes = 20000, .vocabulary = 500, .seed = 7};
  EXPECT_EQ(text_of(spec), text_of(spec));
  CorpusSpec other = spec;
  other.seed = 8;
  EXPECT_NE(text_of(spec), text_of(other));
}

TEST(CorpusGenerator, WordsStayWithinTheVocabularyInEveryScript) {
  for (bool multi_script : {false, true}) {
    for (std::uint64_t vocabulary : {1, 30, 1000}) {
      const CorpusSpec spec{
          .bytes = 200000, .vocabulary = vocabulary, .multi_script = multi_script};
      const std::string text = text_of(spec);
      EXPECT_GE(text.size(), spec.bytes);
      const auto words = letters_words(text);
      EXPECT_LE(words.size(), vocabulary) << "multi_script " << multi_script;
      // Zipf over few words draws nearly all of them.
      if (vocabulary <= 30) {
        EXPECT_EQ(words.size(), vocabulary);
      }
    }
  }
}

TEST(CorpusGenerator, EveryRankHasItsOwnWord) {
  for (bool multi_script : {false, true}) {
    std::set<std::string> words;
    for (std::uint64_t rank = 0; rank < 20000; ++rank) {
      std::string word;
      mrtbb::corpus::append_word(word, rank, multi_script, false);
      ASSERT_GE(word.size(), 3u);
      ASSERT_TRUE(words.insert(word).second) << "rank " << rank;
    }
  }
}

TEST(CorpusGenerator, OneLineHasNoLineBreakAndLinesHoldTwelveWords) {
  const std::string one_line = text_of({.bytes = 50000, .one_line = true});
  EXPECT_EQ(one_line.find('\n'), std::string::npos);
  const std::string lines = text_of({.bytes = 50000});
  const std::string first_line = lines.substr(0, lines.find('\n'));
  EXPECT_EQ(std::count(first_line.begin(), first_line.end(), ' '), 11);
}

}  // namespace
