// Compressed inputs (gzip and zstd, told by their magic bytes) must give exactly what their plain
// text gives, for every word rule, worker count and grain, through text jobs and jobs over records;
// corrupt and truncated data must fail the input that holds it, by name.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "mrtbb/mrtbb.hpp"
#include "support/compress.hpp"
#include "support/corpus.hpp"
#include "support/reference.hpp"
#include "support/reference_tokenizer.hpp"
#include "support/word_corpus.hpp"

namespace {

using mrtbb::Options;
using mrtbb::testing::TempDir;

constexpr std::size_t grains[] = {1, 7, 64, 4096, 0};

struct Rule {
  mrtbb::TokenizerKind kind;
  mrtbb::testing::Rule reference;
};
const Rule rules[] = {{mrtbb::TokenizerKind::letters, mrtbb::testing::Rule::letters},
                      {mrtbb::TokenizerKind::alpha_tokens, mrtbb::testing::Rule::alpha_tokens},
                      {mrtbb::TokenizerKind::whitespace, mrtbb::testing::Rule::whitespace}};

// A compressed form of a text: how it is made, and a name for messages.
struct Form {
  std::string name;
  std::string (*make)(std::string_view text, std::size_t variant);
};
const Form forms[] = {
    {"gzip",
     [](std::string_view text, std::size_t variant) {
       return mrtbb::testing::gzip(text, static_cast<int>(1 + variant * 4 % 9), 1 + variant % 3);
     }},
    {"zstd", [](std::string_view text, std::size_t variant) {
       return mrtbb::testing::zstd(text, static_cast<int>(1 + variant * 7 % 19), 1 + variant % 4);
     }}};

std::vector<std::string> texts() {
  return {mrtbb::testing::multi_script_text(501, 1500),
          mrtbb::testing::generated_text(502, 3000),
          "",
          "one line without a line feed",
          mrtbb::testing::mostly_ascii_text(503, 2000, 40),
          "tail\n" + std::string(9000, 'w') + "\nlong token above"};
}

// The texts as plain files and in each compressed form, in the same order.
struct Corpus {
  TempDir dir{"compressed"};
  std::vector<std::string> plain;
  std::map<std::string, std::vector<std::string>> compressed;  // by form

  Corpus() {
    const std::vector<std::string> all = texts();
    for (std::size_t i = 0; i < all.size(); ++i) {
      plain.push_back(dir.write("plain/" + std::to_string(i) + ".txt", all[i]));
      for (const Form& form : forms) {
        // No telling name: the magic bytes decide.
        compressed[form.name].push_back(
            dir.write(form.name + "/" + std::to_string(i), form.make(all[i], i)));
      }
    }
  }
};

TEST(CompressedInput, CountsLikeThePlainTextForEveryRuleWorkerCountAndGrain) {
  Corpus corpus;
  const std::vector<std::string> all = texts();
  for (const Rule& rule : rules) {
    const mrtbb::TextMapper map = mrtbb::make_tokenizer({.kind = rule.kind});
    const auto expected =
        mrtbb::testing::ordered_counts(mrtbb::testing::reference_word_counts(rule.reference, all));
    for (std::size_t workers = 1; workers <= 4; ++workers) {
      for (std::size_t grain : grains) {
        const Options options{.workers = workers, .grain = grain};
        const auto plain = mrtbb::run_text_job(corpus.plain, map, options);
        ASSERT_EQ(plain.results, expected);
        for (const Form& form : forms) {
          const auto result = mrtbb::run_text_job(corpus.compressed[form.name], map, options);
          ASSERT_EQ(result.results, expected)
              << form.name << " " << mrtbb::tokenizer_name(rule.kind) << " workers=" << workers
              << " grain=" << grain;
          ASSERT_EQ(result.stats.inputs, all.size());
          ASSERT_EQ(result.stats.tokens, plain.stats.tokens);
          ASSERT_TRUE(result.failures.empty());
        }
      }
    }
  }
}

TEST(CompressedInput, RecordsCarryThePlainTextsLineNumbers) {
  Corpus corpus;
  // Every line by (input, line number): the map's view of the text, line for line.
  const auto job =
      mrtbb::record_job<std::string, std::string>([](const mrtbb::Record& record, auto& emitter) {
        emitter.emit(std::to_string(record.input) + ":" + std::to_string(record.line),
                     std::string(record.text));
      });
  for (std::size_t workers = 1; workers <= 4; ++workers) {
    for (std::size_t grain : grains) {
      const Options options{.workers = workers, .grain = grain};
      const auto plain = mrtbb::run_file_job(job, corpus.plain, options);
      ASSERT_FALSE(plain.results.empty());
      for (const Form& form : forms) {
        const auto result = mrtbb::run_file_job(job, corpus.compressed[form.name], options);
        ASSERT_EQ(result.results, plain.results)
            << form.name << " workers=" << workers << " grain=" << grain;
      }
    }
  }
}

TEST(CompressedInput, PlainAndCompressedFilesMixInOneJob) {
  TempDir dir("compressed-mix");
  const std::string a = mrtbb::testing::generated_text(511, 800);
  const std::string b = mrtbb::testing::generated_text(512, 800);
  const std::string c = mrtbb::testing::generated_text(513, 800);
  dir.write("tree/a.txt.gz", mrtbb::testing::gzip(a, 9, 2));  // a name does not make it plain
  dir.write("tree/b.txt", b);
  dir.write("tree/c.zst", mrtbb::testing::zstd(c, 19, 3));
  const mrtbb::TextMapper map = mrtbb::make_tokenizer({});
  const auto expected = mrtbb::testing::ordered_counts(
      mrtbb::testing::reference_word_counts(mrtbb::testing::Rule::letters, {a, b, c}));
  for (std::size_t grain : grains) {
    const auto result =
        mrtbb::run_text_job({(dir.path() / "tree").string()}, map, {.workers = 3, .grain = grain});
    ASSERT_EQ(result.results, expected) << "grain=" << grain;
  }
}

// Runs a job over "-" with standard input read from `path`, then puts standard input back.
mrtbb::TextJobResult run_on_stdin_from(const std::string& path, const mrtbb::TextMapper& map,
                                       const Options& options) {
  const int saved = ::dup(STDIN_FILENO);
  const int fd = ::open(path.c_str(), O_RDONLY);
  EXPECT_GE(fd, 0);
  ::dup2(fd, STDIN_FILENO);
  ::close(fd);
  auto result = mrtbb::run_text_job({"-"}, map, options);
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
  return result;
}

TEST(CompressedInput, StandardInputAndFifosAreDecompressedToo) {
  TempDir dir("compressed-stream");
  const std::string text = mrtbb::testing::multi_script_text(521, 2000);
  const mrtbb::TextMapper map = mrtbb::make_tokenizer({});
  const auto expected = mrtbb::testing::ordered_counts(
      mrtbb::testing::reference_word_counts(mrtbb::testing::Rule::letters, {text}));
  for (const Form& form : forms) {
    const std::string path = dir.write("in." + form.name, form.make(text, 2));
    for (std::size_t grain : {7, 4096}) {
      const auto result = run_on_stdin_from(path, map, {.workers = 2, .grain = grain});
      ASSERT_EQ(result.results, expected) << form.name << " on stdin, grain=" << grain;
    }
    // A FIFO named on the command line, written by another thread, a byte at a time at first: the
    // magic bytes may come in pieces.
    const std::string fifo = (dir.path() / ("fifo-" + form.name)).string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const std::string bytes = form.make(text, 3);
    std::thread writer([&] {
      const int fd = ::open(fifo.c_str(), O_WRONLY);
      std::size_t at = 0;
      while (at < bytes.size()) {
        const std::size_t n = at < 8 ? 1 : bytes.size() - at;
        const ssize_t put = ::write(fd, bytes.data() + at, n);
        if (put <= 0) break;
        at += static_cast<std::size_t>(put);
      }
      ::close(fd);
    });
    const auto result = mrtbb::run_text_job({fifo}, map, {.workers = 2, .grain = 64});
    writer.join();
    ASSERT_EQ(result.results, expected) << form.name << " from a FIFO";
  }
}

TEST(CompressedInput, ProgressAndByteCountsAreOfTheCompressedBytes) {
  Corpus corpus;
  for (const Form& form : forms) {
    std::uint64_t stored = 0;
    for (const std::string& path : corpus.compressed[form.name])
      stored += std::filesystem::file_size(path);
    std::vector<mrtbb::Progress> seen;
    const Options options{.workers = 2, .grain = 512, .on_progress = [&](const mrtbb::Progress& p) {
                            seen.push_back(p);
                          }};
    const auto result =
        mrtbb::run_text_job(corpus.compressed[form.name], mrtbb::make_tokenizer({}), options);
    EXPECT_EQ(result.stats.bytes, stored) << form.name;
    ASSERT_GT(seen.size(), 2u);
    for (std::size_t i = 1; i < seen.size(); ++i) {
      ASSERT_GE(seen[i].bytes_done, seen[i - 1].bytes_done);
      ASSERT_LE(seen[i].bytes_done, seen[i].bytes_total);
      ASSERT_EQ(seen[i].bytes_total, stored);
    }
    EXPECT_EQ(seen.back().bytes_done, stored) << form.name;
  }
}

TEST(CompressedInput, AStreamThatExpandsHugelyStaysWithinTheGrain) {
  // 32 MiB of short lines from a few KiB: read a bounded piece at a time, never whole.
  const std::string line = "bomb\n";
  const std::size_t lines = (std::size_t{32} << 20) / line.size();
  std::string text;
  text.reserve(lines * line.size());
  for (std::size_t i = 0; i < lines; ++i)
    text += line;
  TempDir dir("compressed-bomb");
  const std::vector<std::string> paths = {dir.write("bomb.gz", mrtbb::testing::gzip(text, 9)),
                                          dir.write("bomb.zst", mrtbb::testing::zstd(text, 19))};
  text = std::string();
  constexpr std::size_t grain = 64 << 10;
  for (const std::string& path : paths) {
    const auto result =
        mrtbb::run_text_job({path}, mrtbb::make_tokenizer({}), {.workers = 2, .grain = grain});
    ASSERT_EQ(result.results, (std::vector<mrtbb::WordCount>{{"bomb", lines}})) << path;
    EXPECT_LE(result.stats.largest_chunk, grain) << path;
    EXPECT_LT(result.stats.bytes, std::uint64_t{1} << 20) << path;
  }
}

struct Damaged {
  std::string name;
  std::string bytes;
  std::string reason;  // the start of the reason the input fails with
};

std::vector<Damaged> damaged_inputs() {
  const std::string text = mrtbb::testing::generated_text(531, 5000);
  const std::string gz = mrtbb::testing::gzip(text, 6, 2);
  const std::string zst = mrtbb::testing::zstd(text, 3, 2);
  std::string flipped = gz;
  flipped[flipped.size() / 3] = static_cast<char>(flipped[flipped.size() / 3] ^ 0x55);
  return {
      {"truncated.gz", gz.substr(0, gz.size() / 2), "truncated gzip data"},
      {"header-only.gz", gz.substr(0, 2), "truncated gzip data"},
      {"truncated.zst", zst.substr(0, zst.size() - 1), "truncated zstd data"},
      {"magic-only.zst", zst.substr(0, 4), "truncated zstd data"},
      {"flipped.gz", flipped, "invalid gzip data"},
      {"trailing-garbage.gz", gz + "not a gzip member", "invalid gzip data"},
      {"trailing-garbage.zst", zst + "not a zstd frame", "invalid zstd data"},
  };
}

TEST(CompressedInput, CorruptOrTruncatedDataFailsTheJobNamingTheInput) {
  TempDir dir("compressed-damaged");
  for (const Damaged& damaged : damaged_inputs()) {
    const std::string path = dir.write(damaged.name, damaged.bytes);
    for (std::size_t grain : {7, 4096, 0}) {
      try {
        mrtbb::run_text_job({path}, mrtbb::make_tokenizer({}), {.workers = 2, .grain = grain});
        FAIL() << damaged.name << ": expected an InputError";
      } catch (const mrtbb::InputError& error) {
        EXPECT_EQ(error.input(), path);
        EXPECT_EQ(error.reason().rfind(damaged.reason, 0), 0u)
            << damaged.name << ": " << error.reason();
        EXPECT_NE(std::string(error.what()).find(path), std::string::npos) << error.what();
      }
    }
  }
}

TEST(CompressedInput, CorruptDataIsReportedAndTheOtherInputsCountedUnderSkipAndReport) {
  TempDir dir("compressed-skip");
  const std::string good = mrtbb::testing::generated_text(541, 700);
  const std::string good_path = dir.write("good.gz", mrtbb::testing::gzip(good, 5, 2));
  const mrtbb::TextMapper map = mrtbb::make_tokenizer({});
  const auto expected = mrtbb::testing::ordered_counts(
      mrtbb::testing::reference_word_counts(mrtbb::testing::Rule::letters, {good}));
  for (const Damaged& damaged : damaged_inputs()) {
    const std::string path = dir.write(damaged.name, damaged.bytes);
    const auto result =
        mrtbb::run_text_job({path, good_path}, map,
                            {.workers = 2, .on_input_error = mrtbb::ErrorPolicy::skip_and_report});
    ASSERT_EQ(result.failures.size(), 1u) << damaged.name;
    EXPECT_EQ(result.failures[0].input, path);
    EXPECT_EQ(result.failures[0].reason.rfind(damaged.reason, 0), 0u) << result.failures[0].reason;
    // The damaged input's text fits one chunk, which is dropped with it.
    EXPECT_EQ(result.results, expected) << damaged.name;
  }
}

}  // namespace
