// The file-job examples as a user runs them, against plain sequential references: group_stats and
// inverted_index give the reference's output for every worker count and grain, on generated and
// hand-written data (CRLF, empty keys, non-UTF-8 keys, int64 limits, rejected lines, a last line
// without LF).

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/command.hpp"
#include "support/corpus.hpp"
#include "support/reference_tokenizer.hpp"

namespace {

using mrtbb::testing::TempDir;

using mrtbb::testing::lines_of;
using mrtbb::testing::Outcome;
using mrtbb::testing::quote;
using mrtbb::testing::slurp;

const std::vector<std::string> grains = {"1", "2", "3", "7", "64", "4096", ""};

class FileJobExamples : public ::testing::Test {
 protected:
  TempDir dir{"file-job-examples"};

  Outcome run(const std::string& program, const std::vector<std::string>& args,
              const std::string& input = "") {
    const std::string in = dir.write("stdin", input);
    const std::string out = (dir.path() / "stdout").string();
    const std::string err = (dir.path() / "stderr").string();
    std::string command = "timeout -s KILL 60 " + quote(program);
    for (const auto& arg : args)
      command += " " + quote(arg);
    command += " <" + quote(in) + " >" + quote(out) + " 2>" + quote(err);
    const int raw = std::system(command.c_str());
    return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(out), slurp(err)};
  }

  // Every worker count 1-4 and grain gives `expected`.
  void expect_everywhere(const std::string& program, const std::vector<std::string>& args,
                         const Outcome& expected, const std::string& input = "") {
    for (int workers = 1; workers <= 4; ++workers) {
      for (const std::string& grain : grains) {
        std::vector<std::string> full = {"-j", std::to_string(workers)};
        if (!grain.empty()) full.insert(full.end(), {"--grain", grain});
        full.insert(full.end(), args.begin(), args.end());
        const Outcome got = run(program, full, input);
        SCOPED_TRACE("workers " + std::to_string(workers) + ", grain " + grain);
        EXPECT_EQ(got.status, expected.status);
        EXPECT_EQ(got.out, expected.out);
        EXPECT_EQ(got.err, expected.err);
        if (HasFailure()) return;
      }
    }
  }
};

// ---- group_stats ------------------------------------------------------------------------------

__extension__ using Int128 = __int128;

std::string decimal(Int128 value) {
  if (value == 0) return "0";
  const bool negative = value < 0;
  std::string digits;
  while (value != 0) {
    const int digit = static_cast<int>(value % 10);
    digits.insert(digits.begin(), static_cast<char>('0' + (negative ? -digit : digit)));
    value /= 10;
  }
  return negative ? "-" + digits : digits;
}

// [+-]?[0-9]+ within int64, digit by digit.
bool reference_integer(const std::string& text, std::int64_t& value) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  if (i == text.size()) return false;
  Int128 magnitude = 0;
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    magnitude = magnitude * 10 + (text[i] - '0');
    if (magnitude > (Int128(1) << 63)) return false;
  }
  const Int128 signed_value = negative ? -magnitude : magnitude;
  if (signed_value > INT64_MAX) return false;
  value = static_cast<std::int64_t>(signed_value);
  return true;
}

struct ReferenceStats {
  std::uint64_t count = 0;
  Int128 sum = 0;
  std::int64_t min = INT64_MAX;
  std::int64_t max = INT64_MIN;
};

// What group_stats prints for `files` (path as it names them, content), in order. Rejected lines
// are checked by their "PATH:LINE: " prefix; the reason's wording is the program's own.
Outcome reference_group_stats(const std::vector<std::pair<std::string, std::string>>& files,
                              std::size_t key_field, std::size_t value_field) {
  std::map<std::string, ReferenceStats> stats;
  std::vector<std::string> rejected;
  for (const auto& [path, content] : files) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < content.size()) {
      std::size_t end = content.find('\n', start);
      if (end == std::string::npos) {
        lines.push_back(content.substr(start));
        break;
      }
      std::string line = content.substr(start, end - start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines.push_back(line);
      start = end + 1;
    }
    for (std::size_t n = 0; n < lines.size(); ++n) {
      std::vector<std::string> fields;
      std::string field;
      for (char c : lines[n] + "\t") {
        if (c == '\t') {
          fields.push_back(field);
          field.clear();
        } else {
          field += c;
        }
      }
      std::int64_t value = 0;
      if (fields.size() < std::max(key_field, value_field) ||
          !reference_integer(fields[value_field - 1], value)) {
        rejected.push_back(path + ":" + std::to_string(n + 1) + ": ");
        continue;
      }
      ReferenceStats& s = stats[fields[key_field - 1]];
      ++s.count;
      s.sum += value;
      s.min = std::min(s.min, value);
      s.max = std::max(s.max, value);
    }
  }
  Outcome expected{rejected.empty() ? 0 : 1, "", ""};
  for (const auto& [key, s] : stats) {
    expected.out += key + "\t" + std::to_string(s.count) + "\t" + decimal(s.sum) + "\t" +
                    std::to_string(s.min) + "\t" + std::to_string(s.max) + "\n";
  }
  for (std::size_t i = 0; i < rejected.size() && i < 10; ++i)
    expected.err += "group_stats: " + rejected[i] + "\n";
  if (rejected.size() > 10) {
    expected.err +=
        "group_stats: and " + std::to_string(rejected.size() - 10) + " more rejected lines\n";
  }
  if (!rejected.empty())
    expected.err += "group_stats: " + std::to_string(rejected.size()) + " lines rejected\n";
  return expected;
}

// group_stats' stderr with each rejected line's reason cut after "PATH:LINE: ", to compare with
// the reference.
std::string without_reasons(const std::string& err) {
  std::string cut;
  for (const std::string& line : lines_of(err)) {
    const bool counted =
        line.ends_with(" more rejected lines") || line.ends_with(" lines rejected");
    const std::size_t reason = line.find(": ", std::string("group_stats: ").size());
    cut += (counted || reason == std::string::npos ? line : line.substr(0, reason + 2)) + "\n";
  }
  return cut;
}

std::string tricky_records() {
  return "apple\t5\n"
         "pear\t-3\r\n"                  // CRLF
         "\t7\n"                         // empty key
         "\xff\xfe\x80\t1\n"             // not UTF-8
         "apple\t9223372036854775807\n"  // int64 max, twice: the sum needs 65 bits
         "apple\t9223372036854775807\n"
         "min\t-9223372036854775808\n"  // int64 min, twice
         "min\t-9223372036854775808\n"
         "over\t9223372036854775808\n"    // rejected: past int64 max
         "under\t-9223372036854775809\n"  // rejected
         "short\n"                        // rejected: one field
         "\n"                             // rejected: empty line
         "sign\t+12\n"
         "zero\t-0\n"
         "bad\t12a\n"        // rejected
         "bad\t+-1\n"        // rejected
         "bad\t\n"           // rejected: empty value
         "bad\t 1\n"         // rejected: a space
         "tab in\tkey\t3\n"  // rejected: field 2 is 'key'
         "cr\r\t4\r\n"       // a CR inside a line is part of the key
         "apple\t1\textra\n"
         "last\t-1";  // no final LF
}

std::string generated_records(std::uint32_t seed, std::size_t rows) {
  static const std::vector<std::string> keys = {
      "a", "b", "", "ключ", "日本", "\xc3\x28", "key with space", "Z", "zz", "k\r"};
  std::mt19937_64 rng(seed);
  std::geometric_distribution<std::size_t> pick_key(0.3);
  std::string text;
  for (std::size_t i = 0; i < rows; ++i) {
    const std::string& key = keys[pick_key(rng) % keys.size()];
    switch (rng() % 16) {
      case 0:
        text += key + "\n";  // too few fields
        break;
      case 1:
        text += key + "\tx" + std::to_string(rng() % 100) + "\n";  // not an integer
        break;
      case 2:
        text += key + "\t" + std::to_string(static_cast<std::int64_t>(rng())) + "\r\n";
        break;
      default:
        text += key + "\t" + std::to_string(static_cast<std::int64_t>(rng() % 2001) - 1000) +
                "\textra\n";
    }
  }
  return text;
}

TEST_F(FileJobExamples, GroupStatsMatchesTheReferenceOnTrickyRecords) {
  const std::string path = dir.write("tricky.tsv", tricky_records());
  const Outcome expected = reference_group_stats({{path, tricky_records()}}, 1, 2);
  ASSERT_EQ(expected.status, 1);
  for (int workers = 1; workers <= 4; ++workers) {
    for (const std::string& grain : grains) {
      std::vector<std::string> args = {"-j", std::to_string(workers), "--key", "1", "--value", "2",
                                       path};
      if (!grain.empty()) args.insert(args.end(), {"--grain", grain});
      const Outcome got = run(GROUP_STATS_PATH, args);
      SCOPED_TRACE("workers " + std::to_string(workers) + ", grain " + grain);
      EXPECT_EQ(got.status, expected.status);
      EXPECT_EQ(got.out, expected.out);
      EXPECT_EQ(without_reasons(got.err), expected.err);
      if (HasFailure()) return;
    }
  }
}

TEST_F(FileJobExamples, GroupStatsMatchesTheReferenceOnGeneratedFilesAndStdin) {
  std::vector<std::pair<std::string, std::string>> files;
  for (std::uint32_t seed = 1; seed <= 3; ++seed) {
    const std::string content = generated_records(seed, 300 * seed);
    files.emplace_back(dir.write("part" + std::to_string(seed) + ".tsv", content), content);
  }
  files.emplace_back(dir.write("empty.tsv", ""), "");
  const std::string piped = generated_records(9, 200);
  files.emplace_back("-", piped);
  std::vector<std::string> paths;
  for (const auto& file : files)
    paths.push_back(file.first);
  // Fields swapped: the value is field 1 (mostly not an integer) and the key field 2.
  for (const auto& [key, value] : {std::pair{1, 2}, std::pair{2, 1}, std::pair{3, 2}}) {
    const Outcome expected = reference_group_stats(files, key, value);
    for (int workers = 1; workers <= 4; ++workers) {
      for (const std::string& grain : grains) {
        std::vector<std::string> args = {"-j",      std::to_string(workers),
                                         "--key",   std::to_string(key),
                                         "--value", std::to_string(value)};
        if (!grain.empty()) args.insert(args.end(), {"--grain", grain});
        args.insert(args.end(), paths.begin(), paths.end());
        const Outcome got = run(GROUP_STATS_PATH, args, piped);
        SCOPED_TRACE("key " + std::to_string(key) + ", value " + std::to_string(value) +
                     ", workers " + std::to_string(workers) + ", grain " + grain);
        EXPECT_EQ(got.status, expected.status);
        EXPECT_EQ(got.out, expected.out);
        EXPECT_EQ(without_reasons(got.err), expected.err);
        if (HasFailure()) return;
      }
    }
  }
}

TEST_F(FileJobExamples, GroupStatsNamesTheReasonOfEachRejectedLine) {
  const std::string path =
      dir.write("reasons.tsv", "a\t1\nshort\nb\t12a\nc\t99999999999999999999\nd\t2\n");
  const Outcome got = run(GROUP_STATS_PATH, {"--key", "1", "--value", "2", path});
  EXPECT_EQ(got.status, 1);
  EXPECT_EQ(got.out, "a\t1\t1\t1\t1\nd\t1\t2\t2\t2\n");
  EXPECT_EQ(got.err, "group_stats: " + path + ":2: too few fields (1, need 2)\n" +
                         "group_stats: " + path + ":3: field 2 is not a decimal integer: '12a'\n" +
                         "group_stats: " + path +
                         ":4: field 2 is outside the int64 range: '99999999999999999999'\n" +
                         "group_stats: 3 lines rejected\n");
}

TEST_F(FileJobExamples, GroupStatsReportsABadPathAndCountsTheRest) {
  const std::string good = dir.write("good.tsv", "k\t1\nk\t2\n");
  const std::string missing = (dir.path() / "missing.tsv").string();
  expect_everywhere(GROUP_STATS_PATH, {"--key", "1", "--value", "2", missing, good},
                    {1, "k\t2\t3\t1\t2\n",
                     "group_stats: cannot read '" + missing + "': No such file or directory\n"});
}

TEST_F(FileJobExamples, GroupStatsRejectsBadOptionsWithStatusTwo) {
  const std::string good = dir.write("good.tsv", "k\t1\n");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--key", "0", "--value", "1", good},
           {"--key", "1", "--value", "x", good},
           {"--value", "1", good},
           {"--key", "1", "--value", "2", "-j", "0", good},
           {"--key", "1", "--value", "2", "--grain", "2G", good}}) {
    const Outcome got = run(GROUP_STATS_PATH, args);
    EXPECT_EQ(got.status, 2) << got.err;
    EXPECT_EQ(got.out, "");
    EXPECT_NE(got.err, "");
  }
}

// ---- inverted_index ---------------------------------------------------------------------------

// The files `find ARG -type f` lists, as it names them.
std::vector<std::string> found_files(const std::string& arg) {
  std::vector<std::string> files;
  FILE* find = ::popen(("find " + quote(arg) + " -type f").c_str(), "r");
  std::string listing;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, find)) > 0;)
    listing.append(buffer, n);
  ::pclose(find);
  return lines_of(listing);
}

std::string reference_index(const std::vector<std::string>& files) {
  using mrtbb::testing::Rule;
  std::map<std::string, std::set<std::string>> index;
  for (const std::string& file : files) {
    for (const std::string& line : lines_of(slurp(file))) {
      for (const std::string& word : mrtbb::testing::words_of_line(Rule::letters, line))
        index[word].insert(file);
    }
  }
  std::string out;
  for (const auto& [word, paths] : index) {
    out += word;
    for (const std::string& path : paths)
      out += "\t" + path;
    out += "\n";
  }
  return out;
}

TEST_F(FileJobExamples, InvertedIndexMatchesTheReferenceOverWalkedDirectories) {
  dir.write("corpus/b.txt", mrtbb::testing::generated_text(1, 400));
  dir.write("corpus/a.txt", mrtbb::testing::generated_text(2, 50) + "Zebra ZEBRA naïve NAÏVE");
  dir.write("corpus/sub/deep.txt", "only here: unique\r\nand the last line without LF");
  dir.write("corpus/sub/empty.txt", "");
  dir.write("corpus/sub/\xce\xb1.txt", "мир мир \xff\xfe broken bytes");
  const std::string one = dir.write("one.txt", mrtbb::testing::generated_text(3, 30));
  const std::string corpus = (dir.path() / "corpus").string();
  for (const std::string& root : {corpus, corpus + "/"}) {
    std::vector<std::string> files = found_files(root);
    files.push_back(one);
    expect_everywhere(INVERTED_INDEX_PATH, {root, one}, {0, reference_index(files), ""});
    if (HasFailure()) return;
  }
}

TEST_F(FileJobExamples, InvertedIndexReadsStdinAsDashAndReportsBadPaths) {
  const std::string text = "Alpha beta\nBETA gamma\n";
  const std::string file = dir.write("file.txt", "gamma delta");
  const std::string missing = (dir.path() / "missing").string();
  const std::string expected_out =
      "alpha\t-\nbeta\t-\ndelta\t" + file + "\ngamma\t-\t" + file + "\n";
  expect_everywhere(INVERTED_INDEX_PATH, {"-", missing, file},
                    {1, expected_out,
                     "inverted_index: cannot read '" + missing + "': No such file or directory\n"},
                    text);
}

}  // namespace
