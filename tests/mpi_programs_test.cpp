// The MPI programs as a user runs them, under mpiexec on 1 to 4 ranks, against their
// single-process forms: wordcount-mpi, inverted_index_mpi and group_stats_mpi print byte for byte
// what wordcount, inverted_index and group_stats print, report an error once, and every rank ends
// with the same exit status.
//
// Each MPI run costs an mpiexec start (most of a second), so the matrix is chosen, not full:
// - wordcount: every tokenizer x every rank count 1-4 x four (workers, grain, inputs, output)
//   cases: (1, 1 byte, small files, text), (2, 7, small files and stdin, tsv --min-count 2),
//   (1, 64, the big file and the directory, csv --top 10), (2, default 256K, everything, json);
//   then the other options (--skip-prefix, --stop-words, --top with --min-count, -o, --stats) on
//   2 and 3 ranks.
// - inverted_index: rank counts 1-4 x three (workers, grain, inputs) cases.
// - group_stats: rank counts 1-4 x three cases with rejected lines in several files and stdin, so
//   that each rank's first rejected lines must merge into the same first 10 and counts.
// The inputs: many small files in a walked directory (empty ones, non-ASCII text, CRLF lines,
// lines longer than the small grains), one big file that every rank gets a share of, a line longer
// than the default grain, and standard input as "-", which rank 0 reads.

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/command.hpp"
#include "support/compress.hpp"
#include "support/corpus.hpp"

namespace {

using mrtbb::testing::lines_of;
using mrtbb::testing::Outcome;
using mrtbb::testing::quote;
using mrtbb::testing::slurp;
using mrtbb::testing::TempDir;

using Args = std::vector<std::string>;

constexpr std::string_view rank_ended = "rank ended with status ";

const std::vector<int> rank_counts = {1, 2, 3, 4};

// The lines of `err` that `program` wrote: mpiexec adds its own when a rank ends with a status
// other than 0.
std::string lines_of_program(const std::string& err, const std::string& program) {
  std::string kept;
  for (const std::string& line : lines_of(err)) {
    if (line.starts_with(program + ": ")) kept += line + "\n";
  }
  return kept;
}

std::size_t count_lines_with(const std::string& text, const std::string& part) {
  const auto lines = lines_of(text);
  return static_cast<std::size_t>(
      std::count_if(lines.begin(), lines.end(),
                    [&](const std::string& line) { return line.find(part) != std::string::npos; }));
}

Args operator+(Args head, const Args& tail) {
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

// Words with mixed whitespace, CRLF and multibyte UTF-8 (support/corpus.hpp), then a line of
// `long_line` bytes, without a line feed at the end.
std::string text_with_long_line(std::uint32_t seed, std::size_t words, std::size_t long_line) {
  std::string text = mrtbb::testing::generated_text(seed, words);
  std::string line;
  for (std::uint32_t n = 0; line.size() < long_line; ++n)
    line += (n % 3 == 0 ? "Ωmega" : n % 3 == 1 ? "word" : "日本") + std::to_string(n % 17) + " ";
  return text + line;
}

// TSV records keyed by a few keys (some not UTF-8), about one line in five rejected: too few
// fields, a value that is not an integer or is out of the int64 range.
std::string generated_records(std::uint32_t seed, std::size_t rows) {
  static const std::vector<std::string> keys = {"a", "", "ключ", "日本", "\xff\xfe", "k k", "Z"};
  std::mt19937 rng(seed);
  std::string text;
  for (std::size_t row = 0; row < rows; ++row) {
    const std::string& key = keys[rng() % keys.size()];
    const std::int64_t value = static_cast<std::int64_t>(rng() % 20001) - 10000;
    switch (rng() % 10) {
      case 0:
        text += key + "\n";
        break;
      case 1:
        text += key + "\t" + std::to_string(value) + "x\r\n";
        break;
      case 2:
        text += key + "\t99999999999999999999\n";
        break;
      case 3:
        text += key + "\t" + std::to_string(value) + "\r\n";
        break;
      default:
        text += key + "\t" + std::to_string(value) + "\textra\n";
    }
  }
  return text;
}

// The inputs of every test, made once.
class MpiPrograms : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("mpi-programs");
    const TempDir& dir = *dir_;
    for (std::uint32_t n = 0; n < 9; ++n) {
      dir.write("small/part" + std::to_string(n) + ".txt",
                mrtbb::testing::generated_text(n + 1, 20 + 40 * n));
    }
    dir.write("small/empty.txt", "");
    dir.write("small/sub/empty.txt", "");
    dir.write("small/sub/crlf.txt", "Line one\r\nLINE two, two\r\n\r\nend\r\n");
    dir.write("small/sub/unicode.txt",
              "Καλημέρα κόσμε — привет мир; 日本語のテキスト. ÉCOLE école naïve NAÏVE\n\xff\xfe "
              "broken bytes\n");
    dir.write("small/sub/long-line.txt", text_with_long_line(50, 30, 300));
    // ~1.3 MB, so that each of 4 ranks reads a share of it even at the default grain.
    dir.write("big.txt", mrtbb::testing::generated_text(99, 200000));
    // A line longer than the default grain (256K), so that a rank's share may start inside it.
    dir.write("long-line.txt", text_with_long_line(51, 100, 300 * 1024));
    stdin_text_ = new std::string(mrtbb::testing::generated_text(7, 3000));

    dir.write("records/one.tsv", generated_records(1, 40));
    dir.write("records/two.tsv", generated_records(2, 300));
    dir.write("records/empty.tsv", "");
    dir.write("records/three.tsv", generated_records(3, 5));
    dir.write("records.tsv", generated_records(4, 60000));
    stdin_records_ = new std::string(generated_records(5, 200));
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete stdin_text_;
    delete stdin_records_;
  }

  static std::string path(const std::string& relative) {
    return (dir_->path() / relative).string();
  }

  // Runs `command` (already quoted) with `input` on stdin.
  Outcome run_command(const std::string& command, const std::string& input) {
    const std::string in = work_.write("stdin", input);
    const std::string out = (work_.path() / "stdout").string();
    const std::string err = (work_.path() / "stderr").string();
    // Killed after a while, so that a hang fails the test instead of hanging it.
    const std::string full =
        "timeout -k 10 300 " + command + " <" + quote(in) + " >" + quote(out) + " 2>" + quote(err);
    const int raw = std::system(full.c_str());
    return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(out), slurp(err)};
  }

  Outcome run(const std::string& program, const Args& args, const std::string& input = "") {
    std::string command = quote(program);
    for (const auto& arg : args)
      command += " " + quote(arg);
    return run_command(command, input);
  }

  // `program` on `ranks` ranks of mpiexec, as ctest's MPI tests run (one host, oversubscribed).
  // With `each_rank`, the status is the one every rank ended with (each says it on stderr), or -1
  // when they did not all end with the same one.
  Outcome run_mpi(int ranks, const std::string& program, const Args& args,
                  const std::string& input = "", bool each_rank = false) {
    std::string command =
        quote(MPIEXEC_EXECUTABLE) + " " + MPIEXEC_NUMPROC_FLAG + " " + std::to_string(ranks) +
        " --allow-run-as-root --oversubscribe --mca btl self,vader " + MPIEXEC_PREFLAGS + " ";
    if (each_rank) {
      // mpiexec would otherwise end the other ranks as soon as one ends with a status other than 0.
      command += "--mca orte_abort_on_non_zero_status 0 ";
      command +=
          "sh -c " +
          quote("\"$0\" \"$@\"; s=$?; echo \"" + std::string(rank_ended) + "$s\" >&2; exit $s") +
          " ";
    }
    command += quote(program) + " " + MPIEXEC_POSTFLAGS;
    for (const auto& arg : args)
      command += " " + quote(arg);
    Outcome outcome = run_command(command, input);
    if (each_rank) {
      std::vector<std::string> statuses;
      for (const std::string& line : lines_of(outcome.err)) {
        if (line.starts_with(rank_ended)) statuses.push_back(line.substr(rank_ended.size()));
      }
      const bool agreed = statuses.size() == static_cast<std::size_t>(ranks) &&
                          std::all_of(statuses.begin(), statuses.end(),
                                      [&](const std::string& s) { return s == statuses.front(); });
      outcome.status = agreed ? std::stoi(statuses.front()) : -1;
    }
    return outcome;
  }

  // The single-process program's outcome, and the MPI program's on each rank count: the same
  // status, stdout and (its own lines of) stderr.
  void expect_same(const std::string& single, const std::string& mpi, const std::string& name,
                   const Args& args, const std::string& input = "") {
    const Outcome expected = run(single, args, input);
    ASSERT_NE(expected.out, "") << expected.err;
    for (const int ranks : rank_counts) {
      const Outcome got = run_mpi(ranks, mpi, args, input);
      std::string shown;
      for (const auto& arg : args)
        shown += " " + arg;
      SCOPED_TRACE(std::to_string(ranks) + " ranks:" + shown);
      EXPECT_EQ(got.status, expected.status) << got.err;
      EXPECT_EQ(got.out, expected.out);
      EXPECT_EQ(lines_of_program(got.err, name), expected.err);
      if (HasFailure()) return;
    }
  }

  // The four (workers, grain, inputs, output) cases of wordcount for `tokenizer`.
  void expect_same_counts(const std::string& tokenizer) {
    const Args base = {"--tokenizer", tokenizer};
    const Args cases[] = {
        {"-j", "1", "--grain", "1", path("small")},
        {"-j", "2", "--grain", "7", "--format", "tsv", "--min-count", "2", path("small/part3.txt"),
         "-", path("small")},
        {"-j", "1", "--grain", "64", "--format", "csv", "--top", "10", path("big.txt"),
         path("small")},
        {"-j", "2", "--format", "json", path("small"), path("big.txt"), "-", path("long-line.txt")},
    };
    for (const Args& args : cases) {
      expect_same(WORDCOUNT_PATH, WORDCOUNT_MPI_PATH, "wordcount", base + args, *stdin_text_);
      if (HasFailure()) return;
    }
  }

  TempDir work_{"mpi-programs-run"};
  static TempDir* dir_;
  static std::string* stdin_text_;
  static std::string* stdin_records_;
};

TempDir* MpiPrograms::dir_ = nullptr;
std::string* MpiPrograms::stdin_text_ = nullptr;
std::string* MpiPrograms::stdin_records_ = nullptr;

// ---- wordcount-mpi ----------------------------------------------------------------------------

TEST_F(MpiPrograms, WordcountMpiCountsAsWordcountWithLetters) {
  expect_same_counts("letters");
}

TEST_F(MpiPrograms, WordcountMpiCountsAsWordcountWithAlphaTokens) {
  expect_same_counts("alpha-tokens");
}

TEST_F(MpiPrograms, WordcountMpiCountsAsWordcountWithWhitespace) {
  expect_same_counts("whitespace");
}

TEST_F(MpiPrograms, WordcountMpiTakesWordcountsOtherOptions) {
  const std::string stop_words = work_.write("stop.txt", "# common words\nthe\nand\n\nof\n");
  const Args cases[] = {
      {"--skip-prefix", "the", "--stop-words", stop_words, "--top", "5", "--min-count", "3",
       "--grain", "64", path("small"), "-"},
      {"--tokenizer", "whitespace", "--tokens-in-flight", "1", "--top", "3", "--format", "csv",
       path("big.txt")},
  };
  for (const Args& args : cases) {
    const Outcome expected = run(WORDCOUNT_PATH, args, *stdin_text_);
    ASSERT_EQ(expected.status, 0) << expected.err;
    for (const int ranks : {2, 3}) {
      const Outcome got = run_mpi(ranks, WORDCOUNT_MPI_PATH, args, *stdin_text_);
      EXPECT_EQ(got.status, 0) << got.err;
      EXPECT_EQ(got.out, expected.out) << ranks << " ranks";
    }
  }
}

// Rank 0 lists the inputs: walks leave out what they leave out in wordcount, and the order and
// case options print the same.
TEST_F(MpiPrograms, WordcountMpiWalksListsAndOrdersAsWordcountDoes) {
  work_.write("tree/a.txt", "one two two\n");
  work_.write("tree/.hidden/b.txt", "three\n");
  work_.write("tree/c.log", "Four\n");
  const std::string tree = (work_.path() / "tree").string();
  const std::string list = work_.write("list", path("big.txt") + "\n" + tree + "\n");
  const Args cases[] = {
      {"--format", "tsv", tree},
      {"--hidden", "--exclude", "*.log", "--sort", "word", "--reverse", tree},
      {"--files-from", list, "--keep-case", "--format", "jsonl", "--top", "5", path("small")},
  };
  for (const Args& args : cases) {
    expect_same(WORDCOUNT_PATH, WORDCOUNT_MPI_PATH, "wordcount", args);
    if (HasFailure()) return;
  }
}

TEST_F(MpiPrograms, WordcountMpiWritesOutputFileOnRankZeroOnly) {
  const Args args = {"--format", "tsv", path("small"), path("big.txt")};
  const std::string single = (work_.path() / "single.tsv").string();
  ASSERT_EQ(run(WORDCOUNT_PATH, args + Args{"-o", single}).status, 0);
  const std::string mpi = (work_.path() / "mpi.tsv").string();
  const Outcome got = run_mpi(3, WORDCOUNT_MPI_PATH, args + Args{"-o", mpi});
  EXPECT_EQ(got.status, 0) << got.err;
  EXPECT_EQ(got.out, "");
  EXPECT_EQ(got.err, "");
  EXPECT_EQ(slurp(mpi), slurp(single));
}

TEST_F(MpiPrograms, WordcountMpiStatsComeOnceWithTheRankCount) {
  const Args args = {"--stats", path("small")};
  const Outcome single = run(WORDCOUNT_PATH, args);
  const Outcome got = run_mpi(3, WORDCOUNT_MPI_PATH, args);
  EXPECT_EQ(got.status, 0) << got.err;
  EXPECT_EQ(got.out, single.out);
  // wordcount's lines, once, and one more that names the ranks.
  EXPECT_EQ(lines_of(got.err).size(), lines_of(single.err).size() + 1) << got.err;
  EXPECT_EQ(count_lines_with(got.err, "wordcount: 3 ranks"), 1u) << got.err;
  EXPECT_EQ(count_lines_with(got.err, " distinct words"), 1u) << got.err;
}

TEST_F(MpiPrograms, WordcountMpiReportsAnUnreadableInputOnceAndCountsTheRest) {
  const std::string missing = path("no-such-file.txt");
  const Args args = {missing, path("small"), "-"};
  const Outcome expected = run(WORDCOUNT_PATH, args, *stdin_text_);
  ASSERT_EQ(expected.status, 1);
  ASSERT_EQ(expected.err, "wordcount: cannot read '" + missing + "': No such file or directory\n");
  for (const int ranks : rank_counts) {
    const Outcome got = run_mpi(ranks, WORDCOUNT_MPI_PATH, args, *stdin_text_, true);
    SCOPED_TRACE(std::to_string(ranks) + " ranks");
    EXPECT_EQ(got.status, 1) << got.err;
    EXPECT_EQ(got.out, expected.out);
    EXPECT_EQ(lines_of_program(got.err, "wordcount"), expected.err) << got.err;
  }
}

TEST_F(MpiPrograms, WordcountMpiReportsAnErrorOnceAndEveryRankFails) {
  // Rank 0 cannot open the output: no rank may start the job and wait for it.
  const std::string unwritable = path("no-such-dir/out.txt");
  const Outcome expected = run(WORDCOUNT_PATH, {"-o", unwritable, path("small")});
  ASSERT_EQ(expected.status, 1);
  for (const int ranks : {1, 3}) {
    const Outcome got =
        run_mpi(ranks, WORDCOUNT_MPI_PATH, {"-o", unwritable, path("small")}, "", true);
    SCOPED_TRACE(std::to_string(ranks) + " ranks");
    EXPECT_EQ(got.status, 1) << got.err;
    EXPECT_EQ(got.out, "");
    EXPECT_EQ(lines_of_program(got.err, "wordcount"), expected.err) << got.err;
  }
}

TEST_F(MpiPrograms, WordcountMpiReportsAUsageErrorOnceWithStatusTwo) {
  for (const Args& args : {Args{"--top", "-1", path("small")}, Args{"--tokenizer", "nope"},
                           Args{"--no-such-option"}}) {
    const Outcome expected = run(WORDCOUNT_PATH, args);
    ASSERT_EQ(expected.status, 2);
    const Outcome got = run_mpi(3, WORDCOUNT_MPI_PATH, args, "", true);
    EXPECT_EQ(got.status, 2) << got.err;
    EXPECT_EQ(got.out, "");
    EXPECT_EQ(lines_of_program(got.err, "wordcount"), lines_of_program(expected.err, "wordcount"))
        << got.err;
    EXPECT_EQ(count_lines_with(got.err, "Run 'wordcount --help'"), 1u) << got.err;
  }
  const Outcome help = run_mpi(2, WORDCOUNT_MPI_PATH, {"--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_EQ(count_lines_with(help.out, "Usage: wordcount-mpi"), 1u) << help.out;
}

// ---- inverted_index_mpi -----------------------------------------------------------------------

TEST_F(MpiPrograms, InvertedIndexMpiPrintsWhatInvertedIndexPrints) {
  const Args cases[] = {
      {"-j", "1", "--grain", "1", path("small")},
      {"-j", "2", "--grain", "64", path("small"), path("big.txt"), "-"},
      {"-j", "1", path("big.txt"), path("small"), path("long-line.txt")},
  };
  for (const Args& args : cases) {
    expect_same(INVERTED_INDEX_PATH, INVERTED_INDEX_MPI_PATH, "inverted_index", args, *stdin_text_);
    if (HasFailure()) return;
  }
}

TEST_F(MpiPrograms, InvertedIndexMpiReportsAnUnreadableInputOnce) {
  const std::string missing = path("no-such-file.txt");
  const Args args = {path("small"), missing};
  const Outcome expected = run(INVERTED_INDEX_PATH, args);
  ASSERT_EQ(expected.status, 1);
  for (const int ranks : {2, 4}) {
    const Outcome got = run_mpi(ranks, INVERTED_INDEX_MPI_PATH, args, "", true);
    EXPECT_EQ(got.status, 1) << got.err;
    EXPECT_EQ(got.out, expected.out);
    EXPECT_EQ(lines_of_program(got.err, "inverted_index"), expected.err) << got.err;
  }
  const Outcome usage = run_mpi(2, INVERTED_INDEX_MPI_PATH, {"-j", "0"}, "", true);
  EXPECT_EQ(usage.status, 2);
  EXPECT_EQ(lines_of_program(usage.err, "inverted_index"),
            "inverted_index: invalid --workers '0': expected a whole number from 1 to 4096\n");
}

// ---- group_stats_mpi --------------------------------------------------------------------------

TEST_F(MpiPrograms, GroupStatsMpiPrintsWhatGroupStatsPrintsWithTheSameRejectedLines) {
  const Args cases[] = {
      {"-j", "1", "--grain", "1", "--key", "1", "--value", "2", path("records")},
      {"-j", "2", "--grain", "7", "--key", "3", "--value", "2", path("records/three.tsv"), "-",
       path("records")},
      {"-j", "1", "--key", "1", "--value", "2", path("records.tsv"), path("records")},
  };
  for (const Args& args : cases) {
    expect_same(GROUP_STATS_PATH, GROUP_STATS_MPI_PATH, "group_stats", args, *stdin_records_);
    if (HasFailure()) return;
  }
}

TEST_F(MpiPrograms, GroupStatsMpiReportsAnUnreadableInputOnce) {
  const std::string missing = path("no-such-file.tsv");
  const Args args = {"--key", "1", "--value", "2", missing, path("records/two.tsv")};
  const Outcome expected = run(GROUP_STATS_PATH, args);
  ASSERT_EQ(expected.status, 1);
  for (const int ranks : {3}) {
    const Outcome got = run_mpi(ranks, GROUP_STATS_MPI_PATH, args, "", true);
    EXPECT_EQ(got.status, 1) << got.err;
    EXPECT_EQ(got.out, expected.out);
    EXPECT_EQ(lines_of_program(got.err, "group_stats"), expected.err) << got.err;
  }
  const Outcome usage = run_mpi(2, GROUP_STATS_MPI_PATH, {"--key", "0", "--value", "1"}, "", true);
  EXPECT_EQ(usage.status, 2);
  EXPECT_EQ(count_lines_with(usage.err, "group_stats: --key and --value"), 1u) << usage.err;
}

// Binary and compressed inputs (issue 12, items 6 and 7): compressed files are read whole by one
// rank, binary files of a walk skipped by every rank and named once.
TEST_F(MpiPrograms, WordcountMpiSkipsBinaryFilesAndReadsCompressedOnesAsWordcount) {
  const std::string big = mrtbb::testing::generated_text(901, 60000);
  std::string binary = mrtbb::testing::generated_text(902, 30000);
  binary[10] = '\0';
  dir_->write("mixed/a.gz", mrtbb::testing::gzip(big, 6, 2));
  dir_->write("mixed/b.bin", binary);
  dir_->write("mixed/c.txt", mrtbb::testing::generated_text(903, 20000));
  dir_->write("mixed/d.zst", mrtbb::testing::zstd(big, 3, 3));
  const Args args = {"--stats", path("mixed"), "-"};
  const std::string stdin_text = mrtbb::testing::zstd(mrtbb::testing::generated_text(904, 900));
  const Outcome expected = run(WORDCOUNT_PATH, args, stdin_text);
  ASSERT_EQ(expected.status, 0) << expected.err;
  ASSERT_EQ(count_lines_with(expected.err, "skipped 1 binary files"), 1u) << expected.err;
  for (const int ranks : {2, 3}) {
    const Outcome got = run_mpi(ranks, WORDCOUNT_MPI_PATH, args, stdin_text);
    SCOPED_TRACE(std::to_string(ranks) + " ranks");
    EXPECT_EQ(got.status, 0) << got.err;
    EXPECT_EQ(got.out, expected.out);
    EXPECT_EQ(count_lines_with(got.err, "skipped 1 binary files"), 1u) << got.err;
    const Outcome told = run_mpi(ranks, WORDCOUNT_MPI_PATH, {"-v", path("mixed")});
    EXPECT_EQ(
        count_lines_with(told.err, "wordcount: skipped '" + path("mixed/b.bin") + "': binary file"),
        1u)
        << told.err;
  }
}

}  // namespace
