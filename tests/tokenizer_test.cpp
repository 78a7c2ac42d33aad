// The three word rules on hand-written cases, and differentially against an independent reference
// counter on generated multi-script text with chunk edges falling inside every kind of character.

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "mrtbb/mrtbb.hpp"
#include "support/corpus.hpp"
#include "support/reference_tokenizer.hpp"
#include "support/word_corpus.hpp"

namespace {

using mrtbb::TokenizerKind;
using Counts = std::map<std::string, std::uint64_t>;

Counts count(TokenizerKind kind, const std::string& text, mrtbb::TokenizerOptions options = {}) {
  options.kind = kind;
  mrtbb::testing::TempDir dir("tok");
  const auto path = dir.write("in.txt", text);
  const auto result = mrtbb::run_text_job({path}, mrtbb::make_tokenizer(options), {.workers = 1});
  return Counts(result.results.begin(), result.results.end());
}

constexpr auto letters = TokenizerKind::letters;
constexpr auto alpha = TokenizerKind::alpha_tokens;
constexpr auto blanks = TokenizerKind::whitespace;

struct Variant {
  TokenizerKind kind;
  mrtbb::testing::Rule rule;
};

const std::vector<Variant> variants = {{letters, mrtbb::testing::Rule::letters},
                                       {alpha, mrtbb::testing::Rule::alpha_tokens},
                                       {blanks, mrtbb::testing::Rule::whitespace}};

// Every rule with each of `extras`, for workers 1-4 and each grain, counts the files at `paths`
// (holding `texts`) as the reference tokenizer does.
void expect_reference_counts_for_every_setting(
    const std::vector<std::string>& texts, const std::vector<std::string>& paths,
    const std::vector<mrtbb::testing::RuleOptions>& extras, std::vector<std::size_t> grains) {
  for (const auto& variant : variants) {
    for (const auto& extra : extras) {
      const Counts expected = mrtbb::testing::reference_word_counts(variant.rule, texts, extra);
      ASSERT_FALSE(expected.empty());
      const auto tokenizer = mrtbb::make_tokenizer({.kind = variant.kind,
                                                    .skip_prefix = extra.skip_prefix,
                                                    .stop_words = extra.stop_words,
                                                    .keep_case = extra.keep_case});
      for (std::size_t workers = 1; workers <= 4; ++workers) {
        for (const std::size_t grain : grains) {
          const auto result =
              mrtbb::run_text_job(paths, tokenizer, {.workers = workers, .grain = grain});
          ASSERT_EQ(Counts(result.results.begin(), result.results.end()), expected)
              << "tokenizer " << mrtbb::tokenizer_name(variant.kind) << ", workers " << workers
              << ", grain " << grain << ", skip '" << extra.skip_prefix << "'"
              << (extra.keep_case ? ", keep case" : "");
        }
      }
    }
  }
}

std::string repeated(std::string_view piece, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i)
    out += piece;
  return out;
}

TEST(LettersRule, PunctuationDigitsAndContractionsSeparate) {
  EXPECT_EQ(count(letters, "Hello, world! don't x2y a_b"), (Counts{{"hello", 1},
                                                                   {"world", 1},
                                                                   {"don", 1},
                                                                   {"t", 1},
                                                                   {"x", 1},
                                                                   {"y", 1},
                                                                   {"a", 1},
                                                                   {"b", 1}}));
}

TEST(LettersRule, EveryKindOfSpaceSeparates) {
  EXPECT_EQ(
      count(letters,
            "a\r\nb\tc\fd\ve\xc2\xa0"
            "f\xe3\x80\x80g\xe2\x80\x83h\n"),
      (Counts{{"a", 1}, {"b", 1}, {"c", 1}, {"d", 1}, {"e", 1}, {"f", 1}, {"g", 1}, {"h", 1}}));
}

TEST(LettersRule, ScriptsAndCombiningMarks) {
  // Greek (capital sigma lowers to σ: the simple mapping knows no final form), Cyrillic, Hebrew,
  // Arabic, Devanagari with its vowel signs (marks), CJK, and e + U+0301 combining acute.
  EXPECT_EQ(count(letters, "ΟΔΟΣ Москва שלום مرحبا नमस्ते 日本語 cafe\xcc\x81"),
            (Counts{{"οδοσ", 1},
                    {"москва", 1},
                    {"שלום", 1},
                    {"مرحبا", 1},
                    {"नमस्ते", 1},
                    {"日本語", 1},
                    {"cafe\xcc\x81", 1}}));
}

TEST(LettersRule, EmojiCurlyQuotesAndNulSeparate) {
  EXPECT_EQ(count(letters,
                  "\xe2\x80\x9cquoted\xe2\x80\x9d it\xe2\x80\x99s ok\xf0\x9f\x98\x80ko a\0b"
                  "\n",
                  {}),
            (Counts{{"quoted", 1}, {"it", 1}, {"s", 1}, {"ok", 1}, {"ko", 1}, {"a", 1}}));
  EXPECT_EQ(count(letters, std::string("a\0b", 3)), (Counts{{"a", 1}, {"b", 1}}));
}

TEST(LettersRule, BrokenUtf8NeverSwallowsTheNextCharacter) {
  const std::vector<std::string> broken = {
      "\xc0\xaf",              // overlong '/'
      "\xe0\x80\xaf",          // overlong, three bytes
      "\xed\xa0\x80",          // a UTF-16 surrogate
      "\xe6\x97",              // truncated CJK
      "\x80",                  // stray continuation byte
      "\xbf\xbf",              // two of them
      "\xf4\x90\x80\x80",      // above U+10FFFF
      "\xf8\x88\x80\x80\x80",  // five-byte form
      "\xff",
  };
  for (const auto& bad : broken) {
    // The broken bytes separate words, and the letter right after them is kept.
    EXPECT_EQ(count(letters, "ab" + bad + "cd"), (Counts{{"ab", 1}, {"cd", 1}}))
        << "bytes: " << ::testing::PrintToString(bad);
    // A truncated sequence right before a valid multibyte letter does not eat it.
    EXPECT_EQ(count(letters, bad + "é"), (Counts{{"é", 1}}));
  }
}

TEST(LettersRule, EmptyAndLastLineWithoutNewline) {
  EXPECT_TRUE(count(letters, "").empty());
  EXPECT_EQ(count(letters, "one\ntwo"), (Counts{{"one", 1}, {"two", 1}}));
}

TEST(AlphaTokensRule, TokensWithNonLettersAreDropped) {
  // Punctuation becomes space first, so "don't" is two tokens; "x2y", "a1" and "café" written with
  // a combining mark (M*, not L*) are dropped whole.
  EXPECT_EQ(
      count(alpha, "Don't x2y a1 CAFÉ cafe\xcc\x81 well-known e-mail\n"),
      (Counts{
          {"don", 1}, {"t", 1}, {"café", 1}, {"well", 1}, {"known", 1}, {"e", 1}, {"mail", 1}}));
}

TEST(AlphaTokensRule, SplitsOnUnicodeWhiteSpaceOnly) {
  // No-break and ideographic spaces split; curly quotes are not ASCII punctuation, so they spoil
  // the token they touch; an emoji spoils its token.
  EXPECT_EQ(count(alpha,
                  "a\xc2\xa0"
                  "b\xe3\x80\x80"
                  "c \xe2\x80\x9cq\xe2\x80\x9d smile\xf0\x9f\x98\x80"),
            (Counts{{"a", 1}, {"b", 1}, {"c", 1}}));
}

TEST(AlphaTokensRule, BrokenUtf8SpoilsOnlyItsToken) {
  EXPECT_EQ(count(alpha, "good bad\xe6\x97 fine\n"), (Counts{{"good", 1}, {"fine", 1}}));
}

TEST(AlphaTokensRule, ScriptsAreLetters) {
  EXPECT_EQ(count(alpha, "Ωμέγα Привет 中文 नमस्ते"),
            (Counts{{"ωμέγα", 1}, {"привет", 1}, {"中文", 1}}));  // Devanagari signs are marks
}

TEST(WhitespaceRule, OnlyAsciiSpaceSeparatesAndOnlyAZLowercases) {
  const auto counts = count(blanks, std::string("Hello, HELLO\tÉtÉ\r\nnon\xc2\xa0"
                                                "break a\0b \xff\n",
                                                37));
  EXPECT_EQ(counts, (Counts{{"hello,", 1},
                            {"hello", 1},
                            {"Ét\xc3\x89", 1},
                            {"non\xc2\xa0"
                             "break",
                             1},
                            {std::string("a\0b", 3), 1},
                            {"\xff", 1}}));
}

TEST(SkipPrefix, SkipsLinesAfterLeadingWhitespace) {
  const std::string text =
      ".. comment here\n   .. indented comment\nkept .. words\n\xe3\x80\x80.. wide\n";
  EXPECT_EQ(count(letters, text, {.skip_prefix = ".."}), (Counts{{"kept", 1}, {"words", 1}}));
  // For the whitespace rule only the six ASCII bytes are leading whitespace.
  EXPECT_EQ(count(blanks, text, {.skip_prefix = ".."}),
            (Counts{{"kept", 1}, {"..", 1}, {"words", 1}, {"\xe3\x80\x80..", 1}, {"wide", 1}}));
}

TEST(SkipPrefix, TheAnswerIsTheSameForEveryGrainAndWorkerCount) {
  // Prefixes with spaces in them, and indents longer than any line head a reader could carry, of
  // ASCII and of Unicode White_Space (U+3000, which is no whitespace to the whitespace rule).
  const std::string wide_indent = repeated("\xe3\x80\x80", 2000);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"see also: chapter one\nkept\n", "see also:"},
      {"see also chapter one\n see also: two\nsee also:three\nkept\n", "see also:"},
      {std::string(5000, ' ') + ".. hidden words\nkept .. words\n", ".."},
      {"\t" + std::string(4100, ' ') + "\tsee also: hidden\n  see alsokept\n", "see also:"},
      {wide_indent + "see also: hidden\n" + wide_indent + "kept\n", "see also:"},
      {wide_indent + " \xe3\x80see also: broken\n", "see also:"},
      {"  日本 語 hidden\n日本 語kept 日本\n 日本語 kept\n", "日本 語"},
      {"\xe3\x80\x80x hidden\nkept\n", "\xe3\x80\x80x"},
      {std::string(3000, ' ') + "\n" + std::string(3000, '\t') + "kept", ".."},
      {"se", "see also:"},
      {std::string("aaa\0bbb x1y 12ab ab\0\0cd\n", 24), ".."},
  };
  mrtbb::testing::TempDir dir("skip");
  for (std::size_t c = 0; c < cases.size(); ++c) {
    const auto& [text, prefix] = cases[c];
    const std::string path = dir.write("case" + std::to_string(c), text);
    for (const auto& variant : variants) {
      const Counts expected =
          mrtbb::testing::reference_word_counts(variant.rule, {text}, {.skip_prefix = prefix});
      const auto tokenizer = mrtbb::make_tokenizer({.kind = variant.kind, .skip_prefix = prefix});
      for (std::size_t workers = 1; workers <= 4; ++workers) {
        for (std::size_t grain : {1, 2, 3, 4, 5, 6, 7, 9, 13, 64, 4097, 1 << 20}) {
          const auto result =
              mrtbb::run_text_job({path}, tokenizer, {.workers = workers, .grain = grain});
          ASSERT_EQ(Counts(result.results.begin(), result.results.end()), expected)
              << "case " << c << ", tokenizer " << mrtbb::tokenizer_name(variant.kind)
              << ", workers " << workers << ", grain " << grain;
        }
      }
    }
  }
}

TEST(ChunkBoundaries, TextWithoutAsciiWhitespaceIsReadInChunksOfTheGrain) {
  // Runs of bytes that separate words (letters) or spoil tokens two by two (alpha-tokens) but are
  // no ASCII whitespace: each rule's reader cuts inside them. To the whitespace rule each run is
  // one token, which must be counted whole, so its chunk grows to hold it.
  constexpr std::size_t run = 256 << 10;
  const std::vector<std::string> texts = {
      std::string(run, '\0') + "hello world\n",
      repeated("0123456789", run / 10) + "digits",
      repeated("\xe3\x80\x80", run / 3) + "wide space",
      std::string(run, '\xff') + "broken",
      repeated("\xf0\x9f\x98\x80", run / 4) + "smile",
      "\xe6\x97" + repeated("\x80", run) + "continuation",
  };
  mrtbb::testing::TempDir dir("runs");
  for (std::size_t t = 0; t < texts.size(); ++t) {
    const std::string path = dir.write("run" + std::to_string(t), texts[t]);
    for (const auto& variant : variants) {
      const Counts expected = mrtbb::testing::reference_word_counts(variant.rule, {texts[t]});
      for (std::size_t grain : {1000, 4096}) {
        const auto result = mrtbb::run_text_job(
            {path}, mrtbb::make_tokenizer({.kind = variant.kind}), {.workers = 2, .grain = grain});
        ASSERT_EQ(Counts(result.results.begin(), result.results.end()), expected)
            << "text " << t << ", tokenizer " << mrtbb::tokenizer_name(variant.kind);
        if (variant.kind == blanks) {
          EXPECT_LE(result.stats.largest_chunk, texts[t].size() + 2 * grain);
        } else {
          EXPECT_LE(result.stats.largest_chunk, grain)
              << "text " << t << ", tokenizer " << mrtbb::tokenizer_name(variant.kind);
        }
      }
    }
  }
}

TEST(ChunkBoundaries, SkipPrefixLineHeadsStaySmallAndChunksNearTheGrain) {
  const std::string prefix = "see also:";
  const std::string text = "\t" + std::string(20000, ' ') + repeated("\xe3\x80\x80 ", 2000) +
                           "see also: a skipped line\nkept " + repeated("word ", 2000) + "\n";
  mrtbb::testing::TempDir dir("heads");
  const std::vector<mrtbb::InputFile> inputs = {{dir.write("in", text), text.size()}};
  for (const auto& variant : variants) {
    const auto tokenizer = mrtbb::make_tokenizer({.kind = variant.kind, .skip_prefix = prefix});
    for (std::size_t grain : {1, 2, 3, 5, 7, 100}) {
      std::vector<mrtbb::InputFailure> failures;
      mrtbb::ChunkReader reader(inputs, grain, mrtbb::ErrorPolicy::fail, failures,
                                tokenizer.boundary());
      mrtbb::Chunk chunk;
      std::string rebuilt;
      while (reader.next(chunk)) {
        for (const auto& piece : chunk.pieces) {
          ASSERT_LE(piece.line_head.size(), prefix.size());
          rebuilt += chunk.segment(piece).text;
        }
      }
      ASSERT_EQ(rebuilt, text);
      // A cut waits at most for the prefix after the indent, or for the end of a word.
      EXPECT_LE(reader.largest_chunk(), 2 * grain + prefix.size() + 8)
          << mrtbb::tokenizer_name(variant.kind) << ", grain " << grain;
    }
  }
}

TEST(StopWords, AreLoweredLikeTheText) {
  EXPECT_EQ(count(letters, "The cat AND the Dog", {.stop_words = {"THE", "and"}}),
            (Counts{{"cat", 1}, {"dog", 1}}));
  EXPECT_EQ(count(blanks, "ÉTÉ été The", {.stop_words = {"the", "ÉTÉ"}}), (Counts{{"été", 1}}));
}

TEST(KeepCase, EveryRuleKeepsTheCaseAndSplitsTheSameWay) {
  const std::string text = "The CAT the Été ÉTÉ x1Y Ab-Cd\n";
  EXPECT_EQ(count(letters, text, {.keep_case = true}), (Counts{{"The", 1},
                                                               {"CAT", 1},
                                                               {"the", 1},
                                                               {"Été", 1},
                                                               {"ÉTÉ", 1},
                                                               {"x", 1},
                                                               {"Y", 1},
                                                               {"Ab", 1},
                                                               {"Cd", 1}}));
  EXPECT_EQ(
      count(alpha, text, {.keep_case = true}),
      (Counts{{"The", 1}, {"CAT", 1}, {"the", 1}, {"Été", 1}, {"ÉTÉ", 1}, {"Ab", 1}, {"Cd", 1}}));
  EXPECT_EQ(
      count(blanks, text, {.keep_case = true}),
      (Counts{
          {"The", 1}, {"CAT", 1}, {"the", 1}, {"Été", 1}, {"ÉTÉ", 1}, {"x1Y", 1}, {"Ab-Cd", 1}}));
  // A stop word then leaves out only its own spelling.
  EXPECT_EQ(count(letters, "The the THE", {.stop_words = {"the"}, .keep_case = true}),
            (Counts{{"The", 1}, {"THE", 1}}));
}

TEST(TokenizerNames, RoundTrip) {
  for (auto kind : {letters, alpha, blanks}) {
    EXPECT_EQ(mrtbb::parse_tokenizer_kind(mrtbb::tokenizer_name(kind)), kind);
  }
  EXPECT_FALSE(mrtbb::parse_tokenizer_kind("words").has_value());
}

TEST(TokenizerDifferential, MatchesReferenceForEveryRuleWorkerCountAndGrain) {
  mrtbb::testing::TempDir dir("diff");
  std::vector<std::string> texts;
  std::vector<std::string> paths;
  for (std::uint32_t f = 0; f < 3; ++f) {
    texts.push_back(mrtbb::testing::multi_script_text(100 + f, f == 0 ? 3000 : 300));
    paths.push_back(dir.write("f" + std::to_string(f), texts.back()));
  }
  for (std::uint32_t f = 3; f < 6; ++f) {
    texts.push_back(mrtbb::testing::mostly_ascii_text(100 + f, 4000,
                                                      f == 3   ? 0
                                                      : f == 4 ? 40
                                                               : 400));
    paths.push_back(dir.write("f" + std::to_string(f), texts.back()));
  }
  const std::vector<mrtbb::testing::RuleOptions> extras = {
      {},
      {.skip_prefix = "..", .stop_words = {"WORD", "日本語", "x"}},
      {.skip_prefix = "see also:"},
      {.stop_words = {"WORD", "Привет", "x"}, .keep_case = true},
      {.skip_prefix = "..", .keep_case = true}};
  expect_reference_counts_for_every_setting(texts, paths, extras,
                                            {1, 2, 3, 4, 5, 6, 7, 61, 100, 1000, 1 << 20});
}

// The UTF-8 path on text in one script at a time (Cyrillic, Greek, CJK runs with capitals, words
// longer than a block, letters whose lowercase changes length, ASCII and broken bytes inside runs),
// where it takes whole stretches of blocks and lowercases in place.
TEST(TokenizerDifferential, ScriptRunsMatchTheReferenceForEveryWorkerCountAndGrain) {
  mrtbb::testing::TempDir dir("runs");
  std::vector<std::string> texts;
  std::vector<std::string> paths;
  for (std::uint32_t f = 0; f < 3; ++f) {
    texts.push_back(mrtbb::testing::script_runs_text(500 + f, f == 0 ? 6000 : 600));
    paths.push_back(dir.write("f" + std::to_string(f), texts.back()));
  }
  const std::vector<mrtbb::testing::RuleOptions> extras = {
      {}, {.stop_words = {"МОСКВА", "σοφία", "中文"}}, {.skip_prefix = "Σο"}, {.keep_case = true}};
  expect_reference_counts_for_every_setting(texts, paths, extras,
                                            {1, 2, 3, 5, 7, 63, 64, 65, 200, 4096, 1 << 20});
}

}  // namespace
