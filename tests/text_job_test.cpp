// A text job must count exactly what a sequential pass over the same files counts, for every
// worker count, grain and partition strategy, and must report every input it could not read.

#include <gtest/gtest.h>

#include <oneapi/tbb/task_arena.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "mrtbb/mrtbb.hpp"
#include "support/colliding_keys.hpp"
#include "support/corpus.hpp"
#include "support/reference.hpp"

namespace {

using mrtbb::CountEmitter;
using mrtbb::Options;
using mrtbb::PartitionStrategy;
using mrtbb::TextSegment;
using mrtbb::testing::TempDir;

void split_on_blanks(const TextSegment& segment, CountEmitter& emit) {
  const std::string_view text = segment.text;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && mrtbb::testing::is_blank(text[i]))
      ++i;
    const std::size_t start = i;
    while (i < text.size() && !mrtbb::testing::is_blank(text[i]))
      ++i;
    if (i > start) emit.emit(text.substr(start, i - start));
  }
}

// Runs a job over "-" with standard input read from `path`, then puts standard input back.
mrtbb::TextJobResult run_on_stdin_from(const std::string& path, const Options& options) {
  const int saved = ::dup(STDIN_FILENO);
  const int fd = ::open(path.c_str(), O_RDONLY);
  EXPECT_GE(fd, 0);
  ::dup2(fd, STDIN_FILENO);
  ::close(fd);
  auto result = mrtbb::run_text_job({"-"}, split_on_blanks, options);
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
  return result;
}

struct Corpus {
  TempDir dir{"textjob"};
  std::vector<std::string> paths;  // what the job is given
  std::string all_text;            // every file's text, each followed by a newline

  void add(const std::string& relative, const std::string& text) {
    dir.write(relative, text);
    all_text += text + "\n";
  }
};

// A directory tree of small and large files, plus one file named on its own.
void fill(Corpus& c, std::size_t scale) {
  c.add("tree/a.txt", mrtbb::testing::generated_text(21, 40 * scale));
  c.add("tree/b/empty.txt", "");
  c.add("tree/b/c.txt", mrtbb::testing::generated_text(22, 3 * scale));
  c.add("tree/b/d/e.txt", "tail without newline " + std::string(200, 'z'));
  for (int i = 0; i < 5; ++i) {
    c.add("tree/small/" + std::to_string(i), mrtbb::testing::generated_text(30u + i, 5));
  }
  c.add("single.txt", mrtbb::testing::generated_text(23, 20 * scale));
  c.paths = {(c.dir.path() / "tree").string(), (c.dir.path() / "single.txt").string()};
}

std::vector<mrtbb::WordCount> reference_counts(const std::string& text) {
  std::map<std::string, std::uint64_t> counts;
  for (const auto& word : mrtbb::testing::split_blanks(text))
    ++counts[word];
  return mrtbb::testing::ordered_counts(counts);
}

TEST(TextJob, MatchesSequentialCountsForEverySetting) {
  Corpus small;
  fill(small, 4);
  Corpus large;
  fill(large, 60);
  for (std::size_t workers = 1; workers <= 8; ++workers) {
    for (std::size_t grain : {1, 2, 3, 5, 7, 64, 4096, 1 << 20}) {
      // Grains of a few bytes make tens of thousands of chunks: the small corpus keeps it quick.
      const Corpus& corpus = grain < 64 ? small : large;
      const auto expected = reference_counts(corpus.all_text);
      for (auto strategy :
           {PartitionStrategy::hash_partitioned, PartitionStrategy::concurrent_hash_map}) {
        const Options options{.workers = workers, .grain = grain, .partition = strategy};
        const auto result = mrtbb::run_text_job(corpus.paths, split_on_blanks, options);
        ASSERT_EQ(result.results, expected) << "workers=" << workers << " grain=" << grain;
        ASSERT_EQ(result.stats.inputs, 10u);
        ASSERT_TRUE(result.failures.empty());
      }
    }
  }
}

// Keys are hashed with a per-process seed; the answer, in its order, must not depend on it.
TEST(TextJob, ResultsAreTheSameUnderEveryHashSeed) {
  Corpus corpus;
  fill(corpus, 20);
  const auto expected = reference_counts(corpus.all_text);
  for (const mrtbb::HashSeed seed : {mrtbb::HashSeed{}, mrtbb::HashSeed{1, 2},
                                     mrtbb::HashSeed{0x0123456789abcdefULL, 0xfedcba9876543210ULL},
                                     mrtbb::process_hash_seed()}) {
    const mrtbb::ScopedHashSeedForTesting scoped(seed);
    for (std::size_t workers = 1; workers <= 4; ++workers) {
      for (std::size_t grain : {16, 300, 1 << 20}) {
        for (auto strategy :
             {PartitionStrategy::hash_partitioned, PartitionStrategy::concurrent_hash_map}) {
          const Options options{
              .workers = workers, .grain = grain, .partition = strategy, .top_k = 0};
          ASSERT_EQ(mrtbb::run_text_job(corpus.paths, split_on_blanks, options).results, expected)
              << "seed=" << seed.head << " workers=" << workers << " grain=" << grain;
          const auto top = mrtbb::run_text_job(corpus.paths, split_on_blanks,
                                               {.workers = workers, .grain = grain, .top_k = 3});
          ASSERT_EQ(top.results, std::vector(expected.begin(), expected.begin() + 3));
        }
      }
    }
  }
}

// Words of every length from 1 to 40 bytes (the count table's three key classes and both of their
// boundaries), words of 24 to 32 bytes crafted to collide without a seed, and words sharing their
// first 16 or 24 bytes, spread over files so that every worker's table holds each class: the
// combine must move and merge all of them, for every worker count, grain and seed.
TEST(TextJob, CombinesKeysOfEveryLengthClassLikeAnUnorderedMap) {
  std::mt19937 rng(17);
  std::vector<std::string> vocabulary;
  for (std::size_t length = 1; length <= 40; ++length) {
    for (int variant = 0; variant < 20; ++variant) {
      std::string word(length, 'a');
      for (char& c : word)
        c = static_cast<char>('a' + rng() % 3);
      vocabulary.push_back(word);
      if (length > 16) vocabulary.push_back(word.substr(0, 16) + std::string(length - 16, 'z'));
      if (length > 24) vocabulary.push_back(word.substr(0, 24) + std::string(length - 24, 'y'));
    }
  }
  for (std::size_t size : {24, 31, 32}) {
    for (auto& key : mrtbb::testing::wide_keys_colliding_without_a_seed(200, size))
      vocabulary.push_back(std::move(key));
  }
  Corpus corpus;
  std::unordered_map<std::string, std::uint64_t> counts;
  for (int f = 0; f < 4; ++f) {
    std::string text;
    for (int i = 0; i < 6000; ++i) {
      const std::string& word = vocabulary[rng() % vocabulary.size()];
      ++counts[word];
      text += word;
      text += i % 13 == 12 ? '\n' : ' ';
    }
    corpus.add("f" + std::to_string(f), text);
    corpus.paths.push_back((corpus.dir.path() / ("f" + std::to_string(f))).string());
  }
  const auto expected = mrtbb::testing::ordered_counts(
      std::map<std::string, std::uint64_t>(counts.begin(), counts.end()));
  for (const mrtbb::HashSeed seed : {mrtbb::HashSeed{}, mrtbb::process_hash_seed()}) {
    const mrtbb::ScopedHashSeedForTesting scoped(seed);
    for (std::size_t workers = 1; workers <= 4; ++workers) {
      for (std::size_t grain : {7, 64, 300, 4096, 1 << 20}) {
        const Options options{.workers = workers, .grain = grain};
        ASSERT_EQ(mrtbb::run_text_job(corpus.paths, split_on_blanks, options).results, expected)
            << "seed=" << seed.head << " workers=" << workers << " grain=" << grain;
      }
    }
  }
}

// -j 4096 on a small input: the job must start no more workers than its chunks can keep busy, and
// combine only the tables that hold keys, in as many partitions as those keys need.
TEST(TextJob, AJobStartsNoMoreWorkersThanItsInputsCanKeepBusy) {
  TempDir dir("fewchunks");
  const std::string text = "hello world hello\n";
  const std::string path = dir.write("a.txt", text);
  std::atomic<int> widest_arena{0};
  const auto map = [&](const TextSegment& segment, CountEmitter& emit) {
    widest_arena = std::max(widest_arena.load(), tbb::this_task_arena::max_concurrency());
    split_on_blanks(segment, emit);
  };
  const auto result = mrtbb::run_text_job({path}, map, {.workers = mrtbb::max_workers});
  EXPECT_EQ(result.results, reference_counts(text));
  EXPECT_EQ(widest_arena.load(), 1);
  EXPECT_EQ(result.stats.workers, 1u);
  EXPECT_EQ(result.stats.tables_combined, 1u);
  EXPECT_EQ(result.stats.partitions, 1u);

  // A larger file in small grains has chunks enough for every worker asked for.
  const std::string large = dir.write("b.txt", mrtbb::testing::generated_text(5, 20000));
  const auto busy = mrtbb::run_text_job({large}, split_on_blanks, {.workers = 3, .grain = 1024});
  EXPECT_EQ(busy.stats.workers, 3u);
  EXPECT_GE(busy.stats.tables_combined, 1u);
  EXPECT_LE(busy.stats.tables_combined, 3u);
}

// Standard input may hold any amount: it never limits the workers.
TEST(TextJob, AStreamKeepsEveryWorkerAskedFor) {
  TempDir dir("stream");
  const std::string text = mrtbb::testing::generated_text(8, 300);
  const std::string path = dir.write("in.txt", text);
  const auto result = run_on_stdin_from(path, {.workers = 3});
  EXPECT_EQ(result.results, reference_counts(text));
  EXPECT_EQ(result.stats.workers, 3u);
}

TEST(TextJob, MatchesSequentialCountsForEveryPartitionLimit) {
  Corpus corpus;
  fill(corpus, 30);
  const auto expected = reference_counts(corpus.all_text);
  for (std::size_t workers = 1; workers <= 4; ++workers) {
    for (std::size_t partitions :
         {std::size_t{1}, std::size_t{2}, std::size_t{5}, std::size_t{64}, mrtbb::max_partitions}) {
      for (std::size_t grain : {64, 4096}) {
        const Options options{.workers = workers, .grain = grain, .partitions = partitions};
        const auto result = mrtbb::run_text_job(corpus.paths, split_on_blanks, options);
        ASSERT_EQ(result.results, expected)
            << "workers=" << workers << " partitions=" << partitions << " grain=" << grain;
        ASSERT_LE(result.stats.partitions, std::bit_ceil(partitions));
      }
    }
  }
}

// Options that cannot work are refused before anything is read, never a bad_alloc or a clamp.
TEST(TextJob, OptionsThatCannotWorkAreOptionsErrors) {
  TempDir dir("badoptions");
  const std::string path = dir.write("a.txt", "some words\n");
  const auto run = [&](const Options& options) {
    return mrtbb::run_text_job({path}, split_on_blanks, options);
  };
  EXPECT_THROW(run({.partitions = std::size_t{1} << 40}), mrtbb::OptionsError);
  EXPECT_THROW(run({.partitions = mrtbb::max_partitions + 1}), mrtbb::OptionsError);
  EXPECT_THROW(run({.grain = std::size_t{1} << 62}), mrtbb::OptionsError);
  EXPECT_THROW(run({.grain = mrtbb::max_text_grain + 1}), mrtbb::OptionsError);
  EXPECT_THROW(run({.workers = mrtbb::max_workers + 1}), mrtbb::OptionsError);
  EXPECT_THROW(run({.retry = {.attempts = 2, .backoff = std::chrono::milliseconds(-1)}}),
               mrtbb::OptionsError);
  EXPECT_THROW(run({.retry = {.attempts = 2, .backoff = std::chrono::milliseconds::max()}}),
               mrtbb::OptionsError);
  // The largest values allowed work.
  EXPECT_EQ(run({.grain = mrtbb::max_text_grain, .partitions = mrtbb::max_partitions}).results,
            reference_counts("some words\n"));
}

TEST(TextJob, TopKAndMinCountSelectFromTheFullOrder) {
  Corpus corpus;
  fill(corpus, 30);
  const auto full = mrtbb::run_text_job(corpus.paths, split_on_blanks, {.workers = 3});
  ASSERT_GT(full.results.size(), 10u);
  for (std::size_t k : {1, 2, 5, 10, 1000}) {
    const auto top = mrtbb::run_text_job(corpus.paths, split_on_blanks, {.workers = 3, .top_k = k});
    const std::size_t n = std::min(k, full.results.size());
    ASSERT_EQ(top.results,
              std::vector<mrtbb::WordCount>(full.results.begin(), full.results.begin() + n));
  }
  const auto frequent =
      mrtbb::run_text_job(corpus.paths, split_on_blanks, {.workers = 2, .min_count = 50});
  std::vector<mrtbb::WordCount> expected;
  for (const auto& entry : full.results) {
    if (entry.second >= 50) expected.push_back(entry);
  }
  EXPECT_EQ(frequent.results, expected);
  EXPECT_EQ(frequent.stats.distinct, full.results.size());
}

TEST(TextJob, StatsCountTokensBytesAndChunks) {
  Corpus corpus;
  fill(corpus, 10);
  const auto result =
      mrtbb::run_text_job(corpus.paths, split_on_blanks, {.workers = 2, .grain = 256});
  std::uint64_t tokens = 0;
  for (const auto& entry : result.results)
    tokens += entry.second;
  EXPECT_EQ(result.stats.tokens, tokens);
  EXPECT_EQ(result.stats.distinct, result.results.size());
  EXPECT_EQ(result.stats.bytes, corpus.all_text.size() - 10);  // less the newlines added per file
  EXPECT_GT(result.stats.chunks, result.stats.bytes / 1024);
}

TEST(TextJob, ProgressIsMonotonicAndEndsAtTheTotal) {
  Corpus corpus;
  fill(corpus, 50);
  std::vector<mrtbb::Progress> seen;
  const Options options{.workers = 4, .grain = 512, .on_progress = [&](const mrtbb::Progress& p) {
                          seen.push_back(p);
                        }};
  const auto result = mrtbb::run_text_job(corpus.paths, split_on_blanks, options);
  ASSERT_GT(seen.size(), 2u);
  for (std::size_t i = 1; i < seen.size(); ++i) {
    ASSERT_GE(seen[i].bytes_done, seen[i - 1].bytes_done);
    ASSERT_EQ(seen[i].bytes_total, result.stats.bytes);
  }
  EXPECT_EQ(seen.back().bytes_done, seen.back().bytes_total);
}

TEST(TextJob, EveryInputIsAnnouncedToTheMapObserver) {
  Corpus corpus;
  fill(corpus, 5);
  std::mutex mutex;
  std::set<std::string> announced;
  const Options options{.workers = 4, .on_map_task = [&](const mrtbb::MapTaskInfo& info) {
                          std::lock_guard lock(mutex);
                          announced.insert(info.input);
                        }};
  mrtbb::run_text_job(corpus.paths, split_on_blanks, options);
  // Nine non-empty files: the empty one has no text to map.
  EXPECT_EQ(announced.size(), 9u);
  EXPECT_TRUE(announced.count((corpus.dir.path() / "single.txt").string()));
}

TEST(TextJob, MissingInputFailsTheJobByDefault) {
  Corpus corpus;
  fill(corpus, 1);
  const std::string missing = (corpus.dir.path() / "missing.txt").string();
  corpus.paths.push_back(missing);
  try {
    mrtbb::run_text_job(corpus.paths, split_on_blanks);
    FAIL() << "expected InputError";
  } catch (const mrtbb::InputError& error) {
    EXPECT_EQ(error.input(), missing);
    EXPECT_EQ(std::string(error.what()),
              "cannot read '" + missing + "': No such file or directory");
  }
}

TEST(TextJob, SkipPolicyReportsFailuresAndCountsTheRest) {
  Corpus corpus;
  fill(corpus, 3);
  const std::string missing = (corpus.dir.path() / "missing.txt").string();
  std::vector<std::string> paths = {missing};
  paths.insert(paths.end(), corpus.paths.begin(), corpus.paths.end());
  const auto result =
      mrtbb::run_text_job(paths, split_on_blanks,
                          {.workers = 2, .on_input_error = mrtbb::ErrorPolicy::skip_and_report});
  ASSERT_EQ(result.failures.size(), 1u);
  EXPECT_EQ(result.failures[0].input, missing);
  EXPECT_EQ(result.failures[0].reason, "No such file or directory");
  EXPECT_EQ(result.results, reference_counts(corpus.all_text));
}

TEST(TextJob, MapExceptionNamesInputAndChunk) {
  TempDir dir("maperror");
  const std::string good = dir.write("good.txt", "fine words here\n");
  const std::string bad = dir.write("bad.txt", "fine words\npoison here\n");
  const auto poisoned = [](const TextSegment& segment, CountEmitter& emit) {
    if (segment.text.find("poison") != std::string_view::npos) {
      throw std::domain_error("poison found");
    }
    split_on_blanks(segment, emit);
  };
  for (std::size_t workers : {1, 3}) {
    try {
      mrtbb::run_text_job({good, bad}, poisoned, {.workers = workers, .grain = 4});
      FAIL() << "expected MapError";
    } catch (const mrtbb::MapError& error) {
      EXPECT_EQ(error.input(), bad);
      ASSERT_TRUE(error.chunk().has_value());
      EXPECT_NE(std::string(error.what()).find("poison found"), std::string::npos);
      EXPECT_THROW(std::rethrow_if_nested(error), std::domain_error);
    }
  }
}

TEST(TextJob, ReadsStandardInput) {
  TempDir dir("stdin");
  const std::string text = mrtbb::testing::generated_text(99, 2000);
  const std::string path = dir.write("in.txt", text);
  const auto result = run_on_stdin_from(path, {.workers = 2, .grain = 100});
  EXPECT_EQ(result.results, reference_counts(text));
  EXPECT_EQ(result.stats.bytes, text.size());
}

TEST(TextJob, AFileThatGrowsWhileReadIsCountedWholeAndNamedInTheWarnings) {
  TempDir dir("grows");
  const std::string start = mrtbb::testing::generated_text(40, 50000);
  const std::string more = mrtbb::testing::generated_text(41, 50000);
  const std::string path = dir.write("log.txt", start);
  // The reading stage reports progress before it reads each chunk: the second report comes after
  // the file was opened and its first chunk read.
  int reports = 0;
  Options options{.workers = 2, .grain = 4096};
  options.on_progress = [&](const mrtbb::Progress&) {
    if (++reports == 2) std::ofstream(path, std::ios::app | std::ios::binary) << more;
  };
  const auto result = mrtbb::run_text_job({path}, split_on_blanks, options);
  EXPECT_EQ(result.results, reference_counts(start + more));
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_EQ(result.warnings[0].input, path);
  EXPECT_TRUE(result.failures.empty());
}

// Splits on commas, and tells the reader that it may cut after one.
class CommaBoundary final : public mrtbb::ChunkBoundary {
 public:
  std::size_t last_cut(std::string_view, std::string_view text, std::size_t) const override {
    const std::size_t comma = text.rfind(',');
    return comma == std::string_view::npos ? 0 : comma + 1;
  }
  void extend_line_head(std::string&, std::string_view) const override {}
};

void split_on_commas(const TextSegment& segment, CountEmitter& emit) {
  std::string_view text = segment.text;
  while (!text.empty()) {
    const std::size_t comma = std::min(text.find(','), text.size());
    if (comma > 0) emit.emit(text.substr(0, comma));
    text.remove_prefix(std::min(comma + 1, text.size()));
  }
}

TEST(TextJob, AMapFunctionCanSayWhereItsChunksMayEnd) {
  TempDir dir("commas");
  std::string text;
  std::map<std::string, std::uint64_t> expected;
  for (int i = 0; i < 20000; ++i) {
    const std::string field = "f" + std::to_string(i % 97);
    text += field + ",";
    ++expected[field];
  }
  const std::string path = dir.write("fields.csv", text);
  const mrtbb::TextMapper by_commas(split_on_commas, std::make_shared<CommaBoundary>());
  const auto result = mrtbb::run_text_job({path}, by_commas, {.workers = 3, .grain = 256});
  EXPECT_EQ(result.results, mrtbb::testing::ordered_counts(expected));
  EXPECT_LE(result.stats.largest_chunk, 256u);
  // A map function that says nothing is cut at ASCII whitespace only: this text is one chunk.
  const auto whole = mrtbb::run_text_job({path}, split_on_commas, {.workers = 3, .grain = 256});
  EXPECT_EQ(whole.results, result.results);
  EXPECT_EQ(whole.stats.largest_chunk, text.size());
}

TEST(TextJob, EmptyInputsGiveAnEmptyResult) {
  TempDir dir("empty");
  dir.write("sub/empty.txt", "");
  const auto result = mrtbb::run_text_job({dir.path().string()}, split_on_blanks);
  EXPECT_TRUE(result.results.empty());
  EXPECT_EQ(result.stats.inputs, 1u);
  EXPECT_TRUE(mrtbb::run_text_job({}, split_on_blanks).results.empty());
}

}  // namespace
