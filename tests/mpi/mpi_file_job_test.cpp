// File jobs across ranks against the same jobs on one process: results byte for byte on rank 0,
// reports on every rank, for every worker count, grain and shuffle round size, on inputs that
// make ranks share files and take many small ones. Run under mpiexec with 1 to 4 ranks (ctest).
#include <gtest/gtest.h>

#include <mrtbb/mpi.hpp>
#include <mrtbb/mrtbb.hpp>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "mpi/mpi_test_support.hpp"
#include "support/command.hpp"
#include "support/corpus.hpp"

namespace {

using mrtbb::testing::describe;
using mrtbb::testing::expect_same_as_one_process;
using mrtbb::testing::expect_same_report;
using mrtbb::testing::MpiSetting;
using mrtbb::testing::SharedDir;
namespace mpi = mrtbb::mpi;

const mpi::Communicator world;

// Inputs with every kind of place a share can start or end: one large file with long lines (so
// ranks split it), a directory of small files, empty files, CRLF, a single line with no line feed,
// a file without a final line feed, and a file listed twice.
struct Corpus {
  SharedDir dir{"mpi-file-job"};
  std::vector<std::string> paths;

  Corpus() {
    std::string big = mrtbb::testing::generated_text(1, 20000);
    big += "\n" + std::string(3000, 'q') + " tail of a long line\n" +
           mrtbb::testing::generated_text(2, 3000);
    const std::string big_path = dir.write("big.txt", big);
    for (int i = 0; i < 9; ++i) {
      dir.write("small/f" + std::to_string(i),
                mrtbb::testing::generated_text(static_cast<std::uint32_t>(10 + i),
                                               static_cast<std::size_t>(i * 17)));
    }
    paths = {big_path,
             dir.at("small"),
             dir.write("empty-1", ""),
             dir.write("crlf.txt", "alpha beta\r\ngamma alpha\r\n\r\nbeta\r\n"),
             dir.write("one-line.txt", std::string(5000, 'z') + " " + std::string(40, 'y')),
             dir.write("no-final-lf.txt", "last words here\nand there"),
             dir.write("empty-2", ""),
             big_path};
    dir.ready();
  }
};

std::unique_ptr<Corpus> shared_corpus;

const Corpus& corpus() {
  if (!shared_corpus) shared_corpus = std::make_unique<Corpus>();
  return *shared_corpus;
}

// The corpus goes while MPI is still there: its removal is collective.
class CorpusRemoval : public ::testing::Environment {
 public:
  void TearDown() override { shared_corpus.reset(); }
};
[[maybe_unused]] const auto* const corpus_removal =
    ::testing::AddGlobalTestEnvironment(new CorpusRemoval);

std::vector<MpiSetting> settings() {
  std::vector<MpiSetting> all;
  for (std::size_t workers : {1, 2}) {
    for (std::size_t grain : {1, 7, 64, 4096, 0})
      all.push_back({workers, grain, grain == 7 ? 1 : std::size_t{64} << 20});
  }
  all.push_back({2, 0, 100});
  return all;
}

// (input, line) of every line by its first word, without a combiner: values in input order, so
// shares must follow each other in rank order and number their lines from where the last ended.
TEST(MpiFileJob, RecordsWithoutCombinerKeepInputOrderAndLineNumbers) {
  const auto job = mrtbb::record_job<std::string, std::pair<std::uint64_t, std::uint64_t>>(
      [](const mrtbb::Record& record, auto& emitter) {
        const std::string_view text = record.text;
        emitter.emit(text.substr(0, std::min(text.find(' '), text.size())),
                     std::pair<std::uint64_t, std::uint64_t>{record.input, record.line});
      });
  expect_same_as_one_process(job, corpus().paths, settings());
}

// Words of text pieces with a combiner that is not a count (InlineKeyTable), a reduce, a filter
// and a top k in an order of the job's own.
TEST(MpiFileJob, TextWithCombinerReduceFilterAndTopK) {
  const mrtbb::WordSplitter words(mrtbb::TokenizerOptions{.kind = mrtbb::TokenizerKind::letters});
  const auto job =
      mrtbb::text_job<std::string, std::pair<std::uint64_t, std::uint64_t>>(
          [&](const mrtbb::TextSegment& segment, auto& emitter) {
            words.for_each_word(segment, [&](std::string_view word) {
              emitter.emit(word, std::pair<std::uint64_t, std::uint64_t>{1, segment.input});
            });
          },
          mrtbb::word_boundary(mrtbb::TokenizerOptions{.kind = mrtbb::TokenizerKind::letters}))
          .combine_with([](std::pair<std::uint64_t, std::uint64_t>& into,
                           std::pair<std::uint64_t, std::uint64_t>&& from) {
            into.first += from.first;
            into.second = std::max(into.second, from.second);
          })
          .reduce_with([](const std::string& word, std::pair<std::uint64_t, std::uint64_t>&& seen) {
            return std::to_string(seen.first) + "x" + word + "@" + std::to_string(seen.second);
          })
          .keep_if([](const std::pair<std::string, std::string>& entry) {
            return entry.first.size() % 3 != 0;
          });
  expect_same_as_one_process(job, corpus().paths, settings());
  const auto by_result = [](const std::pair<std::string, std::string>& a,
                            const std::pair<std::string, std::string>& b) {
    return std::tie(a.second, a.first) > std::tie(b.second, b.first);
  };
  expect_same_as_one_process(job.top(7, by_result), corpus().paths, settings());
  expect_same_as_one_process(job.top(100000, by_result), corpus().paths, settings());
}

// Integer keys (a FoldingTable) with a value-returning combiner.
TEST(MpiFileJob, IntegerKeysWithValueReturningCombiner) {
  const auto job =
      mrtbb::text_job<std::uint64_t, std::uint64_t>([](const mrtbb::TextSegment& segment,
                                                       auto& emitter) {
        for (unsigned char c : segment.text)
          emitter.emit(std::uint64_t{c}, std::uint64_t{1});
      }).combine_with([](std::uint64_t a, std::uint64_t b) { return a + b; });
  expect_same_as_one_process(job, corpus().paths, settings());
}

TEST(MpiFileJob, CountsOfEveryTokenizer) {
  for (const auto kind : {mrtbb::TokenizerKind::letters, mrtbb::TokenizerKind::alpha_tokens,
                          mrtbb::TokenizerKind::whitespace}) {
    const mrtbb::TextMapper map = mrtbb::make_tokenizer({.kind = kind});
    for (const MpiSetting& setting : settings()) {
      const mrtbb::Options options{.workers = setting.workers, .grain = setting.grain};
      const auto want = mrtbb::run_text_job(corpus().paths, map, options);
      const auto got = mpi::run_text_job(corpus().paths, map, options,
                                         {.shuffle_round_bytes = setting.round_bytes});
      if (world.is_root()) {
        EXPECT_EQ(got.results, want.results) << describe(setting);
      }
      expect_same_report(got, want, describe(setting));
    }
  }
}

// Every byte of the inputs in exactly one share, each share starting at the start of a line.
TEST(MpiFileJob, SharesCoverTheInputsOnceAndStartAtLines) {
  std::vector<mrtbb::InputFailure> failures;
  std::vector<mrtbb::SkippedInput> skipped;
  const auto inputs =
      mrtbb::expand_inputs(corpus().paths, mrtbb::ErrorPolicy::fail, failures, skipped);
  const auto points = mpi::split_inputs(world, inputs);
  ASSERT_EQ(points.size(), static_cast<std::size_t>(world.size()) + 1);
  std::vector<std::uint64_t> covered(inputs.size(), 0);
  std::vector<std::uint64_t> next_offset(inputs.size(), 0);
  for (int rank = 0; rank < world.size(); ++rank) {
    for (const mrtbb::InputFile& part : mpi::share_of(inputs, points, rank)) {
      const std::size_t i = *part.ordinal;
      EXPECT_EQ(part.offset, next_offset[i]) << "rank " << rank << " input " << i;
      const std::uint64_t length = part.length.value_or(inputs[i].size - part.offset);
      next_offset[i] = part.offset + length;
      covered[i] += length;
      if (part.offset > 0) {
        const std::string text = mrtbb::testing::slurp(part.path);
        EXPECT_EQ(text[part.offset - 1], '\n') << "rank " << rank << " input " << i;
      }
    }
  }
  for (std::size_t i = 0; i < inputs.size(); ++i)
    EXPECT_EQ(covered[i], inputs[i].size) << "input " << i;
}

TEST(MpiFileJob, AnUnlistableInputIsReportedOnceOnEveryRank) {
  std::vector<std::string> paths = corpus().paths;
  paths.insert(paths.begin() + 1, corpus().dir.at("no-such-file"));
  const mrtbb::TextMapper map = mrtbb::make_tokenizer({});
  const mrtbb::Options options{.workers = 1, .on_input_error = mrtbb::ErrorPolicy::skip_and_report};
  const auto want = mrtbb::run_text_job(paths, map, options);
  ASSERT_EQ(want.failures.size(), 1u);
  const auto got = mpi::run_text_job(paths, map, options);
  expect_same_report(got, want, "skip and report");
  if (world.is_root()) {
    EXPECT_EQ(got.results, want.results);
  }

  // Under ErrorPolicy::fail every rank throws: rank 0, which lists the inputs, its InputError.
  try {
    mpi::run_text_job(paths, map, {.workers = 1});
    ADD_FAILURE() << "no exception";
  } catch (const mpi::PeerError& e) {
    EXPECT_FALSE(world.is_root());
    EXPECT_EQ(e.rank(), 0);
    EXPECT_NE(e.message().find("no-such-file"), std::string::npos) << e.what();
  } catch (const mrtbb::InputError& e) {
    EXPECT_TRUE(world.is_root());
    EXPECT_NE(e.input().find("no-such-file"), std::string::npos);
  }
}

// A map function that throws on a word at the end of the last input: the rank that reads it fails
// its map phase, and every rank leaves the job with an exception instead of waiting for it.
TEST(MpiFileJob, AMapFailureOnOneRankEndsTheJobOnEveryRank) {
  SharedDir dir("mpi-map-failure");
  const std::string clean = dir.write("clean.txt", mrtbb::testing::generated_text(3, 4000));
  const std::string poisoned = dir.write("poisoned.txt", "fine words\nthen poison here\n");
  dir.ready();
  const auto job = mrtbb::text_job<std::string, std::uint64_t>([](const mrtbb::TextSegment& segment,
                                                                  auto& emitter) {
                     if (segment.text.find("poison") != std::string_view::npos)
                       throw std::runtime_error("poison found");
                     emitter.emit(std::string_view("bytes"), std::uint64_t{segment.text.size()});
                   }).combine_with(mrtbb::Sum{});
  const std::vector<std::string> paths{clean, poisoned};
  const int last = world.size() - 1;
  try {
    mpi::run_file_job(job, paths, {.workers = 2, .grain = 64});
    ADD_FAILURE() << "no exception";
  } catch (const mpi::PeerError& e) {
    EXPECT_NE(world.rank(), last);
    EXPECT_EQ(e.rank(), last);
    EXPECT_NE(e.message().find("poison found"), std::string::npos) << e.what();
  } catch (const mrtbb::MapError& e) {
    EXPECT_EQ(world.rank(), last) << e.what();
  }

  // Under skip_and_report the piece is left out, and every rank reports it as one process would.
  const mrtbb::Options skipping{
      .workers = 2, .grain = 64, .on_map_error = mrtbb::ErrorPolicy::skip_and_report};
  const auto want = mrtbb::run_file_job(job, paths, skipping);
  const auto got = mpi::run_file_job(job, paths, skipping);
  ASSERT_EQ(want.map_failures.size(), 1u);
  expect_same_report(got, want, "skip and report");
  if (world.is_root()) {
    EXPECT_EQ(got.results, want.results);
  }
}

// A reduce that throws for one key fails on the rank that owns the key; all ranks leave together.
TEST(MpiFileJob, AReduceFailureOnTheOwnerEndsTheJobOnEveryRank) {
  const auto job = mrtbb::text_job<std::string, std::uint64_t>(
                       [](const mrtbb::TextSegment& segment, auto& emitter) {
                         emitter.emit(segment.text.substr(0, 1), std::uint64_t{1});
                       })
                       .combine_with(mrtbb::Sum{})
                       .reduce_with([](const std::string& key, std::uint64_t count) {
                         if (key == "z") throw std::runtime_error("no z allowed");
                         return count;
                       });
  int threw = 0;
  try {
    mpi::run_file_job(job, corpus().paths, {.workers = 1});
  } catch (const mpi::PeerError& e) {
    threw = 1;
    EXPECT_NE(e.message().find("no z allowed"), std::string::npos) << e.what();
  } catch (const mrtbb::ReduceError& e) {
    threw = 2;
  }
  EXPECT_NE(threw, 0);
  int reduce_errors = threw == 2;
  int total = 0;
  MPI_Allreduce(&reduce_errors, &total, 1, MPI_INT, MPI_SUM, world.handle());
  EXPECT_EQ(total, 1) << "exactly one rank owns the key";
}

}  // namespace
