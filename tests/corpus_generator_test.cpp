// The benchmark corpus generator: deterministic for a seed, never more distinct words than the
// vocabulary, every word one token of the letters rule in every script, and the shapes it promises;
// the same for its TSV records.

#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "corpus_generator.hpp"
#include "mrtbb/mrtbb.hpp"

namespace {

using mrtbb::corpus::CorpusSpec;
using mrtbb::corpus::RecordGenerator;
using mrtbb::corpus::RecordSpec;
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

std::string records_of(const RecordSpec& spec) {
  RecordGenerator generator(spec);
  std::string text;
  // In two calls, as make-corpus writes in blocks: the rows continue where the first call ended.
  generator.append(text, spec.rows / 3);
  generator.append(text, spec.rows - spec.rows / 3);
  return text;
}

TEST(RecordGenerator, SameSeedSameRecordsOtherSeedOtherRecords) {
  const RecordSpec spec{.rows = 5000, .keys = 300, .seed = 7};
  EXPECT_EQ(records_of(spec), records_of(spec));
  RecordSpec other = spec;
  other.seed = 8;
  EXPECT_NE(records_of(spec), records_of(other));
}

TEST(RecordGenerator, EveryLineIsAKeyATabAndAnInt64WithinTenToTheTwelve) {
  for (bool multi_script : {false, true}) {
    for (std::uint64_t keys : {1, 40, 5000}) {
      const RecordSpec spec{.rows = 20000, .keys = keys, .multi_script = multi_script};
      const std::string text = records_of(spec);
      ASSERT_FALSE(text.empty());
      ASSERT_EQ(text.back(), '\n');
      std::set<std::string> distinct_keys;
      std::uint64_t rows = 0, negative = 0, beyond_32_bits = 0, short_values = 0;
      std::string_view rest = text;
      while (!rest.empty()) {
        const auto end = rest.find('\n');
        ASSERT_NE(end, std::string_view::npos);
        const std::string_view line = rest.substr(0, end);
        rest.remove_prefix(end + 1);
        ++rows;
        const auto tab = line.find('\t');
        ASSERT_NE(tab, std::string_view::npos) << line;
        const std::string_view key = line.substr(0, tab);
        const std::string_view value = line.substr(tab + 1);
        ASSERT_GE(key.size(), 3u) << line;
        distinct_keys.emplace(key);
        // The whole field is one canonical decimal integer: an optional '-', no leading zeros.
        std::int64_t number = 0;
        const auto [end_of_number, error] =
            std::from_chars(value.data(), value.data() + value.size(), number);
        ASSERT_EQ(error, std::errc{}) << line;
        ASSERT_EQ(end_of_number, value.data() + value.size()) << line;
        ASSERT_EQ(std::to_string(number), value) << line;
        ASSERT_LT(number < 0 ? -number : number, std::int64_t{1000000000000}) << line;
        negative += number < 0;
        beyond_32_bits += (number < 0 ? -number : number) > std::int64_t{1} << 32;
        short_values += value.size() <= 3;
      }
      EXPECT_EQ(rows, spec.rows);
      EXPECT_LE(distinct_keys.size(), keys);
      for (const auto& key : distinct_keys) {
        // One lowercase word of the letters rule: valid UTF-8, no TAB, CR or LF inside.
        ASSERT_EQ(letters_words(key), std::set<std::string>{key});
      }
      if (keys <= 40) {
        EXPECT_EQ(distinct_keys.size(), keys) << "Zipf over few keys draws nearly all of them";
      }
      // Half negative, seven in eight large, one in eight short: far from every bound below.
      EXPECT_GT(negative, rows / 3);
      EXPECT_GT(beyond_32_bits, rows / 2);
      EXPECT_GT(short_values, rows / 20);
    }
  }
}

}  // namespace
