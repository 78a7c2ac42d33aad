// The wordcount command as a user runs it: every option, format, exit status and error message.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "support/command.hpp"
#include "support/compress.hpp"
#include "support/corpus.hpp"
#include "wordcount/output.hpp"
#include "wordcount/progress_bar.hpp"

namespace {

// What exec(3) takes: pointers to `strings` and a null pointer after them. Made before fork, so
// that the child only execs; `strings` must outlive the result.
std::vector<char*> exec_arguments(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& text : strings)
    pointers.push_back(text.data());
  pointers.push_back(nullptr);
  return pointers;
}

using mrtbb::testing::TempDir;

using mrtbb::testing::Outcome;
using mrtbb::testing::quote;
using mrtbb::testing::slurp;

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

  // What wordcount writes to stderr when stderr is a terminal `columns` wide whose TERM is `term`
  // (stdin and stdout /dev/null). Killed after 30 s so that a hang fails instead of hanging.
  std::string on_terminal(const std::vector<std::string>& args, const std::string& term,
                          unsigned short columns) {
    winsize size{};
    size.ws_col = columns;
    size.ws_row = 24;
    int terminal = -1;
    int side = -1;
    if (::openpty(&terminal, &side, nullptr, nullptr, &size) != 0) {
      ADD_FAILURE() << "openpty: " << std::strerror(errno);
      return "";
    }
    // Everything the child needs is made before fork: after it, only exec.
    std::vector<std::string> argv_text = {WORDCOUNT_PATH};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    const std::vector<char*> child_argv = exec_arguments(argv_text);
    std::vector<std::string> env_text = {"TERM=" + term};
    for (char** var = environ; *var != nullptr; ++var) {
      if (std::string_view(*var).substr(0, 5) != "TERM=") env_text.emplace_back(*var);
    }
    const std::vector<char*> child_env = exec_arguments(env_text);
    const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    const pid_t child = ::fork();
    if (child == 0) {
      ::dup2(null, STDIN_FILENO);
      ::dup2(null, STDOUT_FILENO);
      ::dup2(side, STDERR_FILENO);
      ::execve(child_argv[0], child_argv.data(), child_env.data());
      ::_exit(127);
    }
    ::close(null);
    ::close(side);
    std::string got;
    char buffer[4096];
    for (;;) {
      pollfd ready{terminal, POLLIN, 0};
      if (::poll(&ready, 1, 30000) <= 0) {
        ADD_FAILURE() << "no end of wordcount's output on the terminal in 30 s";
        ::kill(child, SIGKILL);
        break;
      }
      const ssize_t n = ::read(terminal, buffer, sizeof buffer);
      if (n <= 0) break;  // EIO once the child has closed its side
      got.append(buffer, static_cast<std::size_t>(n));
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    ::close(terminal);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    return got;
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

TEST_F(WordcountCli, JsonlWritesOneObjectALineEscapedAsJsonIs) {
  const std::string input = "a,b \"q\" back\\slash ctl\x01 bad\xff a,b\n";
  EXPECT_EQ(wordcount({"--tokenizer", "whitespace", "--format", "jsonl"}, input).out,
            "{\"word\":\"a,b\",\"count\":2}\n{\"word\":\"\\\"q\\\"\",\"count\":1}\n"
            "{\"word\":\"back\\\\slash\",\"count\":1}\n"
            "{\"word\":\"bad\xef\xbf\xbd\",\"count\":1}\n"
            "{\"word\":\"ctl\\u0001\",\"count\":1}\n");
  EXPECT_EQ(wordcount({"--format", "jsonl"}, "").out, "");
}

TEST_F(WordcountCli, SortByCountOrWordAndReverse) {
  const std::string input = "b b c c a d d d\n";
  EXPECT_EQ(wordcount({"--format", "tsv"}, input).out, "d\t3\nb\t2\nc\t2\na\t1\n");
  EXPECT_EQ(wordcount({"--format", "tsv", "--sort", "count"}, input).out,
            "d\t3\nb\t2\nc\t2\na\t1\n");
  EXPECT_EQ(wordcount({"--format", "tsv", "--sort", "word"}, input).out,
            "a\t1\nb\t2\nc\t2\nd\t3\n");
  EXPECT_EQ(wordcount({"--format", "tsv", "--reverse"}, input).out, "a\t1\nc\t2\nb\t2\nd\t3\n");
  EXPECT_EQ(wordcount({"--format", "tsv", "--sort", "word", "--reverse"}, input).out,
            "d\t3\nc\t2\nb\t2\na\t1\n");
  // --top keeps the N most frequent, whatever order they are then printed in.
  EXPECT_EQ(wordcount({"--format", "tsv", "--sort", "word", "--top", "2"}, input).out,
            "b\t2\nd\t3\n");
  EXPECT_EQ(wordcount({"--format", "tsv", "--reverse", "--top", "2"}, input).out, "b\t2\nd\t3\n");
  // The count column fits the largest count, wherever it is printed.
  EXPECT_EQ(wordcount({"--sort", "word"}, "a b b b b b b b b b b\n").out, "a   1\nb  10\n");
  const Outcome bad = wordcount({"--sort", "length"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_EQ(bad.err.rfind("wordcount: unknown sort key 'length': choose count or word\n", 0), 0u)
      << bad.err;
}

TEST_F(WordcountCli, KeepCaseKeepsWordsAsWrittenForEveryTokenizer) {
  const std::string input = "The the THE Été été x1Y\n";
  EXPECT_EQ(wordcount({"--keep-case", "--format", "tsv"}, input).out,
            "THE\t1\nThe\t1\nY\t1\nthe\t1\nx\t1\nÉté\t1\nété\t1\n");
  EXPECT_EQ(wordcount({"--keep-case", "--tokenizer", "alpha-tokens", "--format", "tsv"}, input).out,
            "THE\t1\nThe\t1\nthe\t1\nÉté\t1\nété\t1\n");
  EXPECT_EQ(wordcount({"--keep-case", "--tokenizer", "whitespace", "--format", "tsv"}, input).out,
            "THE\t1\nThe\t1\nthe\t1\nx1Y\t1\nÉté\t1\nété\t1\n");
  EXPECT_EQ(wordcount({"--format", "tsv"}, input).out, "the\t3\nété\t2\nx\t1\ny\t1\n");
  // Stop words then leave out only the spelling they are written in.
  const std::string stop = file("stop.txt", "the\n");
  EXPECT_EQ(wordcount({"--keep-case", "--stop-words", stop, "--format", "tsv"}, "The the\n").out,
            "The\t1\n");
}

TEST_F(WordcountCli, TextWordColumnIsCappedAndALongerWordTakesItsOwnWidth) {
  const std::string long_word(45, 'l');
  const std::string wide_word = "日本語日本語日本語日本語日本語日本語日本語";  // 42 columns
  const std::string forty(40, 'f');
  const std::string input =
      long_word + " " + wide_word + " ab ab " + forty + " x x x x x x x x x x\n";
  const Outcome r = wordcount({}, input);
  EXPECT_EQ(r.out, "x" + std::string(40 + 1, ' ') + "10\n" + "ab" + std::string(40, ' ') + " 2\n" +
                       forty + "   1\n" + long_word + "   1\n" + wide_word + "   1\n");
}

TEST_F(WordcountCli, WalksLeaveOutHiddenEntriesUnlessHiddenAndNamedOnesAreRead) {
  file("tree/a.txt", "one\n");
  const std::string hidden = file("tree/.notes", "two\n");
  file("tree/.git/objects/x", "three\n");
  file("tree/sub/.cache", "four\n");
  const std::string tree = (dir.path() / "tree").string();
  const Outcome walked = wordcount({"--stats", "-v", "--format", "tsv", tree});
  EXPECT_EQ(walked.status, 0);
  EXPECT_EQ(walked.out, "one\t1\n");
  // A filter, not a skip: nothing is said about what it leaves out.
  EXPECT_EQ(walked.err.find("skipped"), std::string::npos) << walked.err;
  EXPECT_EQ(wordcount({"--hidden", "--format", "tsv", tree}).out,
            "four\t1\none\t1\nthree\t1\ntwo\t1\n");
  EXPECT_EQ(wordcount({"--format", "tsv", tree, hidden, (dir.path() / "tree/.git").string()}).out,
            "one\t1\nthree\t1\ntwo\t1\n");
}

TEST_F(WordcountCli, ExcludeLeavesOutWhatItsGlobsMatchInWalks) {
  file("tree/a.txt", "one\n");
  const std::string log = file("tree/b.log", "two\n");
  file("tree/build/c.txt", "three\n");
  file("tree/sub/build/d.txt", "four\n");
  file("tree/x/build", "five\n");
  const std::string tree = (dir.path() / "tree").string();
  const auto words = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--format", "tsv", "--sort", "word"});
    args.push_back(tree);
    return wordcount(args).out;
  };
  EXPECT_EQ(words({"--exclude", "*.log"}), "five\t1\nfour\t1\none\t1\nthree\t1\n");
  EXPECT_EQ(words({"--exclude", "build"}), "one\t1\ntwo\t1\n");
  EXPECT_EQ(words({"--exclude", "build/"}), "five\t1\none\t1\ntwo\t1\n");
  EXPECT_EQ(words({"--exclude", "sub/build"}), "five\t1\none\t1\nthree\t1\ntwo\t1\n");
  EXPECT_EQ(words({"--exclude", "build", "--exclude", "*.log"}), "one\t1\n");
  EXPECT_EQ(words({"--exclude=*.txt", "--exclude=x"}), "two\t1\n");
  // A path named on the command line is read whatever the globs say.
  EXPECT_EQ(wordcount({"--format", "tsv", "--exclude", "*.log", log}).out, "two\t1\n");
}

TEST_F(WordcountCli, FilesFromReadsTheListedPathsAfterThePositionalOnes) {
  const std::string a = file("a.txt", "alpha\n");
  const std::string b = file("b.txt", "beta beta\n");
  file("d/c.txt", "gamma\n");
  const std::string d = (dir.path() / "d").string();
  // One a line; a CR ending a line is dropped, empty lines are ignored.
  const std::string list = file("list", a + "\r\n\n" + d + "\n");
  EXPECT_EQ(wordcount({"--files-from", list, b, "--format", "tsv"}).out,
            "beta\t2\nalpha\t1\ngamma\t1\n");
  // No PATH: only the list, not standard input.
  EXPECT_EQ(wordcount({"--files-from", list, "--format", "tsv"}, "stdin words\n").out,
            "alpha\t1\ngamma\t1\n");
  EXPECT_EQ(wordcount({"--files-from", file("empty", ""), "--format", "tsv"}, "stdin\n").out, "");
  // NUL-separated, as find -print0 writes it; a name may then hold a newline.
  const std::string odd = file("odd\nname", "odd\n");
  const std::string nul_list = file("nul-list", a + std::string(1, '\0') + odd + '\0');
  EXPECT_EQ(wordcount({"-0", "--files-from", nul_list, "--format", "tsv"}).out,
            "alpha\t1\nodd\t1\n");
  EXPECT_EQ(
      wordcount({"--files-from", "-", "--null", "--format", "tsv"}, a + std::string(1, '\0') + odd)
          .out,
      "alpha\t1\nodd\t1\n");
  // The order is the positional PATHs', then the list's: failures are named in that order.
  const Outcome missing =
      wordcount({"--files-from", file("missing-list", "/nonexistent/l\n"), "/nonexistent/p"});
  EXPECT_EQ(missing.status, 1);
  EXPECT_EQ(missing.err,
            "wordcount: cannot read '/nonexistent/p': No such file or directory\n"
            "wordcount: cannot read '/nonexistent/l': No such file or directory\n");
}

TEST_F(WordcountCli, FilesFromUsageErrors) {
  const std::string a = file("a.txt", "alpha\n");
  const std::string hint = "Run 'wordcount --help' for the options.\n";
  const Outcome no_list = wordcount({"--files-from", "/nonexistent/list"});
  EXPECT_EQ(no_list.status, 2);
  EXPECT_EQ(no_list.err,
            "wordcount: cannot read --files-from list '/nonexistent/list': No such file or "
            "directory\n" +
                hint);
  const Outcome stdin_twice = wordcount({"--files-from", "-", "-"}, a + "\n");
  EXPECT_EQ(stdin_twice.status, 2);
  EXPECT_EQ(stdin_twice.err,
            "wordcount: standard input holds the --files-from list, so it cannot be an input "
            "too\n" +
                hint);
  EXPECT_EQ(wordcount({"--files-from", "-"}, a + "\n-\n").status, 2);
  const Outcome null_alone = wordcount({"-0", a});
  EXPECT_EQ(null_alone.status, 2);
  EXPECT_EQ(null_alone.err, "wordcount: -0/--null needs --files-from\n" + hint);
  const Outcome too_long =
      wordcount({"--files-from", file("long", a + "\n" + std::string(5000, 'x') + "\n")});
  EXPECT_EQ(too_long.status, 2);
  EXPECT_NE(too_long.err.find("entry 2 is longer than 4096 bytes"), std::string::npos)
      << too_long.err;
}

TEST_F(WordcountCli, StatsAsJsonIsOneObjectOnStderr) {
  const std::string a = file("a.txt", "one two\n");
  const Outcome r = wordcount({"--stats=json", "-j", "1", a});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "one  1\ntwo  1\n");
  EXPECT_EQ(r.err.rfind("{\"files\":1,\"bytes\":8,\"tokens\":2,\"distinct_words\":2,", 0), 0u)
      << r.err;
  EXPECT_NE(r.err.find(",\"chunks\":1,\"largest_chunk_bytes\":8,\"workers\":1,"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(",\"skipped_entries\":0,\"failed_inputs\":0,\"ranks\":1}\n"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  // --stats=text is plain --stats.
  EXPECT_EQ(mrtbb::testing::lines_of(wordcount({"--stats=text", a}).err).front(),
            "wordcount: 1 files, 8 bytes, 2 tokens, 2 distinct words");
  const Outcome bad = wordcount({"--stats=xml", a});
  EXPECT_EQ(bad.status, 2);
  EXPECT_EQ(bad.err.rfind("wordcount: unknown --stats format 'xml': choose text or json\n", 0), 0u);
}

TEST(ProgressLine, FitsEveryWidthAndTellsNoTimeLeftBeforeItKnows) {
  const std::vector<mrtbb::Progress> states = {{0, 0},
                                               {123456789, 0},
                                               {0, 1000000000},
                                               {5000000, 1000000000},
                                               {20000000, 1000000000},
                                               {999999999, 1000000000},
                                               {1000000000, 1000000000},
                                               {std::uint64_t{1} << 50, std::uint64_t{1} << 51}};
  for (const auto& state : states) {
    for (const double elapsed : {0.0, 0.5, 1.0, 3.0, 1e6}) {
      for (std::size_t width = 0; width <= 200; ++width) {
        for (const bool bar : {false, true}) {
          const std::string line = wordcount::progress_line(state, elapsed, width, bar);
          EXPECT_LE(line.size(), width > 0 ? width - 1 : 0) << line;
          EXPECT_EQ(line.find(" 0 s left"), std::string::npos) << line;
          EXPECT_EQ(line.find('\033'), std::string::npos);
          EXPECT_EQ(line.find('\r'), std::string::npos);
        }
      }
    }
  }
  const mrtbb::Progress half{500000000, 1000000000};
  // Before a second, or before 1% is done, the rate says too little to tell the time left.
  EXPECT_EQ(wordcount::seconds_left(half, 0.9), std::nullopt);
  EXPECT_EQ(wordcount::seconds_left({9000000, 1000000000}, 10.0), std::nullopt);
  EXPECT_EQ(wordcount::seconds_left(half, 2.0), 2u);
  EXPECT_EQ(wordcount::seconds_left({999999999, 1000000000}, 5.0), 1u);  // never 0 before done
  EXPECT_EQ(wordcount::seconds_left({1000000000, 1000000000}, 5.0), std::nullopt);
  EXPECT_EQ(wordcount::progress_line(half, 2.0, 80, true),
            "[#############              ]  50%  500.0 MB of 1000.0 MB  250.0 MB/s  2 s left");
  EXPECT_EQ(wordcount::progress_line(half, 0.5, 80, true),
            "[##############              ]  50%  500.0 MB of 1000.0 MB  1000.0 MB/s");
  // Narrower: the bar goes first, then the least needed pieces.
  EXPECT_EQ(wordcount::progress_line(half, 2.0, 60, true),
            " 50%  500.0 MB of 1000.0 MB  250.0 MB/s  2 s left");
  EXPECT_EQ(wordcount::progress_line(half, 2.0, 40, true),
            " 50%  500.0 MB of 1000.0 MB  250.0 MB/s");
  EXPECT_EQ(wordcount::progress_line(half, 2.0, 10, true), " 50%");
  EXPECT_EQ(wordcount::progress_line({123456789, 0}, 1.0, 80, true), "123.5 MB read  123.5 MB/s");
}

TEST_F(WordcountCli, ProgressOnATerminalFitsItsWidth) {
  const std::string a = file("a.txt", "one two\n");
  for (const unsigned short columns : {std::uint16_t{50}, std::uint16_t{120}}) {
    const std::string shown = on_terminal({"--progress", a}, "xterm", columns);
    ASSERT_NE(shown.find("100%"), std::string::npos) << shown;
    // Redrawn lines, each erased to its end, the last one erased at the end.
    std::size_t drawn = 0;
    for (std::size_t at = 0; (at = shown.find('\r', at)) != std::string::npos; ++at) {
      const std::size_t end = shown.find("\033[K", at);
      ASSERT_NE(end, std::string::npos) << shown;
      const std::string line = shown.substr(at + 1, end - at - 1);
      EXPECT_LE(line.size(), columns - 1u) << line;
      if (!line.empty()) {
        EXPECT_EQ(line.front(), '[') << line;  // room for a bar at both widths
        ++drawn;
      }
    }
    EXPECT_GE(drawn, 1u) << shown;
    EXPECT_TRUE(shown.ends_with("\r\033[K")) << shown;
  }
}

TEST_F(WordcountCli, ProgressUnderTermDumbIsPlainLines) {
  const std::string a = file("a.txt", "one two\n");
  const std::string shown = on_terminal({"--progress", a}, "dumb", 80);
  EXPECT_EQ(shown.find('\033'), std::string::npos) << shown;
  // The terminal turns each line feed into CR LF; no other CR.
  std::string lines = shown;
  for (std::size_t at; (at = lines.find("\r\n")) != std::string::npos;)
    lines.erase(at, 1);
  EXPECT_EQ(lines.find('\r'), std::string::npos) << shown;
  const auto printed = mrtbb::testing::lines_of(lines);
  ASSERT_FALSE(printed.empty());
  for (const auto& line : printed)
    EXPECT_EQ(line.rfind("wordcount: ", 0), 0u) << line;
  EXPECT_EQ(printed.back().rfind("wordcount: 100%", 0), 0u) << lines;
  // Not asked for, nothing at all.
  EXPECT_EQ(on_terminal({a}, "dumb", 80), "");
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

// A lone dash is standard output, as it is standard input for --files-from and the inputs; it
// used to make a file named "-" in the working directory. "./-" is how to name such a file.
TEST_F(WordcountCli, OutputDashIsStandardOutput) {
  const std::string input = "one two two\n";
  const std::string expected = wordcount({}, input).out;
  const std::string command = "cd " + quote(dir.path().string()) + " && " + quote(WORDCOUNT_PATH) +
                              " -o - <" + quote(file("in.txt", input)) + " >stdout-of-dash";
  const int raw = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(raw));
  EXPECT_EQ(WEXITSTATUS(raw), 0);
  EXPECT_EQ(slurp(dir.path() / "stdout-of-dash"), expected);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "-"));

  const std::string dot_dash = "cd " + quote(dir.path().string()) + " && " + quote(WORDCOUNT_PATH) +
                               " -o ./- in.txt >/dev/null";
  ASSERT_EQ(std::system(dot_dash.c_str()), 0);
  EXPECT_EQ(slurp(dir.path() / "-"), expected);
}

// -o writes a new file beside the target and renames it over the target at the end, so the target
// can be an input, as with `sort -o`: before, it was truncated when opened, before it was read.
TEST_F(WordcountCli, OutputOnAnInputReplacesItAtTheEnd) {
  const std::string a = file("a.txt", "hello world hello\n");
  const Outcome named = wordcount({a, "-o", a});
  EXPECT_EQ(named.status, 0) << named.err;
  EXPECT_EQ(slurp(a), "hello  2\nworld  1\n");

  // Through a hard link the input is the same file under another name; only the name written to
  // gets the new file, the other keeps the old contents.
  const std::string input = file("input.txt", "p q p\n");
  const std::string other_name = (dir.path() / "other-name.txt").string();
  std::filesystem::create_hard_link(input, other_name);
  const Outcome linked = wordcount({input, "-o", other_name});
  EXPECT_EQ(linked.status, 0) << linked.err;
  EXPECT_EQ(slurp(other_name), "p  2\nq  1\n");
  EXPECT_EQ(slurp(input), "p q p\n");

  // Standard input read from the file that is written.
  const std::string s = file("s.txt", "x y x\n");
  const std::string command = quote(WORDCOUNT_PATH) + " -o " + quote(s) + " <" + quote(s);
  const int raw = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(raw));
  EXPECT_EQ(WEXITSTATUS(raw), 0);
  EXPECT_EQ(slurp(s), "x  2\ny  1\n");
}

TEST_F(WordcountCli, OutputKeepsTheTargetsPermissionsAndLeavesNoTemporaryFile) {
  const std::string input = file("input.txt", "b a b\n");
  const std::string existing = file("out/existing.txt", "old\n");
  std::filesystem::permissions(existing, std::filesystem::perms(0640));
  EXPECT_EQ(wordcount({input, "-o", existing}).status, 0);
  EXPECT_EQ(slurp(existing), "b  2\na  1\n");
  EXPECT_EQ(std::filesystem::status(existing).permissions(), std::filesystem::perms(0640));

  // A new file gets 0666 less the umask, as open(2) would have given it.
  const std::string fresh = (dir.path() / "out/fresh.txt").string();
  for (const auto& [umask, mode] : {std::pair{"022", 0644}, std::pair{"077", 0600}}) {
    std::filesystem::remove(fresh);
    const std::string command = "umask " + std::string(umask) + "; " + quote(WORDCOUNT_PATH) + " " +
                                quote(input) + " -o " + quote(fresh);
    ASSERT_EQ(std::system(("sh -c " + quote(command)).c_str()), 0);
    EXPECT_EQ(slurp(fresh), "b  2\na  1\n");
    EXPECT_EQ(std::filesystem::status(fresh).permissions(), std::filesystem::perms(mode)) << umask;
  }
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path() / "out"))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"existing.txt", "fresh.txt"}));
}

// A symbolic link stays a link: the file it names is replaced, or created when it does not exist.
TEST_F(WordcountCli, OutputThroughASymbolicLinkReplacesTheFileItNames) {
  const std::string input = file("input.txt", "b a b\n");
  const std::string real = file("real.txt", "old\n");
  const auto link = dir.path() / "link.txt";
  std::filesystem::create_symlink("real.txt", link);
  EXPECT_EQ(wordcount({input, "-o", link.string()}).status, 0);
  EXPECT_TRUE(std::filesystem::is_symlink(link));
  EXPECT_EQ(slurp(real), "b  2\na  1\n");

  const auto dangling = dir.path() / "dangling.txt";
  std::filesystem::create_symlink("sub/named.txt", dangling);
  std::filesystem::create_directories(dir.path() / "sub");
  EXPECT_EQ(wordcount({input, "-o", dangling.string()}).status, 0);
  EXPECT_TRUE(std::filesystem::is_symlink(dangling));
  EXPECT_EQ(slurp(dir.path() / "sub/named.txt"), "b  2\na  1\n");
}

// What is not a regular file is written directly, as before: /dev/null, a FIFO, /dev/stdout (which
// names the open standard output, so a file the shell opened with >> keeps its contents).
TEST_F(WordcountCli, OutputToWhatIsNotARegularFileIsWrittenDirectly) {
  const std::string input = file("input.txt", "b a b\n");
  EXPECT_EQ(wordcount({input, "-o", "/dev/null"}).status, 0);

  const std::string log = file("log.txt", "before\n");
  const std::string appended =
      quote(WORDCOUNT_PATH) + " " + quote(input) + " -o /dev/stdout >>" + quote(log);
  ASSERT_EQ(std::system(appended.c_str()), 0);
  EXPECT_EQ(slurp(log), "before\nb  2\na  1\n");

  const std::string fifo = (dir.path() / "fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string received = (dir.path() / "received.txt").string();
  const std::string command = "cat " + quote(fifo) + " >" + quote(received) +
                              " & timeout -s KILL 30 " + quote(WORDCOUNT_PATH) + " " +
                              quote(input) + " -o " + quote(fifo) +
                              "; status=$?; wait; exit $status";
  const int raw = std::system(("bash -c " + quote(command)).c_str());
  ASSERT_TRUE(WIFEXITED(raw));
  EXPECT_EQ(WEXITSTATUS(raw), 0);
  EXPECT_EQ(slurp(received), "b  2\na  1\n");
  EXPECT_EQ(std::filesystem::status(fifo).type(), std::filesystem::file_type::fifo);

  const Outcome directory = wordcount({input, "-o", dir.path().string()});
  EXPECT_EQ(directory.status, 1);
  EXPECT_EQ(directory.err,
            "wordcount: cannot write to '" + dir.path().string() + "': Is a directory\n");
}

// A write that fails part-way (here the file size limit, EFBIG) leaves the old file as it was and
// no temporary file; before, the target was truncated at the start and the process killed by
// SIGXFSZ.
TEST_F(WordcountCli, AFailedWriteLeavesTheOldFileAsItWas) {
  std::string words;
  for (char a = 'a'; a <= 'j'; ++a)
    for (char b = 'a'; b <= 'j'; ++b)
      for (char c = 'a'; c <= 'j'; ++c)
        words += std::string{a, b, c, ' '};
  const std::string input = file("input.txt", words + "\n");
  const std::string target = file("out/target.txt", "old contents\n");
  const std::string err = (dir.path() / "err.txt").string();
  const std::string command = "ulimit -f 4; " + quote(WORDCOUNT_PATH) + " " + quote(input) +
                              " -o " + quote(target) + " 2>" + quote(err);
  const int raw = std::system(("sh -c " + quote(command)).c_str());
  ASSERT_TRUE(WIFEXITED(raw));
  EXPECT_EQ(WEXITSTATUS(raw), 1);
  EXPECT_EQ(slurp(err), "wordcount: cannot write to '" + target + "': File too large\n");
  EXPECT_EQ(slurp(target), "old contents\n");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path() / "out"),
                          std::filesystem::directory_iterator()),
            1);
}

// A wordcount run whose standard input is a pipe the test holds open, so that it never ends by
// itself: it is stopped by a signal, or by closing its input.
class PendingRun {
 public:
  PendingRun(const std::vector<std::string>& args, int ignored_signal = 0) {
    std::vector<std::string> arguments = {WORDCOUNT_PATH};
    arguments.insert(arguments.end(), args.begin(), args.end());
    const std::vector<char*> argv = exec_arguments(arguments);
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[0], STDIN_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      const int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, STDOUT_FILENO);
      // The signals start at their defaults whatever the test runner was given, and SIGQUIT
      // dumps no core.
      for (int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGQUIT})
        ::signal(signal_number, signal_number == ignored_signal ? SIG_IGN : SIG_DFL);
      const rlimit no_core{0, 0};
      ::setrlimit(RLIMIT_CORE, &no_core);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(fds[0]);
    input_ = fds[1];
  }
  ~PendingRun() {
    if (input_ >= 0) ::close(input_);
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  PendingRun(const PendingRun&) = delete;
  PendingRun& operator=(const PendingRun&) = delete;

  void feed(const std::string& text) const {
    ASSERT_EQ(::write(input_, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  }
  void end_input() {
    ::close(input_);
    input_ = -1;
  }
  void signal(int signal_number) const { ::kill(pid_, signal_number); }

  // The wait status once the process ended, or nullopt after `limit` (it is then killed).
  std::optional<int> wait(std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_ = -1;
  int input_ = -1;
};

std::vector<std::string> names_in(const std::filesystem::path& directory) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(directory))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Until wordcount has begun its output (its new file exists, or, as before, the target was
// truncated), at most 30 s.
bool output_begun(const std::filesystem::path& directory, const std::string& target,
                  const std::string& old_contents) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (names_in(directory).size() > 1 || slurp(target) != old_contents) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// Interrupted mid-way, wordcount leaves the old file as it was and removes its new one, then ends
// as the signal would have ended it.
TEST_F(WordcountCli, AnInterruptedRunLeavesTheOldFileAndNoTemporaryFile) {
  for (int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
    const auto out = dir.path() / ("out-" + std::to_string(signal_number));
    const std::string target = file(out.filename().string() + "/target.txt", "old contents\n");
    PendingRun run({"-o", target});
    run.feed("some words that are never counted\n");
    ASSERT_TRUE(output_begun(out, target, "old contents\n")) << signal_number;
    run.signal(signal_number);
    const auto status = run.wait(std::chrono::seconds(30));
    ASSERT_TRUE(status.has_value()) << signal_number;
    EXPECT_TRUE(WIFSIGNALED(*status) && WTERMSIG(*status) == signal_number) << *status;
    EXPECT_EQ(slurp(target), "old contents\n") << signal_number;
    EXPECT_EQ(names_in(out), std::vector<std::string>{"target.txt"}) << signal_number;
  }
}

// SIGKILL cannot be caught: the old file is still as it was; the new file is left beside it under
// a hidden name that says who left it.
TEST_F(WordcountCli, AKilledRunLeavesTheOldFileAsItWas) {
  const auto out = dir.path() / "out";
  const std::string target = file("out/target.txt", "old contents\n");
  PendingRun run({"-o", target});
  run.feed("some words that are never counted\n");
  ASSERT_TRUE(output_begun(out, target, "old contents\n"));
  run.signal(SIGKILL);
  ASSERT_TRUE(run.wait(std::chrono::seconds(30)).has_value());
  EXPECT_EQ(slurp(target), "old contents\n");
  for (const auto& name : names_in(out)) {
    EXPECT_TRUE(name == "target.txt" || name.rfind(".wordcount-", 0) == 0) << name;
  }
}

// A signal the caller ignores (nohup) stays ignored: the run goes on and writes its output.
TEST_F(WordcountCli, AnIgnoredSignalStaysIgnored) {
  const auto out = dir.path() / "out";
  const std::string target = file("out/target.txt", "old contents\n");
  PendingRun run({"-o", target}, SIGHUP);
  run.feed("b a b\n");
  ASSERT_TRUE(output_begun(out, target, "old contents\n"));
  run.signal(SIGHUP);
  run.end_input();
  const auto status = run.wait(std::chrono::seconds(30));
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << *status;
  EXPECT_EQ(slurp(target), "b  2\na  1\n");
  EXPECT_EQ(names_in(out), std::vector<std::string>{"target.txt"});
}

// write_counts formats blocks of rows in parallel and writes them in order: for every format and
// worker count, over several waves of blocks, the bytes must be those of formatting one row after
// the other (spelled out here).
TEST(WriteCounts, RowsFormattedInParallelAreWhatOneAfterTheOtherGives) {
  std::mt19937 rng(7);
  std::vector<mrtbb::WordCount> counts;
  std::size_t widest = 0;
  std::uint64_t largest = 0;
  for (std::size_t i = 0; i < 300000; ++i) {
    std::string word = "w" + std::to_string(rng() % 1000000) + (i % 7 == 0 ? ",\"q" : "");
    widest = std::max(widest, word.size());
    counts.emplace_back(std::move(word), 1 + rng() % 100000);
    largest = std::max(largest, counts.back().second);
  }
  const auto json = [](const std::string& word) {
    std::string quoted = "\"";
    for (char c : word)
      quoted += c == '"' ? std::string("\\\"") : std::string(1, c);
    return quoted + "\"";
  };
  const std::size_t count_column = std::to_string(largest).size();
  std::string text;
  std::string tsv;
  std::string csv = "word,count\r\n";
  std::string json_array = "[";
  std::string jsonl;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const auto& [word, count] = counts[i];
    const std::string digits = std::to_string(count);
    text += word + std::string(widest - word.size() + 2 + count_column - digits.size(), ' ') +
            digits + "\n";
    tsv += word + "\t" + digits + "\n";
    csv += wordcount::csv_field(word) + "," + digits + "\r\n";
    json_array += std::string(i == 0 ? "" : ",") + "\n  {\"word\": " + json(word) +
                  ", \"count\": " + digits + "}";
    jsonl += "{\"word\":" + json(word) + ",\"count\":" + digits + "}\n";
  }
  json_array += "\n]\n";

  TempDir dir{"write-counts"};
  const auto path = dir.path() / "out";
  for (std::size_t workers : {1, 2, 3, 8}) {
    for (const auto& [format, expected] : {std::pair{wordcount::OutputFormat::text, &text},
                                           std::pair{wordcount::OutputFormat::tsv, &tsv},
                                           std::pair{wordcount::OutputFormat::csv, &csv},
                                           std::pair{wordcount::OutputFormat::json, &json_array},
                                           std::pair{wordcount::OutputFormat::jsonl, &jsonl}}) {
      {
        wordcount::OutputFile out(path.string());
        wordcount::write_counts(counts, format, out, workers);
        out.commit();
      }
      // Where the bytes first differ, rather than a diff of megabytes of rows.
      const std::string written = mrtbb::testing::slurp(path);
      const auto [at, _] =
          std::mismatch(written.begin(), written.end(), expected->begin(), expected->end());
      ASSERT_TRUE(written == *expected)
          << "format " << static_cast<int>(format) << ", " << workers
          << " workers: " << written.size() << " bytes against " << expected->size()
          << ", first difference at " << (at - written.begin());
    }
  }
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
      {{"--format", "xml"},
       "wordcount: unknown format 'xml': choose text, tsv, csv, json or jsonl\n"},
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
  EXPECT_NE(r.err.find("wordcount: 1 chunks (largest 8 bytes) on 1 workers; 1 thread tables "
                       "combined in 1 partitions"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("100%"), std::string::npos) << r.err;
}

TEST_F(WordcountCli, HelpIsInTheShapeHelp2manReads) {
  const Outcome help = wordcount({"--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_EQ(help.out.rfind("Usage: wordcount [OPTION]... [PATH]...\n", 0), 0u) << help.out;
  for (const char* noise : {"TEXT", "UINT", "Excludes", " in [", "PATH TEXT"}) {
    EXPECT_EQ(help.out.find(noise), std::string::npos) << noise << "\n" << help.out;
  }
  for (const char* line : {"\n  -j, --workers=N ", "\n      --top=N ", "\n  -0, --null ",
                           "\n      --stats[=FMT] ", "\n  -h, --help ", "\nExit status:\n"}) {
    EXPECT_NE(help.out.find(line), std::string::npos) << line << "\n" << help.out;
  }
  for (const std::string& line : mrtbb::testing::lines_of(help.out)) {
    EXPECT_LE(line.size(), 79u) << line;
  }
}

TEST_F(WordcountCli, HelpListsEveryOptionAndVersionPrints) {
  const Outcome help = wordcount({"--help"});
  EXPECT_EQ(help.status, 0);
  for (const char* option :
       {"--workers",   "--grain",     "--tokenizer", "--skip-prefix", "--stop-words",  "--top",
        "--min-count", "--format",    "--output",    "--progress",    "--no-progress", "--stats",
        "--verbose",   "--version",   "Exit status", "--files-from",  "--null",        "--hidden",
        "--exclude",   "--keep-case", "--sort",      "--reverse",     "jsonl"}) {
    EXPECT_NE(help.out.find(option), std::string::npos) << option;
  }
  const Outcome version = wordcount({"--version"});
  EXPECT_EQ(version.status, 0);
  EXPECT_EQ(version.out.rfind("wordcount (mrtbb) ", 0), 0u);
}

// Binary and compressed inputs (issue 12, items 6 and 7).

TEST_F(WordcountCli, BinaryFilesOfAWalkAreSkippedAndNamedButCountedWhenNamed) {
  file("tree/a.txt", "one two two\n");
  const std::string binary = file("tree/b.bin", std::string("one\0three", 9));
  file("tree/c.gz", mrtbb::testing::gzip(std::string("three\0four", 10), 6));
  const std::string tree = (dir.path() / "tree").string();
  const std::string counts = "two  2\none  1\n";

  const Outcome quiet = wordcount({tree});
  EXPECT_EQ(quiet.status, 0);
  EXPECT_EQ(quiet.out, counts);
  EXPECT_EQ(quiet.err, "");

  const Outcome told = wordcount({"-v", "--stats", "-j", "1", tree});
  EXPECT_EQ(told.status, 0);
  EXPECT_EQ(told.out, counts);
  for (const std::string& line :
       {"wordcount: skipped '" + binary + "': binary file\n",
        "wordcount: skipped '" + tree + "/c.gz': binary file\n",
        std::string("wordcount: skipped 2 binary files found in directories (-v names them)\n"),
        std::string("wordcount: 1 files, 12 bytes, 3 tokens, 2 distinct words\n")}) {
    EXPECT_NE(told.err.find(line), std::string::npos) << line << told.err;
  }
  EXPECT_EQ(told.err.find("not a regular file"), std::string::npos) << told.err;

  const Outcome named = wordcount({binary});
  EXPECT_EQ(named.status, 0);
  EXPECT_EQ(named.out, "one    1\nthree  1\n");
}

TEST_F(WordcountCli, CompressedFilesAndStdinCountLikeTheirText) {
  const std::string text = mrtbb::testing::generated_text(801, 5000);
  const std::string plain = file("plain.txt", text);
  const std::string gz = file("text.gz", mrtbb::testing::gzip(text, 9, 3));
  const std::string zst = file("text", mrtbb::testing::zstd(text, 19, 2));
  for (const std::vector<std::string>& options :
       {std::vector<std::string>{}, {"-j", "3", "--grain", "64"}, {"--tokenizer", "whitespace"}}) {
    auto with = [&](const std::string& path) {
      std::vector<std::string> args = options;
      args.push_back(path);
      return args;
    };
    const Outcome want = wordcount(with(plain));
    ASSERT_EQ(want.status, 0);
    for (const Outcome& got : {wordcount(with(gz)), wordcount(with(zst)),
                               wordcount(with("-"), mrtbb::testing::gzip(text, 1, 2)),
                               wordcount(with("-"), mrtbb::testing::zstd(text, 1, 3))}) {
      EXPECT_EQ(got.status, 0) << got.err;
      EXPECT_EQ(got.out, want.out);
      EXPECT_EQ(got.err, "");
    }
  }
}

TEST_F(WordcountCli, DamagedCompressedInputIsAReadErrorNamingIt) {
  const std::string text = mrtbb::testing::generated_text(802, 2000);
  const std::string gz = mrtbb::testing::gzip(text, 6);
  const std::string truncated = file("truncated.gz", gz.substr(0, gz.size() / 2));
  const std::string good = file("good.txt", "one\n");
  const Outcome r = wordcount({truncated, good});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "one  1\n");
  EXPECT_EQ(r.err.rfind("wordcount: cannot read '" + truncated + "': truncated gzip data", 0), 0u)
      << r.err;
}

}  // namespace
