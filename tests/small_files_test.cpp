// Files smaller than the grain are opened and read in the pipeline's parallel stage (the serial
// stage hands out their names), whichever thread gets them. A job over many of them must give what
// a plain sequential pass gives for every worker count and grain: counts, records with their line
// numbers, each key's values in input order, and failures, skipped files and stats in input order,
// with the first failing input named when the job fails.

#include <gtest/gtest.h>

#include <oneapi/tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "mrtbb/mrtbb.hpp"
#include "support/compress.hpp"
#include "support/corpus.hpp"
#include "support/reference.hpp"
#include "support/reference_tokenizer.hpp"

namespace {

namespace fs = std::filesystem;
using mrtbb::ErrorPolicy;
using mrtbb::Options;
using mrtbb::testing::Line;
using mrtbb::testing::TempDir;

// From a grain that makes every file but the large one small down to grains that make most of them
// large; 0 is the default grain (256 KiB).
constexpr std::size_t grains[] = {1, 7, 64, 1000, 4096, 0};

template <class Check>
void for_every_setting(Check check, Options base = {}) {
  for (std::size_t workers = 1; workers <= 4; ++workers) {
    for (const std::size_t grain : grains) {
      SCOPED_TRACE("workers=" + std::to_string(workers) + " grain=" + std::to_string(grain));
      Options options = base;
      options.workers = workers;
      options.grain = grain;
      check(options);
      if (::testing::Test::HasFailure()) return;
    }
  }
}

struct ReadFile {
  std::size_t input;  // place in the walk's list of inputs
  std::string path;
  std::string text;  // decompressed
  std::uint64_t stored_bytes;
};

// A directory of small files of every kind, each named so that the walk lists them in the order
// they are made, and one file larger than the default grain among them. Three fail when read (a
// corrupt gzip file, a dangling link and a file that is removed once the job has listed it), one
// is binary, and one grows after listing from a few bytes to far more than the small grains.
class SmallFileTree {
 public:
  SmallFileTree() {
    for (std::uint32_t i = 0; i < 60; ++i) {
      const std::string name = "tree/f" + std::to_string(100 + i);
      switch (i) {
        case 5:
          add(name + ".gz", mrtbb::testing::gzip(lines(i), 6, 2), lines(i));
          break;
        case 11:
          add(name + ".zst", mrtbb::testing::zstd(lines(i), 3, 2), lines(i));
          break;
        case 17:
          binary_ = add_unread(name + ".bin", "text, then a NUL byte\n" + std::string(1, '\0'));
          break;
        case 23:
          corrupt_ = add_unread(name + ".gz", mrtbb::testing::gzip(lines(i)).substr(0, 30));
          corrupt_bytes_ = 30;
          break;
        case 29:
          dangling_ = (dir_.path() / (name + "-dangling")).string();
          fs::create_symlink(dir_.path() / "nowhere", dangling_);
          ++listed_;
          break;
        case 34:
          vanishing_ = add_unread(name + "-vanishes", lines(i));
          break;
        case 40:
          add(name + "-large", mrtbb::testing::generated_text(i, 50000));
          break;
        case 46:
          growing_ = add(name + "-grows", "a b\n");
          grown_text_ = "a b\n" + lines(i) + lines(i + 1);
          break;
        default:
          add(name, i % 7 == 0   ? std::string()
                    : i % 7 == 1 ? "no final line feed " + std::to_string(i)
                                 : lines(i));
      }
    }
  }

  std::string root() const { return (dir_.path() / "tree").string(); }

  // What reading is to find: the growing file as it has grown.
  std::vector<ReadFile> read_files() const {
    std::vector<ReadFile> files = read_;
    for (ReadFile& file : files) {
      if (file.path == growing_) {
        file.text = grown_text_;
        file.stored_bytes = grown_text_.size();
      }
    }
    return files;
  }

  // Removes the vanishing file and grows the growing one, the first time it is called: from the
  // job's first progress report, which comes after listing and before reading.
  void change_after_listing() {
    if (std::exchange(changed_, true)) return;
    fs::remove(vanishing_);
    std::ofstream(growing_, std::ios::binary | std::ios::trunc) << grown_text_;
  }

  // Recreates what change_after_listing() changed, for the next job.
  void restore() {
    std::ofstream(vanishing_, std::ios::binary) << "back again\n";
    std::ofstream(growing_, std::ios::binary | std::ios::trunc) << "a b\n";
    changed_ = false;
  }

  std::vector<std::string> failing() const { return {corrupt_, dangling_, vanishing_}; }
  const std::string& binary() const { return binary_; }
  // Read before it failed: counted with the bytes read, as any input's bytes read are.
  std::uint64_t corrupt_bytes() const { return corrupt_bytes_; }

 private:
  static std::string lines(std::uint32_t seed) {
    return mrtbb::testing::generated_text(seed, 20 + seed * 7 % 180);
  }

  std::string add(const std::string& name, const std::string& bytes, const std::string& text) {
    const std::string path = dir_.write(name, bytes);
    read_.push_back({listed_++, path, text, bytes.size()});
    return path;
  }
  std::string add(const std::string& name, const std::string& text) {
    return add(name, text, text);
  }
  std::string add_unread(const std::string& name, const std::string& bytes) {
    ++listed_;
    return dir_.write(name, bytes);
  }

  TempDir dir_{"small-files"};
  std::vector<ReadFile> read_;
  std::size_t listed_ = 0;
  std::string binary_, corrupt_, dangling_, vanishing_, growing_, grown_text_;
  std::uint64_t corrupt_bytes_ = 0;
  bool changed_ = false;
};

SmallFileTree& tree() {
  static SmallFileTree made;
  return made;
}

// Runs `run(options)` on the tree with skip_and_report, the tree changed after listing.
template <class Run>
auto on_changed_tree(Options options, Run run) {
  tree().restore();
  options.on_input_error = ErrorPolicy::skip_and_report;
  options.on_progress = [](const mrtbb::Progress&) { tree().change_after_listing(); };
  return run(options);
}

// Failures, skipped files and stats are the same whoever read the files.
template <class Result>
void expect_the_sequential_report(const Result& result) {
  const std::vector<ReadFile> files = tree().read_files();
  std::string failures;
  for (const auto& failure : result.failures)
    failures += failure.input + ": " + failure.reason + "\n";
  ASSERT_EQ(result.failures.size(), 3u) << failures;
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_EQ(result.failures[i].input, tree().failing()[i]);
  EXPECT_TRUE(result.failures[0].reason.starts_with("truncated gzip data"))
      << result.failures[0].reason;
  ASSERT_EQ(result.skipped.size(), 1u);
  EXPECT_EQ(result.skipped[0].path, tree().binary());
  EXPECT_EQ(result.stats.inputs, files.size());
  std::uint64_t bytes = tree().corrupt_bytes();
  for (const ReadFile& file : files)
    bytes += file.stored_bytes;
  EXPECT_EQ(result.stats.bytes, bytes);
}

TEST(SmallFiles, CountsAreTheSequentialOnesForEverySetting) {
  std::vector<std::string> texts;
  for (const ReadFile& file : tree().read_files())
    texts.push_back(file.text);
  const auto expected = mrtbb::testing::ordered_counts(
      mrtbb::testing::reference_word_counts(mrtbb::testing::Rule::whitespace, texts));
  const mrtbb::TextMapper map = mrtbb::make_tokenizer({.kind = mrtbb::TokenizerKind::whitespace});
  for_every_setting([&](const Options& options) {
    const auto result = on_changed_tree(
        options, [&](const Options& o) { return mrtbb::run_text_job({tree().root()}, map, o); });
    EXPECT_EQ(result.results, expected);
    expect_the_sequential_report(result);
  });
}

std::vector<Line> reference_lines() {
  std::vector<Line> lines;
  for (const ReadFile& file : tree().read_files())
    mrtbb::testing::append_lines(lines, file.input, file.path, file.text);
  return lines;
}

TEST(SmallFiles, RecordsKeepTheirInputsAndLineNumbersForEverySetting) {
  const std::vector<Line> expected = reference_lines();
  for_every_setting([&](const Options& options) {
    tbb::enumerable_thread_specific<std::vector<Line>> seen;
    const auto job = mrtbb::record_job<std::string, int>([&](const mrtbb::Record& record, auto&) {
      seen.local().push_back(
          {record.input, std::string(record.path), record.line, std::string(record.text)});
    });
    const auto result = on_changed_tree(
        options, [&](const Options& o) { return mrtbb::run_file_job(job, {tree().root()}, o); });
    std::vector<Line> all;
    for (const auto& local : seen)
      all.insert(all.end(), local.begin(), local.end());
    std::sort(all.begin(), all.end(), [](const Line& a, const Line& b) {
      return std::tie(a.input, a.line) < std::tie(b.input, b.line);
    });
    EXPECT_EQ(all, expected);
    expect_the_sequential_report(result);
  });
}

// A job whose values for each word are the paths of the pieces it was found in.
auto paths_of_each_word_job() {
  return mrtbb::text_job<std::string, std::string>(
      [](const mrtbb::TextSegment& segment, auto& emitter) {
        for (const auto& word : mrtbb::testing::split_blanks(segment.text))
          emitter.emit(word, std::string(segment.path));
      });
}

// Each word's values are the paths it was found in, with its place among the words of that path:
// input order exactly, also inside the growing file, which is read in many parts under one chunk.
TEST(SmallFiles, EachKeysValuesStayInInputOrderForEverySetting) {
  std::map<std::string, std::vector<std::string>> reference;
  for (const ReadFile& file : tree().read_files()) {
    for (const auto& word : mrtbb::testing::split_blanks(file.text))
      reference[word].push_back(file.path);
  }
  const std::vector<std::pair<std::string, std::vector<std::string>>> expected(reference.begin(),
                                                                               reference.end());
  const auto job = paths_of_each_word_job();
  for_every_setting([&](const Options& options) {
    const auto result = on_changed_tree(
        options, [&](const Options& o) { return mrtbb::run_file_job(job, {tree().root()}, o); });
    EXPECT_EQ(result.results, expected);
    expect_the_sequential_report(result);
  });
}

// Under ErrorPolicy::fail the job names the first input that failed, whichever thread read the
// inputs after it and however far it got.
TEST(SmallFiles, AFailingJobNamesTheFirstInputThatFailedForEverySetting) {
  const mrtbb::TextMapper map = mrtbb::make_tokenizer({.kind = mrtbb::TokenizerKind::whitespace});
  for_every_setting([&](const Options& options) {
    tree().restore();
    try {
      mrtbb::run_text_job({tree().root()}, map, options);
      ADD_FAILURE() << "the job did not fail";
    } catch (const mrtbb::InputError& error) {
      EXPECT_EQ(error.input(), tree().failing()[0]);
      EXPECT_TRUE(error.reason().starts_with("truncated gzip data")) << error.reason();
    }
  });
}

// Files in many directories are opened relative to their directory, opened once per run of them
// in a chunk. One directory is renamed once the job has listed it: its files fail, named by the
// paths they were listed with, in input order, and every other file is read as a sequential pass
// reads it.
TEST(SmallFiles, FilesInManyDirectoriesGiveTheSequentialResultsAndARenamedOnesFailByName) {
  TempDir dir("nested-small-files");
  const std::string root = (dir.path() / "n").string();
  std::map<std::string, std::vector<std::string>> reference;
  std::vector<std::string> in_renamed;
  std::uint32_t seed = 0;
  for (const std::string below : {"a", "b/c", "b/d", "e", "e/inner", "f"}) {
    for (int i = 0; i < 9; ++i, ++seed) {
      const std::string text = mrtbb::testing::generated_text(seed, 5 + seed * 13 % 90);
      const std::string path = dir.write("n/" + below + "/g" + std::to_string(i), text);
      if (below.starts_with('e')) {
        in_renamed.push_back(path);
        continue;
      }
      for (const auto& word : mrtbb::testing::split_blanks(text))
        reference[word].push_back(path);
    }
  }
  const std::vector<std::pair<std::string, std::vector<std::string>>> expected(reference.begin(),
                                                                               reference.end());
  const auto job = paths_of_each_word_job();
  Options base;
  base.on_input_error = ErrorPolicy::skip_and_report;
  bool renamed = false;
  base.on_progress = [&](const mrtbb::Progress&) {
    if (!std::exchange(renamed, true)) fs::rename(root + "/e", dir.path() / "e-moved");
  };
  for_every_setting(
      [&](const Options& options) {
        if (std::exchange(renamed, false)) fs::rename(dir.path() / "e-moved", root + "/e");
        const auto result = mrtbb::run_file_job(job, {root}, options);
        EXPECT_EQ(result.results, expected);
        ASSERT_EQ(result.failures.size(), in_renamed.size());
        for (std::size_t i = 0; i < in_renamed.size(); ++i) {
          EXPECT_EQ(result.failures[i].input, in_renamed[i]);
          EXPECT_EQ(result.failures[i].reason, "No such file or directory");
        }
        EXPECT_EQ(result.stats.inputs, 36u);
      },
      base);
}

}  // namespace
