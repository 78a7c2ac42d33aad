// A file found in a directory walk whose first 8 KiB (decompressed, for a compressed file) hold a
// NUL byte is binary: it is left out, named in the report, and the job counts what it counts
// without it. A file the user names is counted whatever it holds.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "mrtbb/mrtbb.hpp"
#include "support/compress.hpp"
#include "support/corpus.hpp"
#include "support/reference.hpp"
#include "support/reference_tokenizer.hpp"

namespace {

using mrtbb::Options;
using mrtbb::testing::TempDir;

constexpr std::size_t grains[] = {1, 7, 64, 4096, 0};

// Text with one NUL byte at `at` (and none elsewhere), `size` bytes long.
std::string text_with_nul_at(std::size_t at, std::size_t size, std::uint32_t seed) {
  std::string text = mrtbb::testing::generated_text(seed, size / 3);
  text.resize(size, ' ');
  std::replace(text.begin(), text.end(), '\0', ' ');
  text[at] = '\0';
  return text;
}

struct Tree {
  TempDir dir{"binary"};
  std::vector<std::string> texts;   // the files a walk counts
  std::vector<std::string> binary;  // the paths a walk leaves out
  std::vector<std::string> binary_texts;

  Tree() {
    add("a.txt", mrtbb::testing::generated_text(601, 900));
    // NUL just past the first 8 KiB: not binary.
    add("b-nul-at-8192.txt", text_with_nul_at(8192, 20000, 602));
    add_binary("c-nul-at-0.bin", text_with_nul_at(0, 3000, 603));
    add_binary("d-nul-at-8191.bin", text_with_nul_at(8191, 30000, 604));
    add_binary("e-tiny.bin", std::string(1, '\0'));
    // A compressed file is judged by its text: gzip's own bytes hold NULs, its text none.
    add("f-text.gz", mrtbb::testing::gzip(mrtbb::testing::generated_text(605, 900), 6, 2),
        mrtbb::testing::generated_text(605, 900));
    add_binary("g-binary.zst", mrtbb::testing::zstd(text_with_nul_at(5000, 9000, 606), 3, 2),
               text_with_nul_at(5000, 9000, 606));
    add("h.txt", mrtbb::testing::generated_text(607, 300));
  }

  void add(const std::string& name, const std::string& bytes) { add(name, bytes, bytes); }
  void add(const std::string& name, const std::string& bytes, const std::string& text) {
    dir.write("tree/" + name, bytes);
    dir.write("without-binary/" + name, bytes);
    texts.push_back(text);
  }
  void add_binary(const std::string& name, const std::string& bytes) {
    add_binary(name, bytes, bytes);
  }
  void add_binary(const std::string& name, const std::string& bytes, const std::string& text) {
    binary.push_back(dir.write("tree/" + name, bytes));
    binary_texts.push_back(text);
  }
  std::string tree() const { return (dir.path() / "tree").string(); }
  std::string without_binary() const { return (dir.path() / "without-binary").string(); }
};

TEST(BinaryInput, AWalkLeavesBinaryFilesOutAndNamesThem) {
  Tree tree;
  const mrtbb::TextMapper map = mrtbb::make_tokenizer({.kind = mrtbb::TokenizerKind::whitespace});
  const auto expected = mrtbb::testing::ordered_counts(
      mrtbb::testing::reference_word_counts(mrtbb::testing::Rule::whitespace, tree.texts));
  for (std::size_t workers = 1; workers <= 4; ++workers) {
    for (std::size_t grain : grains) {
      const Options options{.workers = workers, .grain = grain};
      const auto result = mrtbb::run_text_job({tree.tree()}, map, options);
      const auto without = mrtbb::run_text_job({tree.without_binary()}, map, options);
      ASSERT_EQ(result.results, expected) << "workers=" << workers << " grain=" << grain;
      ASSERT_EQ(without.results, expected);
      // Left out, they are not counted as inputs or bytes read either.
      EXPECT_EQ(result.stats.inputs, without.stats.inputs);
      EXPECT_EQ(result.stats.bytes, without.stats.bytes);
      EXPECT_TRUE(result.failures.empty());
      ASSERT_EQ(result.skipped.size(), tree.binary.size());
      for (std::size_t i = 0; i < tree.binary.size(); ++i) {
        EXPECT_EQ(result.skipped[i].path, tree.binary[i]);
        EXPECT_EQ(result.skipped[i].reason, mrtbb::binary_file_reason);
      }
    }
  }
}

TEST(BinaryInput, BinaryFilesNamedOnTheCommandLineAreCounted) {
  Tree tree;
  const mrtbb::TextMapper map = mrtbb::make_tokenizer({.kind = mrtbb::TokenizerKind::whitespace});
  const auto expected = mrtbb::testing::ordered_counts(
      mrtbb::testing::reference_word_counts(mrtbb::testing::Rule::whitespace, tree.binary_texts));
  for (std::size_t grain : grains) {
    const auto result = mrtbb::run_text_job(tree.binary, map, {.workers = 2, .grain = grain});
    ASSERT_EQ(result.results, expected) << "grain=" << grain;
    EXPECT_EQ(result.stats.inputs, tree.binary.size());
    EXPECT_TRUE(result.skipped.empty());
  }
}

TEST(BinaryInput, JobsOverRecordsLeaveThemOutToo) {
  Tree tree;
  const auto job =
      mrtbb::record_job<std::string, std::uint64_t>([](const mrtbb::Record& record, auto& emitter) {
        emitter.emit(std::string(record.text), record.line);
      }).combine_with(mrtbb::Sum{});
  for (std::size_t grain : grains) {
    const auto result = mrtbb::run_file_job(job, {tree.tree()}, {.workers = 3, .grain = grain});
    const auto without =
        mrtbb::run_file_job(job, {tree.without_binary()}, {.workers = 3, .grain = grain});
    ASSERT_EQ(result.results, without.results) << "grain=" << grain;
    EXPECT_EQ(result.skipped.size(), tree.binary.size());
  }
}

}  // namespace
