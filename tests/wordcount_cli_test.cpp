// The wordcount command as a user runs it: every option, format, exit status and error message.

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "support/corpus.hpp"

namespace {

using mrtbb::testing::TempDir;

struct Outcome {
  int status;
  std::string out;
  std::string err;
};

std::string quote(const std::string& arg) {
  std::string quoted = "'";
  for (char c : arg) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

class WordcountCli : public ::testing::Test {
 protected:
  TempDir dir{"cli"};

  // Runs wordcount with `args`, feeding `input` on stdin; killed after `timeout_s` seconds, if
  // given, so that a regression to a hang fails the test instead of hanging it.
  Outcome wordcount(const std::vector<std::string>& args, const std::string& input = "",
                    int timeout_s = 0) {
    const auto in = dir.path() / "stdin";
    const auto out = dir.path() / "stdout";
    const auto err = dir.path() / "stderr";
    std::ofstream(in, std::ios::binary) << input;
    std::string command = timeout_s > 0 ? "timeout -s KILL " + std::to_string(timeout_s) + " " : "";
    command += quote(WORDCOUNT_PATH);
    for (const auto& arg : args)
      command += " " + quote(arg);
    command += " <" + quote(in.string()) + " >" + quote(out.string()) + " 2>" + quote(err.string());
    const int raw = std::system(command.c_str());
    return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(out), slurp(err)};
  }

  std::string file(const std::string& name, const std::string& content) {
    return dir.write(name, content);
  }
};

TEST_F(WordcountCli, CountsStdinByDefaultInTextColumns) {
  const Outcome r = wordcount({}, "b a b\nC c c é\n");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "c  3\nb  2\na  1\né  1\n");
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(wordcount({"-"}, "b a b\nC c c é\n").out, r.out);
}

TEST_F(WordcountCli, TextColumnsAlignByDisplayWidth) {
  const Outcome r = wordcount({}, "日本 日本 ab x x x x x x x x x x\n");
  EXPECT_EQ(r.out, "x     10\n日本   2\nab     1\n");
}

TEST_F(WordcountCli, TsvCsvAndJsonFormats) {
  // The whitespace rule keeps punctuation, so words can hold commas, quotes and backslashes.
  const std::string input = "a,b \"q\" back\\slash ctl\x01 bad\xff a,b\n";
  EXPECT_EQ(wordcount({"--tokenizer", "whitespace", "--format", "tsv"}, input).out,
            "a,b\t2\n\"q\"\t1\nback\\slash\t1\nbad\xff\t1\nctl\x01\t1\n");
  EXPECT_EQ(
      wordcount({"--tokenizer", "whitespace", "--format", "csv"}, input).out,
      "word,count\r\n\"a,b\",2\r\n\"\"\"q\"\"\",1\r\nback\\slash,1\r\nbad\xff,1\r\nctl\x01,1\r\n");
  EXPECT_EQ(wordcount({"--tokenizer", "whitespace", "--format", "json"}, input).out,
            "[\n  {\"word\": \"a,b\", \"count\": 2},\n  {\"word\": \"\\\"q\\\"\", \"count\": 1},\n"
            "  {\"word\": \"back\\\\slash\", \"count\": 1},\n"
            "  {\"word\": \"bad\xef\xbf\xbd\", \"count\": 1},\n"
            "  {\"word\": \"ctl\\u0001\", \"count\": 1}\n]\n");
  EXPECT_EQ(wordcount({"--format", "json"}, "").out, "[]\n");
  EXPECT_EQ(wordcount({"--format", "csv"}, "").out, "word,count\r\n");
}

TEST_F(WordcountCli, FilesDirectoriesTopAndMinCount) {
  file("docs/b.txt", "beta beta gamma\n");
  file("docs/sub/a.txt", "alpha beta\n");
  const std::string single = file("one.txt", "alpha alpha delta\n");
  const Outcome all = wordcount({(dir.path() / "docs").string(), single});
  EXPECT_EQ(all.status, 0);
  EXPECT_EQ(all.out, "alpha  3\nbeta   3\ndelta  1\ngamma  1\n");
  EXPECT_EQ(wordcount({"--top", "2", (dir.path() / "docs").string(), single}).out,
            "alpha  3\nbeta   3\n");
  EXPECT_EQ(
      wordcount({"--min-count", "2", "--format", "tsv", (dir.path() / "docs").string(), single})
          .out,
      "alpha\t3\nbeta\t3\n");
}

TEST_F(WordcountCli, OutputFileHoldsWhatStdoutWould) {
  const std::string input = "one two two three three three\n";
  const std::string target = (dir.path() / "counts.tsv").string();
  const Outcome r = wordcount({"--format", "tsv", "-o", target}, input);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(slurp(target), wordcount({"--format", "tsv"}, input).out);
}

TEST_F(WordcountCli, SameOutputForAnyWorkersAndGrain) {
  const std::string input = mrtbb::testing::generated_text(5, 5000);
  const std::string expected = wordcount({}, input).out;
  for (const char* workers : {"1", "2", "3"}) {
    for (const char* grain : {"1", "7", "1K", "1M"}) {
      EXPECT_EQ(wordcount({"-j", workers, "--grain", grain}, input).out, expected)
          << workers << " " << grain;
    }
  }
}

TEST_F(WordcountCli, SkipPrefixAndStopWords) {
  const std::string stop =
      file("stop.txt", "# words to drop\nTHE   \n\n  and # trailing comment\n");
  const Outcome r = wordcount({"--skip-prefix", "..", "--stop-words", stop},
                              ".. image:: skipped\nThe cat and the hat\n   .. also skipped\n");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "cat  1\nhat  1\n");
}

// A stop-words file is read whole before counting, so its size is bounded: at most 64 MiB, and
// never more than one byte past that is read, whatever the file is.
TEST_F(WordcountCli, StopWordsFileOverSixtyFourMebibytesIsAUsageError) {
  const std::string hint = "Run 'wordcount --help' for the options.\n";
  const std::uintmax_t limit = std::uintmax_t{64} << 20;
  const std::string too_large = file("too-large.txt", "the\n");
  std::filesystem::resize_file(too_large, limit + 1);  // "the", a line feed, then NUL bytes
  const Outcome r = wordcount({"--stop-words", too_large}, "the cat\n");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "wordcount: cannot read stop-words file '" + too_large +
                       "': it holds more than 64 MiB, the most a stop-words file may hold\n" +
                       hint);
  EXPECT_EQ(r.out, "");

  // "the", then a line of spaces: exactly the limit, read whole.
  const std::string at_limit_path =
      file("at-limit.txt", "the\n" + std::string(static_cast<std::size_t>(limit) - 4, ' '));
  const Outcome at_limit = wordcount({"--stop-words", at_limit_path}, "the cat\n");
  EXPECT_EQ(at_limit.status, 0) << at_limit.err;
  EXPECT_EQ(at_limit.out, "cat  1\n");

  // An endless file is cut off after the limit; the timeout only keeps a regression from hanging.
  const Outcome endless = wordcount({"--stop-words", "/dev/zero"}, "the cat\n", 30);
  EXPECT_EQ(endless.status, 2);
  EXPECT_EQ(endless.err,
            "wordcount: cannot read stop-words file '/dev/zero': it holds more than "
            "64 MiB, the most a stop-words file may hold\n" +
                hint);
}

// A walk reads regular files and links to them only: a FIFO (or a link to one) would block the
// open, a link to /dev/zero would never end. What it leaves out, --verbose names and --stats
// counts.
TEST_F(WordcountCli, WalksSkipWhatIsNotARegularFile) {
  file("tree/words.txt", "one two two\n");
  const std::string fifo = (dir.path() / "tree/a-fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto tree = dir.path() / "tree";
  std::filesystem::create_symlink(fifo, tree / "b-link-to-fifo");
  std::filesystem::create_symlink("/dev/zero", tree / "c-link-to-zero");
  std::filesystem::create_symlink("/dev/null", tree / "d-link-to-null");
  const std::string counts = "two  2\none  1\n";

  const Outcome quiet = wordcount({tree.string()}, "", 30);
  EXPECT_EQ(quiet.status, 0);
  EXPECT_EQ(quiet.out, counts);
  EXPECT_EQ(quiet.err, "");

  const Outcome told = wordcount({"-v", "--stats", "-j", "1", tree.string()}, "", 30);
  EXPECT_EQ(told.status, 0);
  EXPECT_EQ(told.out, counts);
  const std::string t = tree.string();
  for (const std::string& line :
       {"wordcount: skipped '" + t + "/a-fifo': not a regular file (a FIFO)\n",
        "wordcount: skipped '" + t +
            "/b-link-to-fifo': not a regular file (a symbolic link to a "
            "FIFO)\n",
        "wordcount: skipped '" + t +
            "/c-link-to-zero': not a regular file (a symbolic link to a "
            "character device)\n",
        "wordcount: skipped '" + t +
            "/d-link-to-null': not a regular file (a symbolic link to a "
            "character device)\n",
        std::string("wordcount: skipped 4 directory entries: not a regular file (-v names them)\n"),
        std::string("wordcount: 1 files, 12 bytes, 3 tokens, 2 distinct words\n")}) {
    EXPECT_NE(told.err.find(line), std::string::npos) << line << told.err;
  }
}

// /proc/self/ used to hang: links to the terminal or pipes in fd/ blocked, and pagemap, listed as
// an empty regular file, reads as 256 GiB of NUL bytes. Now its made-up files are skipped and the
// rest (links to the program, its libraries and open files) is read. The timeout only keeps a
// regression from hanging the suite.
TEST_F(WordcountCli, WalkingProcSelfEnds) {
  const Outcome r = wordcount({"-v", "--stats", "--top", "1", "/proc/self/"}, "", 120);
  // 1 when a file descriptor listed in fd/ was closed before it was read.
  EXPECT_TRUE(r.status == 0 || r.status == 1) << r.status << r.err;
  EXPECT_NE(r.err.find("wordcount: skipped '/proc/self/pagemap': not a regular file (a file of "
                       "procfs, made up as it is read)\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(" directory entries: not a regular file (-v names them)\n"),
            std::string::npos);
}

// Named on the command line, a FIFO or a character device is read as a stream, like stdin.
TEST_F(WordcountCli, AFifoOrDeviceNamedDirectlyIsReadAsAStream) {
  const std::string fifo = (dir.path() / "fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string out = (dir.path() / "fifo-out").string();
  const std::string command = "printf 'b a b\\n' >" + quote(fifo) + " & timeout -s KILL 30 " +
                              quote(WORDCOUNT_PATH) + " " + quote(fifo) + " /dev/null >" +
                              quote(out) + "; status=$?; wait; exit $status";
  const int raw = std::system(("bash -c " + quote(command)).c_str());
  ASSERT_TRUE(WIFEXITED(raw));
  EXPECT_EQ(WEXITSTATUS(raw), 0);
  EXPECT_EQ(slurp(out), "b  2\na  1\n");
}

TEST_F(WordcountCli, UnreadableInputIsNamedOthersStillCounted) {
  const std::string good = file("good.txt", "fine fine\n");
  const std::string missing = (dir.path() / "missing.txt").string();
  const Outcome r = wordcount({missing, good});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "fine  2\n");
  EXPECT_EQ(r.err, "wordcount: cannot read '" + missing + "': No such file or directory\n");
}

TEST_F(WordcountCli, UsageErrorsExitTwoWithAHint) {
  const std::string hint = "Run 'wordcount --help' for the options.\n";
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--bogus"}, "wordcount: The following argument was not expected: --bogus\n"},
      {{"--top", "ten"},
       "wordcount: invalid --top 'ten': expected a whole number from 0 to 18446744073709551615\n"},
      {{"-j", "0"}, "wordcount: invalid --workers '0': expected a whole number from 1 to 4096\n"},
      {{"--tokenizer", "words"},
       "wordcount: unknown tokenizer 'words': choose letters, alpha-tokens or whitespace\n"},
      {{"--format", "xml"}, "wordcount: unknown format 'xml': choose text, tsv, csv or json\n"},
      {{"--grain", "12Q"},
       "wordcount: invalid --grain '12Q': expected a number of bytes from 1 to 1G, optionally "
       "with K, M or G\n"},
      {{"--stop-words", "/nonexistent/stop"},
       "wordcount: cannot read stop-words file '/nonexistent/stop': No such file or directory\n"},
      {{"--progress", "--no-progress"}, "wordcount: --progress excludes --no-progress\n"},
  };
  for (const auto& [args, message] : cases) {
    const Outcome r = wordcount(args);
    EXPECT_EQ(r.status, 2) << args[0];
    EXPECT_EQ(r.err, message + hint) << args[0];
    EXPECT_EQ(r.out, "");
  }
}

// Every numeric option takes a whole decimal number in its range, nothing else: no sign, no
// spaces, no hex or octal (CLI11 alone wraps "-1" round and reads "010" as 8).
TEST_F(WordcountCli, NumbersOutOfRangeOrMalformedAreUsageErrors) {
  const std::string hint = "Run 'wordcount --help' for the options.\n";
  const std::string any_u64 = "expected a whole number from 0 to 18446744073709551615";
  const std::string bytes = "expected a number of bytes from 1 to 1G, optionally with K, M or G";
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"-j", "-1", "--workers '-1': expected a whole number from 1 to 4096"},
      {"-j", "0", "--workers '0': expected a whole number from 1 to 4096"},
      {"-j", "4097", "--workers '4097': expected a whole number from 1 to 4096"},
      {"--workers", "1.5", "--workers '1.5': expected a whole number from 1 to 4096"},
      {"-j", "0x2", "--workers '0x2': expected a whole number from 1 to 4096"},
      {"-j", "18446744073709551617",
       "--workers '18446744073709551617': expected a whole number "
       "from 1 to 4096"},
      {"--top", "-1", "--top '-1': " + any_u64},
      {"--top", "+3", "--top '+3': " + any_u64},
      {"--top", " 3", "--top ' 3': " + any_u64},
      {"--top", "0x10", "--top '0x10': " + any_u64},
      {"--top", "1e3", "--top '1e3': " + any_u64},
      {"--top", "18446744073709551616", "--top '18446744073709551616': " + any_u64},
      {"--min-count", "-5", "--min-count '-5': " + any_u64},
      {"--min-count", "18446744073709551616", "--min-count '18446744073709551616': " + any_u64},
      {"--min-count", "99999999999999999999999",
       "--min-count '99999999999999999999999': " + any_u64},
      {"--tokens-in-flight", "0",
       "--tokens-in-flight '0': expected a whole number from 1 to 16384"},
      {"--tokens-in-flight", "-4",
       "--tokens-in-flight '-4': expected a whole number from 1 to 16384"},
      {"--tokens-in-flight", "16385",
       "--tokens-in-flight '16385': expected a whole number from 1 to 16384"},
      {"--grain", "-1", "--grain '-1': " + bytes},
      {"--grain", "-1K", "--grain '-1K': " + bytes},
      {"--grain", "0", "--grain '0': " + bytes},
      {"--grain", "0K", "--grain '0K': " + bytes},
      {"--grain", "1.5K", "--grain '1.5K': " + bytes},
      {"--grain", "12Q", "--grain '12Q': " + bytes},
      {"--grain", "K", "--grain 'K': " + bytes},
      {"--grain", "2G", "--grain '2G': " + bytes},
      {"--grain", "1025M", "--grain '1025M': " + bytes},
      {"--grain", "1073741825", "--grain '1073741825': " + bytes},
      {"--grain", "17179869184G", "--grain '17179869184G': " + bytes},
      {"--grain", "18446744073709551616", "--grain '18446744073709551616': " + bytes},
  };
  for (const auto& [option, value, message] : cases) {
    // Attached: --option=VALUE, or -jVALUE.
    const std::string attached = option + (option.rfind("--", 0) == 0 ? "=" : "") + value;
    const Outcome r = wordcount({attached}, "a b\n");
    EXPECT_EQ(r.status, 2) << option << " " << value;
    EXPECT_EQ(r.err, "wordcount: invalid " + message + "\n" + hint) << option << " " << value;
    EXPECT_EQ(r.out, "") << option << " " << value;
    if (value[0] == '-' || value[0] == '+' || value[0] == ' ') continue;
    // The same value as a separate argument, where CLI11 must still hand it over unchanged.
    const Outcome separate = wordcount({option, value}, "a b\n");
    EXPECT_EQ(separate.status, 2) << option << " " << value;
    EXPECT_EQ(separate.err, r.err) << option << " " << value;
  }
  for (const auto& [option, value] : std::vector<std::pair<std::string, std::string>>{
           {"--top", "-1"}, {"--min-count", "-5"}, {"-j", "-2"}, {"--grain", "-1"}}) {
    const Outcome separate = wordcount({option, value}, "a b\n");
    EXPECT_EQ(separate.status, 2) << option << " " << value;
    EXPECT_NE(separate.err.find("'" + value + "'"), std::string::npos) << separate.err;
  }
}

TEST_F(WordcountCli, NumbersAtTheEdgesOfTheirRangesWork) {
  const std::string input = "c c c b b a\n";
  EXPECT_EQ(wordcount({"--top", "0"}, input).out, "c  3\nb  2\na  1\n");    // 0: no limit
  EXPECT_EQ(wordcount({"--top", "010"}, input).out, "c  3\nb  2\na  1\n");  // ten, not eight
  EXPECT_EQ(wordcount({"--top", "18446744073709551615"}, input).out, "c  3\nb  2\na  1\n");
  EXPECT_EQ(wordcount({"--top", "1"}, input).out, "c  3\n");
  EXPECT_EQ(wordcount({"--min-count", "0"}, input).out, "c  3\nb  2\na  1\n");
  EXPECT_EQ(wordcount({"--min-count", "3"}, input).out, "c  3\n");
  const Outcome none = wordcount({"--min-count", "18446744073709551615"}, input);
  EXPECT_EQ(none.status, 0);
  EXPECT_EQ(none.out, "");
  // From a file, whose listed size keeps a 1 GiB grain from being allocated whole.
  const std::string path = file("input.txt", input);
  for (const char* grain : {"1", "1K", "1M", "1G", "1073741824"}) {
    for (const char* tokens : {"1", "16384"}) {
      const Outcome r = wordcount(
          {"-j", "2", "--grain", grain, "--tokens-in-flight", tokens, "--top", "2", path});
      EXPECT_EQ(r.status, 0) << grain << " " << tokens << r.err;
      EXPECT_EQ(r.out, "c  3\nb  2\n") << grain << " " << tokens;
    }
  }
  // The most workers passes the number check (an unreadable stop-words file is the next error;
  // a job with that many workers is left to the library's tests).
  const Outcome most = wordcount({"-j", "4096", "--stop-words", "/nonexistent/stop"});
  EXPECT_EQ(most.status, 2);
  EXPECT_EQ(most.err.rfind("wordcount: cannot read stop-words file", 0), 0u) << most.err;
}

TEST_F(WordcountCli, HelpSaysWhatZeroMeansForTop) {
  const Outcome help = wordcount({"--help"});
  EXPECT_NE(help.out.find("0 (the default): all"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("--tokens-in-flight"), std::string::npos) << help.out;
}

TEST_F(WordcountCli, FullDiskIsAnError) {
  const Outcome r = wordcount({"-o", "/dev/full"}, "some words\n");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "wordcount: cannot write to '/dev/full': No space left on device\n");
}

TEST_F(WordcountCli, UnwritableOutputFailsBeforeCounting) {
  const Outcome r = wordcount({"-o", "/nonexistent/dir/out.txt"}, "words\n");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err,
            "wordcount: cannot write to '/nonexistent/dir/out.txt': No such file or directory\n");
}

TEST_F(WordcountCli, ClosedPipeEndsQuietly) {
  std::string many;
  for (int i = 0; i < 200000; ++i)
    many += "w" + std::to_string(i) + "\n";
  const std::string input = file("many.txt", many);
  const std::string err = (dir.path() / "pipe-err").string();
  const std::string command =
      "bash -c " + quote(quote(WORDCOUNT_PATH) + " " + quote(input) + " 2>" + quote(err) +
                         " | head -n 1 >/dev/null; exit ${PIPESTATUS[0]}");
  const int raw = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(raw));
  EXPECT_EQ(WEXITSTATUS(raw), 0);
  EXPECT_EQ(slurp(err), "");
}

TEST_F(WordcountCli, StatsVerboseAndForcedProgressGoToStderr) {
  const std::string a = file("a.txt", "one two\n");
  const Outcome r = wordcount({"--stats", "-v", "--progress", "-j", "1", a});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "one  1\ntwo  1\n");
  EXPECT_NE(r.err.find("wordcount: worker 0 reading " + a + " (chunk 0)"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("wordcount: 1 files, 8 bytes, 2 tokens, 2 distinct words"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("100%"), std::string::npos) << r.err;
}

TEST_F(WordcountCli, HelpListsEveryOptionAndVersionPrints) {
  const Outcome help = wordcount({"--help"});
  EXPECT_EQ(help.status, 0);
  for (const char* option : {"--workers", "--grain", "--tokenizer", "--skip-prefix", "--stop-words",
                             "--top", "--min-count", "--format", "--output", "--progress",
                             "--no-progress", "--stats", "--verbose", "--version", "Exit status"}) {
    EXPECT_NE(help.out.find(option), std::string::npos) << option;
  }
  const Outcome version = wordcount({"--version"});
  EXPECT_EQ(version.status, 0);
  EXPECT_EQ(version.out.rfind("wordcount (mrtbb) ", 0), 0u);
}

}  // namespace
