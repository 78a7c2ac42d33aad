// WordSplitter visits the words the tokenizer of the same options counts: differentially against
// the independent reference (the sequence of words, in order, not only their counts), on pieces of
// lines as a text job's reader cuts them, and as the map function of a text job of its own.

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mrtbb/mrtbb.hpp"
#include "support/corpus.hpp"
#include "support/reference_tokenizer.hpp"
#include "support/word_corpus.hpp"

namespace {

using Counts = std::map<std::string, std::uint64_t>;
using Words = std::vector<std::string>;

struct Variant {
  mrtbb::TokenizerKind kind;
  mrtbb::testing::Rule rule;
};

const std::vector<Variant> variants = {
    {mrtbb::TokenizerKind::letters, mrtbb::testing::Rule::letters},
    {mrtbb::TokenizerKind::alpha_tokens, mrtbb::testing::Rule::alpha_tokens},
    {mrtbb::TokenizerKind::whitespace, mrtbb::testing::Rule::whitespace}};

const std::vector<mrtbb::testing::RuleOptions> option_sets = {
    {},
    {.stop_words = {"WORD", "日本語", "x", "the"}},
    {.skip_prefix = ".."},
    {.skip_prefix = "..", .stop_words = {"WORD", "日本語", "x"}},
    {.skip_prefix = "see also:"},
    {.stop_words = {"WORD", "x"}, .keep_case = true},
    {.skip_prefix = "..", .keep_case = true}};

mrtbb::TokenizerOptions options_for(const Variant& variant,
                                    const mrtbb::testing::RuleOptions& extra) {
  return {.kind = variant.kind,
          .skip_prefix = extra.skip_prefix,
          .stop_words = extra.stop_words,
          .keep_case = extra.keep_case};
}

std::string describe(const Variant& variant, const mrtbb::testing::RuleOptions& extra) {
  return std::string(mrtbb::tokenizer_name(variant.kind)) + ", skip '" + extra.skip_prefix + "', " +
         std::to_string(extra.stop_words.size()) + " stop words" +
         (extra.keep_case ? ", keep case" : "");
}

std::vector<std::string> generated_texts() {
  std::vector<std::string> texts;
  for (std::uint32_t seed = 200; seed < 203; ++seed)
    texts.push_back(mrtbb::testing::multi_script_text(seed, seed == 200 ? 3000 : 300));
  for (std::uint32_t rare : {0u, 40u, 400u})
    texts.push_back(mrtbb::testing::mostly_ascii_text(300 + rare, 4000, rare));
  texts.push_back(mrtbb::testing::generated_text(7, 2000));
  for (std::uint32_t seed = 600; seed < 603; ++seed)
    texts.push_back(mrtbb::testing::script_runs_text(seed, 2000));
  texts.push_back("");
  texts.push_back("one\n.. two\nthree");
  return texts;
}

Counts counted(const Words& words) {
  Counts counts;
  for (const auto& word : words)
    ++counts[word];
  return counts;
}

TEST(WordSplitter, VisitsTheReferenceWordsInOrderForEveryRuleAndOption) {
  const auto texts = generated_texts();
  for (const auto& variant : variants) {
    for (const auto& extra : option_sets) {
      const mrtbb::WordSplitter splitter(options_for(variant, extra));
      EXPECT_EQ(splitter.kind(), variant.kind);
      for (std::size_t t = 0; t < texts.size(); ++t) {
        const Words expected = mrtbb::testing::reference_words(variant.rule, texts[t], extra);
        Words visited;
        splitter.for_each_word(texts[t],
                               [&](std::string_view word) { visited.emplace_back(word); });
        ASSERT_EQ(visited, expected) << describe(variant, extra) << ", text " << t;
        ASSERT_EQ(splitter.words(texts[t]), expected) << describe(variant, extra) << ", text " << t;
        ASSERT_EQ(counted(visited),
                  mrtbb::testing::reference_word_counts(variant.rule, {texts[t]}, extra));
      }
    }
  }
}

TEST(WordSplitter, HandWrittenCases) {
  const mrtbb::WordSplitter letters({.stop_words = {"THE"}});
  EXPECT_EQ(letters.words("The CAT, the cat's ΣΟΦΊΑ\n"), (Words{"cat", "cat", "s", "σοφία"}));
  const mrtbb::WordSplitter comments(
      {.kind = mrtbb::TokenizerKind::whitespace, .skip_prefix = "#"});
  EXPECT_EQ(comments.words("#!/bin/sh\n  # note\nEcho #ok\n"), (Words{"echo", "#ok"}));
  EXPECT_TRUE(comments.words("").empty());
}

// Every piece the text job's reader makes, mid-line ones with their line heads, gives the words the
// tokenizer counts for it, and the pieces' words in order are the text's.
TEST(WordSplitter, TextSegmentsCutMidLineGiveTheTokenizersWords) {
  mrtbb::testing::TempDir dir("split");
  std::vector<std::string> texts = generated_texts();
  texts.push_back("\t" + std::string(3000, ' ') + "see also: hidden words\n  see alsokept\n" +
                  std::string(2000, 'w') + " .. tail");
  texts.push_back(std::string(500, ' ') + ".. hidden\n" + std::string(700, 'x') + " kept\n");
  for (const auto& variant : variants) {
    for (const auto& extra : option_sets) {
      const mrtbb::TokenizerOptions options = options_for(variant, extra);
      const mrtbb::WordSplitter splitter(options);
      const mrtbb::TextMapper tokenizer = mrtbb::make_tokenizer(options);
      mrtbb::CountTable table;
      for (std::size_t t = 0; t < texts.size(); ++t) {
        const std::vector<mrtbb::InputFile> inputs = {
            {dir.write("t" + std::to_string(t), texts[t]), texts[t].size()}};
        for (std::size_t grain : {1, 3, 7, 64, 1000}) {
          std::vector<mrtbb::InputFailure> failures;
          mrtbb::ChunkReader reader(inputs, grain, mrtbb::ErrorPolicy::fail, failures,
                                    *splitter.boundary());
          mrtbb::Chunk chunk;
          Words all;
          std::size_t mid_line = 0;
          while (reader.next(chunk)) {
            for (const auto& piece : chunk.pieces) {
              const mrtbb::TextSegment segment = chunk.segment(piece);
              mid_line += segment.starts_mid_line ? 1 : 0;
              const Words words = splitter.words(segment);
              mrtbb::CountEmitter emitter(table);
              tokenizer(segment, emitter);
              Counts from_tokenizer;
              table.drain([&](std::string&& word, std::uint64_t count) {
                from_tokenizer[std::move(word)] += count;
              });
              ASSERT_EQ(counted(words), from_tokenizer)
                  << describe(variant, extra) << ", text " << t << ", grain " << grain;
              all.insert(all.end(), words.begin(), words.end());
            }
          }
          ASSERT_EQ(all, mrtbb::testing::reference_words(variant.rule, texts[t], extra))
              << describe(variant, extra) << ", text " << t << ", grain " << grain;
          if (grain == 1 && t == 0) {
            EXPECT_GT(mid_line, 0u);
          }
        }
      }
    }
  }
}

// A text job whose map function splits words itself, cut by word_boundary, counts what the
// tokenizer counts, for every worker count and grain.
TEST(WordSplitter, AMapFunctionOfItsOwnWithWordBoundaryMatchesTheReference) {
  mrtbb::testing::TempDir dir("own");
  const auto texts = generated_texts();
  std::vector<std::string> paths;
  for (std::size_t t = 0; t < texts.size(); ++t)
    paths.push_back(dir.write("f" + std::to_string(t), texts[t]));
  for (const auto& variant : variants) {
    for (const auto& extra : {option_sets[0], option_sets[3], option_sets[4]}) {
      const mrtbb::TokenizerOptions options = options_for(variant, extra);
      const mrtbb::WordSplitter splitter(options);
      const mrtbb::TextMapper map(
          [splitter](const mrtbb::TextSegment& segment, mrtbb::CountEmitter& emit) {
            splitter.for_each_word(segment, [&emit](std::string_view word) { emit.emit(word); });
          },
          mrtbb::word_boundary(options));
      const Counts expected = mrtbb::testing::reference_word_counts(variant.rule, texts, extra);
      for (std::size_t workers = 1; workers <= 4; ++workers) {
        for (std::size_t grain : {1, 2, 5, 61, 1 << 20}) {
          const auto result = mrtbb::run_text_job(paths, map, {.workers = workers, .grain = grain});
          ASSERT_EQ(Counts(result.results.begin(), result.results.end()), expected)
              << describe(variant, extra) << ", workers " << workers << ", grain " << grain;
        }
      }
    }
  }
}

TEST(WordSplitter, AVisitorMaySplitAnotherTextWhileItsOwnIsScanned) {
  // Long ASCII words keep the outer scan in the fast path, whose words point into the thread's
  // buffers; the inner splits need larger buffers than the outer one had.
  const std::string outer_text = mrtbb::testing::mostly_ascii_text(9, 2000, 0);
  const std::string inner_text = mrtbb::testing::mostly_ascii_text(10, 20000, 0);
  const mrtbb::WordSplitter outer({.kind = mrtbb::TokenizerKind::whitespace});
  const mrtbb::WordSplitter inner({});
  const Words inner_expected = inner.words(inner_text);
  Words visited;
  outer.for_each_word(outer_text, [&](std::string_view word) {
    visited.emplace_back(word);
    if (visited.size() % 100 == 1) {
      ASSERT_EQ(inner.words(inner_text), inner_expected);
    }
  });
  EXPECT_EQ(visited, mrtbb::testing::reference_words(mrtbb::testing::Rule::whitespace, outer_text));
}

TEST(WordSplitter, AnExceptionFromTheVisitorPropagatesAndTheSplitterStaysUsable) {
  const mrtbb::WordSplitter splitter({});
  const std::string text = mrtbb::testing::mostly_ascii_text(11, 3000, 40);
  int seen = 0;
  EXPECT_THROW(splitter.for_each_word(text,
                                      [&](std::string_view) {
                                        if (++seen == 10) throw std::runtime_error("enough");
                                      }),
               std::runtime_error);
  EXPECT_EQ(seen, 10);
  EXPECT_EQ(splitter.words(text),
            mrtbb::testing::reference_words(mrtbb::testing::Rule::letters, text));
}

}  // namespace
