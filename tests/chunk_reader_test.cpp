// The reader must hand out every byte of every input exactly once, in order, cut only where the
// map function's boundary rule allows (ASCII whitespace by default), with the line context a
// continued line needs, in reads of a full grain whatever size a file was listed or opened with.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "mrtbb/core/errors.hpp"
#include "mrtbb/pipeline/chunk_reader.hpp"
#include "mrtbb/pipeline/inputs.hpp"
#include "support/corpus.hpp"
#include "support/reference.hpp"

namespace {

using mrtbb::Chunk;
using mrtbb::ChunkReader;
using mrtbb::ErrorPolicy;
using mrtbb::InputFailure;
using mrtbb::InputFile;

struct Fixture {
  mrtbb::testing::TempDir dir{"reader"};
  std::vector<std::string> contents;
  std::vector<InputFile> inputs;

  void add(const std::string& content) {
    const auto path = dir.write("f" + std::to_string(contents.size()), content);
    contents.push_back(content);
    inputs.push_back({path, content.size()});
  }
};

void add_varied_inputs(Fixture& f) {
  f.add(mrtbb::testing::generated_text(1, 400));
  f.add("");
  f.add("no final newline, and a last word");
  f.add("one line that is rather long " + std::string(300, 'w') + " and goes on without a break");
  f.add(std::string(5000, 'x'));  // one token longer than most grains
  f.add("   \n\n\t  ");
  f.add(mrtbb::testing::generated_text(2, 3000));
}

TEST(ChunkReader, HandsOutEveryByteOnceCutOnlyAtWhitespace) {
  Fixture f;
  add_varied_inputs(f);
  for (std::size_t grain : {1, 2, 3, 4, 5, 6, 7, 13, 64, 1000, 70000, 1 << 22}) {
    std::vector<InputFailure> failures;
    ChunkReader reader(f.inputs, grain, ErrorPolicy::fail, failures);
    std::vector<std::string> rebuilt(f.inputs.size());
    std::vector<std::size_t> pieces_of(f.inputs.size(), 0);
    Chunk chunk;
    std::uint64_t expected_index = 0;
    while (reader.next(chunk)) {
      ASSERT_EQ(chunk.index, expected_index++);
      ASSERT_FALSE(chunk.pieces.empty());
      for (const auto& piece : chunk.pieces) {
        const auto segment = chunk.segment(piece);
        ASSERT_FALSE(segment.text.empty());
        std::string& so_far = rebuilt[segment.input];
        // A piece continues a line exactly when the text before it did not end with a line feed.
        const bool continues = !so_far.empty() && so_far.back() != '\n';
        ASSERT_EQ(segment.starts_mid_line, continues) << "grain " << grain;
        if (continues) {
          const std::size_t line_start =
              so_far.rfind('\n') == std::string::npos ? 0 : so_far.rfind('\n') + 1;
          const std::string line_so_far = so_far.substr(line_start);
          ASSERT_EQ(std::string(segment.line_head),
                    line_so_far.substr(0, mrtbb::AsciiWhitespaceBoundary::max_line_head));
          ASSERT_TRUE(mrtbb::testing::is_blank(so_far.back()));
        }
        so_far += segment.text;
        ++pieces_of[segment.input];
      }
    }
    ASSERT_TRUE(failures.empty());
    for (std::size_t i = 0; i < f.inputs.size(); ++i) {
      ASSERT_EQ(rebuilt[i], f.contents[i]) << "input " << i << " grain " << grain;
    }
    EXPECT_EQ(reader.bytes_read(), [&] {
      std::uint64_t total = 0;
      for (const auto& c : f.contents)
        total += c.size();
      return total;
    }());
    EXPECT_EQ(reader.inputs_read(), f.inputs.size());
  }
}

TEST(ChunkReader, LineHeadIsCappedForVeryLongLines) {
  Fixture f;
  std::string line;
  for (int i = 0; i < 3000; ++i)
    line += "word" + std::to_string(i) + " ";
  f.add(line + "\nnext line\n");
  std::vector<InputFailure> failures;
  ChunkReader reader(f.inputs, 100, ErrorPolicy::fail, failures);
  Chunk chunk;
  std::size_t continued = 0;
  while (reader.next(chunk)) {
    for (const auto& piece : chunk.pieces) {
      const auto segment = chunk.segment(piece);
      if (!segment.starts_mid_line) continue;
      ++continued;
      ASSERT_LE(segment.line_head.size(), mrtbb::AsciiWhitespaceBoundary::max_line_head);
      ASSERT_EQ(std::string(segment.line_head), line.substr(0, segment.line_head.size()));
    }
  }
  EXPECT_GT(continued, 100u);
}

// With SmallFiles::hand_out, runs of files listed smaller than the grain come out unread, as
// ranges, each together listed with at most a grain (or a single file); a reader over the range
// reads them whole. Between them, every byte of every input is handed out once, in order, whatever
// the grain and however wrong the listed sizes.
TEST(ChunkReader, HandsOutRunsOfSmallFilesThatAReaderOverTheirRangeReads) {
  Fixture f;
  add_varied_inputs(f);
  add_varied_inputs(f);
  for (std::size_t grain : {1, 2, 7, 64, 1000, 4000, 70000, 1 << 22}) {
    for (const auto listed : {0.0, 1.0, 3.0}) {
      std::vector<InputFile> inputs = f.inputs;
      for (auto& input : inputs)
        input.size = static_cast<std::uint64_t>(static_cast<double>(input.size) * listed);
      std::vector<InputFailure> failures;
      ChunkReader reader(inputs, grain, ErrorPolicy::fail, failures,
                         *mrtbb::ascii_whitespace_boundary(), mrtbb::LineNumbering::off,
                         mrtbb::SmallFiles::hand_out);
      std::vector<std::string> rebuilt(inputs.size());
      std::size_t handed_out = 0;
      std::uint64_t expected_index = 0;
      Chunk chunk;
      const auto take = [&](const Chunk& from) {
        for (const auto& piece : from.pieces)
          rebuilt[piece.input] += from.segment(piece).text;
      };
      while (reader.next(chunk)) {
        ASSERT_EQ(chunk.index, expected_index++);
        if (chunk.small_files.empty()) {
          for (const auto& piece : chunk.pieces)
            ASSERT_GE(inputs[piece.input].size, grain) << "a small file read by the serial stage";
          take(chunk);
          continue;
        }
        ASSERT_TRUE(chunk.pieces.empty());
        const auto [first, last] = chunk.small_files;
        std::uint64_t listed_bytes = 0;
        for (std::size_t i = first; i < last; ++i) {
          ASSERT_LT(inputs[i].size, grain);
          listed_bytes += inputs[i].size;
        }
        ASSERT_TRUE(last - first == 1 || listed_bytes <= grain) << "grain " << grain;
        handed_out += last - first;
        ChunkReader part(inputs, chunk.small_files, grain, ErrorPolicy::fail, failures,
                         *mrtbb::ascii_whitespace_boundary(), mrtbb::LineNumbering::off);
        Chunk read;
        while (part.next(read))
          take(read);
        ASSERT_EQ(part.inputs_read(), last - first);
      }
      ASSERT_EQ(rebuilt, f.contents) << "grain " << grain << ", listed x" << listed;
      if (listed == 0.0) {
        EXPECT_EQ(handed_out, inputs.size());
      }
      EXPECT_TRUE(failures.empty());
    }
  }
}

TEST(ChunkReader, ListedSizesOnlyGuideReading) {
  // A file can grow or shrink between listing and reading: whatever size was listed, every byte
  // there is when it is read is handed out, once.
  Fixture f;
  add_varied_inputs(f);
  for (std::size_t grain : {7, 1000, 1 << 20}) {
    for (const auto listed : {0.0, 0.5, 1.0, 3.0}) {
      std::vector<InputFile> inputs = f.inputs;
      for (auto& input : inputs)
        input.size = static_cast<std::uint64_t>(static_cast<double>(input.size) * listed) + 1;
      std::vector<InputFailure> failures;
      ChunkReader reader(inputs, grain, ErrorPolicy::fail, failures);
      std::vector<std::string> rebuilt(inputs.size());
      Chunk chunk;
      while (reader.next(chunk)) {
        for (const auto& piece : chunk.pieces)
          rebuilt[piece.input] += chunk.segment(piece).text;
      }
      ASSERT_EQ(rebuilt, f.contents) << "grain " << grain << ", listed x" << listed;
    }
  }
}

// Reads the first chunk, lets `change` rewrite the file, then reads the rest; returns all that was
// handed out.
template <class Change>
std::string read_while_changing(ChunkReader& reader, Change change) {
  std::string handed_out;
  Chunk chunk;
  bool first = true;
  while (reader.next(chunk)) {
    for (const auto& piece : chunk.pieces)
      handed_out += chunk.segment(piece).text;
    if (first) change();
    first = false;
  }
  return handed_out;
}

TEST(ChunkReader, AFileThatGrowsWhileReadIsReadInFullReadsAndNamed) {
  Fixture f;
  const std::string start = mrtbb::testing::generated_text(5, 100000);
  const std::string more = mrtbb::testing::generated_text(6, 300000);
  f.add(start);
  constexpr std::size_t grain = 64 << 10;
  std::vector<InputFailure> failures;
  ChunkReader reader(f.inputs, grain, ErrorPolicy::fail, failures);
  const std::string handed_out = read_while_changing(
      reader, [&] { std::ofstream(f.inputs[0].path, std::ios::app | std::ios::binary) << more; });
  EXPECT_EQ(handed_out, start + more);
  // A read per chunk, and one more for what a cut gave back: never a byte per read once the size
  // the file was opened with is used up.
  EXPECT_LE(reader.read_calls(), 2 * (handed_out.size() / grain) + 4);
  ASSERT_EQ(reader.warnings().size(), 1u);
  EXPECT_EQ(reader.warnings()[0].input, f.inputs[0].path);
  EXPECT_NE(reader.warnings()[0].message.find("changed size while it was read"), std::string::npos)
      << reader.warnings()[0].message;
  EXPECT_TRUE(failures.empty());
}

TEST(ChunkReader, AFileThatShrinksWhileReadIsNamed) {
  Fixture f;
  const std::string text = mrtbb::testing::generated_text(7, 100000);
  f.add(text);
  constexpr std::size_t kept = 100000;
  std::vector<InputFailure> failures;
  ChunkReader reader(f.inputs, 4096, ErrorPolicy::fail, failures);
  const std::string handed_out =
      read_while_changing(reader, [&] { std::filesystem::resize_file(f.inputs[0].path, kept); });
  EXPECT_EQ(handed_out, text.substr(0, kept));
  ASSERT_EQ(reader.warnings().size(), 1u);
  EXPECT_EQ(reader.warnings()[0].input, f.inputs[0].path);
}

TEST(ChunkReader, FilesThatKeepTheirSizeGiveNoWarning) {
  Fixture f;
  add_varied_inputs(f);
  std::vector<InputFailure> failures;
  ChunkReader reader(f.inputs, 100, ErrorPolicy::fail, failures);
  read_while_changing(reader, [] {});
  EXPECT_TRUE(reader.warnings().empty());
}

// Cuts after commas only, and keeps the line's first piece as its line head.
class AfterCommas final : public mrtbb::ChunkBoundary {
 public:
  std::size_t last_cut(std::string_view, std::string_view text, std::size_t) const override {
    const std::size_t comma = text.rfind(',');
    return comma == std::string_view::npos ? 0 : comma + 1;
  }
  void extend_line_head(std::string& line_head, std::string_view text) const override {
    if (line_head.empty()) line_head = text.substr(0, 3);
  }
};

TEST(ChunkReader, CutsInsideALineWhereTheBoundaryRuleSays) {
  Fixture f;
  std::string line;
  for (int i = 0; i < 2000; ++i)
    line += "item" + std::to_string(i) + ",";
  f.add(line + "\nnext,line\n" + line);
  AfterCommas rule;
  std::vector<InputFailure> failures;
  ChunkReader reader(f.inputs, 50, ErrorPolicy::fail, failures, rule);
  Chunk chunk;
  std::string rebuilt;
  while (reader.next(chunk)) {
    ASSERT_LE(chunk.buffer.size(), 50u);
    for (const auto& piece : chunk.pieces) {
      const auto segment = chunk.segment(piece);
      ASSERT_TRUE(segment.text.back() == ',' || segment.text.back() == '\n' ||
                  rebuilt.size() + segment.text.size() == f.contents[0].size());
      if (segment.starts_mid_line) {
        ASSERT_EQ(segment.line_head, "ite");
      }
      rebuilt += segment.text;
    }
  }
  EXPECT_EQ(rebuilt, f.contents[0]);
}

class Throwing final : public mrtbb::ChunkBoundary {
 public:
  std::size_t last_cut(std::string_view, std::string_view, std::size_t) const override {
    throw std::runtime_error("rule broke");
  }
  void extend_line_head(std::string&, std::string_view) const override {}
};

TEST(ChunkReader, ABoundaryRuleThatThrowsIsACallbackErrorNamingTheInput) {
  Fixture f;
  f.add(std::string(1000, 'x'));
  Throwing rule;
  std::vector<InputFailure> failures;
  ChunkReader reader(f.inputs, 10, ErrorPolicy::fail, failures, rule);
  Chunk chunk;
  try {
    reader.next(chunk);
    FAIL() << "expected a CallbackError";
  } catch (const mrtbb::CallbackError& error) {
    EXPECT_EQ(error.callback(), "ChunkBoundary::last_cut");
    EXPECT_NE(std::string(error.what()).find(f.inputs[0].path), std::string::npos);
    EXPECT_THROW(std::rethrow_if_nested(error), std::runtime_error);
  }
}

class PastTheEnd final : public mrtbb::ChunkBoundary {
 public:
  std::size_t last_cut(std::string_view, std::string_view text, std::size_t) const override {
    return text.size() + 1;
  }
  void extend_line_head(std::string&, std::string_view) const override {}
};

TEST(ChunkReader, ABoundaryRuleThatCutsPastItsTextIsALogicError) {
  Fixture f;
  f.add(std::string(1000, 'x'));
  PastTheEnd rule;
  std::vector<InputFailure> failures;
  ChunkReader reader(f.inputs, 10, ErrorPolicy::fail, failures, rule);
  Chunk chunk;
  EXPECT_THROW(reader.next(chunk), std::logic_error);
}

TEST(ChunkReader, SmallFilesShareAChunk) {
  Fixture f;
  for (int i = 0; i < 50; ++i)
    f.add("file " + std::to_string(i) + "\n");
  std::vector<InputFailure> failures;
  ChunkReader reader(f.inputs, 1 << 20, ErrorPolicy::fail, failures);
  Chunk chunk;
  ASSERT_TRUE(reader.next(chunk));
  EXPECT_EQ(chunk.pieces.size(), 50u);
  EXPECT_FALSE(reader.next(chunk));
}

TEST(ChunkReader, LargeFileSpreadsOverManyChunks) {
  Fixture f;
  f.add(mrtbb::testing::generated_text(3, 20000));
  std::vector<InputFailure> failures;
  ChunkReader reader(f.inputs, 4096, ErrorPolicy::fail, failures);
  Chunk chunk;
  std::size_t chunks = 0;
  while (reader.next(chunk)) {
    ++chunks;
    EXPECT_LE(chunk.buffer.size(), 4096u);
  }
  EXPECT_GE(chunks, f.contents[0].size() / 4096);
}

// A file that does not exist, listed before one that does.
void add_missing_then_present(Fixture& f) {
  f.add("present\n");
  f.inputs.insert(f.inputs.begin(), InputFile{(f.dir.path() / "absent.txt").string(), 0});
}

TEST(ChunkReader, MissingFileFailsWithPathAndReason) {
  Fixture f;
  add_missing_then_present(f);
  std::vector<InputFailure> failures;
  ChunkReader reader(f.inputs, 64, ErrorPolicy::fail, failures);
  Chunk chunk;
  try {
    reader.next(chunk);
    FAIL() << "expected InputError";
  } catch (const mrtbb::InputError& error) {
    EXPECT_EQ(error.input(), f.inputs[0].path);
    EXPECT_EQ(error.reason(), "No such file or directory");
  }
}

TEST(ChunkReader, MissingFileIsReportedAndSkipped) {
  Fixture f;
  add_missing_then_present(f);
  std::vector<InputFailure> failures;
  ChunkReader reader(f.inputs, 64, ErrorPolicy::skip_and_report, failures);
  Chunk chunk;
  ASSERT_TRUE(reader.next(chunk));
  EXPECT_EQ(chunk.buffer, "present\n");
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].input, f.inputs[0].path);
  EXPECT_EQ(failures[0].reason, "No such file or directory");
}

TEST(ChunkReader, ReadingADirectoryAsAFileIsAnError) {
  mrtbb::testing::TempDir dir("reader-dir");
  const std::vector<InputFile> inputs = {{dir.path().string(), 0}};
  std::vector<InputFailure> failures;
  ChunkReader reader(inputs, 64, ErrorPolicy::skip_and_report, failures);
  Chunk chunk;
  EXPECT_FALSE(reader.next(chunk));
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].reason, "Is a directory");
}

// Files found in a walk, as expand_inputs lists them (opened relative to their directory): "d/"
// holds `count` small files of one word each, "d/sub/" as many more.
struct WalkedTree {
  mrtbb::testing::TempDir dir{"reader-walk"};
  std::vector<std::string> contents;
  std::vector<InputFile> inputs;

  explicit WalkedTree(std::size_t count) {
    for (const std::string below : {"d/", "d/sub/"}) {
      for (std::size_t i = 0; i < count; ++i) {
        contents.push_back("word" + std::to_string(contents.size()) + (i % 2 ? "\n" : ""));
        dir.write(below + "f" + std::to_string(10 + i), contents.back());
      }
    }
    std::vector<InputFailure> failures;
    std::vector<mrtbb::SkippedInput> skipped;
    inputs = mrtbb::expand_inputs({root()}, ErrorPolicy::fail, failures, skipped);
  }
  std::string root() const { return (dir.path() / "d").string(); }
};

// Reads the first chunk, lets `change` change the tree, then reads on; returns what each input
// gave, by its place in the list.
template <class Change>
std::vector<std::string> read_walk_while_changing(ChunkReader& reader, std::size_t inputs,
                                                  Change change) {
  std::vector<std::string> rebuilt(inputs);
  Chunk chunk;
  bool first = true;
  while (reader.next(chunk)) {
    for (const auto& piece : chunk.pieces)
      rebuilt[piece.input] += chunk.segment(piece).text;
    if (std::exchange(first, false)) change();
  }
  return rebuilt;
}

TEST(ChunkReader, WalkedFilesOfOneSizeCostOneReadEachAndNoWarning) {
  // Read whole into the chunk with one read that asks a byte more than the file holds, whatever
  // room the chunk has left: no second read to see the end, no warning.
  WalkedTree tree(8);
  for (std::size_t grain : {1, 3, 7, 16, 64, 1 << 20}) {
    std::vector<InputFailure> failures;
    ChunkReader reader(tree.inputs, grain, ErrorPolicy::fail, failures);
    const auto rebuilt = read_walk_while_changing(reader, tree.inputs.size(), [] {});
    EXPECT_EQ(rebuilt, tree.contents) << "grain " << grain;
    EXPECT_EQ(reader.read_calls(), tree.inputs.size()) << "grain " << grain;
    EXPECT_TRUE(reader.warnings().empty());
  }
}

TEST(ChunkReader, AWalkedDirectoryRenamedWhileItsFilesAreReadGivesTheListedFilesOrFails) {
  // "d/" was opened for its first file: the files listed in it are the ones read, named by their
  // listed paths. "d/sub/" is looked up after the rename, by its path: its files fail, by name.
  WalkedTree tree(6);
  std::vector<InputFailure> failures;
  ChunkReader reader(tree.inputs, 1, ErrorPolicy::skip_and_report, failures);
  const auto rebuilt = read_walk_while_changing(reader, tree.inputs.size(), [&] {
    std::filesystem::rename(tree.root(), tree.dir.path() / "moved");
  });
  ASSERT_EQ(failures.size(), 6u);
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(rebuilt[i], tree.contents[i]);
    EXPECT_EQ(rebuilt[6 + i], "");
    EXPECT_EQ(failures[i].input, tree.inputs[6 + i].path);
    EXPECT_EQ(failures[i].reason, "No such file or directory");
  }
}

TEST(ChunkReader, WalkedFilesOfADirectoryRemovedWhileTheyAreReadFailByTheirPaths) {
  for (std::size_t grain : {1, 8, 1 << 20}) {
    WalkedTree tree(6);
    std::vector<InputFailure> failures;
    ChunkReader reader(tree.inputs, grain, ErrorPolicy::skip_and_report, failures);
    std::size_t read_before_removal = 0;
    const auto rebuilt = read_walk_while_changing(reader, tree.inputs.size(), [&] {
      read_before_removal = reader.inputs_read();
      std::filesystem::remove_all(tree.root());
    });
    ASSERT_EQ(failures.size(), tree.inputs.size() - read_before_removal) << "grain " << grain;
    for (std::size_t i = 0; i < failures.size(); ++i) {
      const std::size_t input = read_before_removal + i;
      EXPECT_EQ(failures[i].input, tree.inputs[input].path);
      EXPECT_EQ(failures[i].reason, "No such file or directory");
      EXPECT_EQ(rebuilt[input], "");
    }
    for (std::size_t input = 0; input < read_before_removal; ++input)
      EXPECT_EQ(rebuilt[input], tree.contents[input]);
  }
}

}  // namespace
