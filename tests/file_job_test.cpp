// A file job must give what a plain sequential pass over the same files gives, for every worker
// count and grain: the records its map function sees, each key's values in input order, combined,
// reduced, filtered and ordered results; retried pieces leave no trace; failures name their input
// and line.

#include <gtest/gtest.h>

#include <oneapi/tbb/enumerable_thread_specific.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "mrtbb/mrtbb.hpp"
#include "support/corpus.hpp"
#include "support/reference.hpp"

namespace {

using mrtbb::ErrorPolicy;
using mrtbb::Options;
using mrtbb::Record;
using mrtbb::TextSegment;
using mrtbb::testing::Line;
using mrtbb::testing::TempDir;

constexpr std::size_t grains[] = {1, 2, 3, 5, 8, 64, 4096, 0};

// Calls check(options) for workers 1-4 and every grain, stopping at the first failing setting. The
// two partition strategies take turns, so that each meets every worker count and every grain.
template <class Check>
void for_every_setting(Check check, Options base = {}) {
  for (std::size_t workers = 1; workers <= 4; ++workers) {
    for (std::size_t g = 0; g < std::size(grains); ++g) {
      const std::size_t grain = grains[g];
      const bool shared_map = (workers + g) % 2 == 1;
      SCOPED_TRACE("workers=" + std::to_string(workers) + " grain=" + std::to_string(grain) +
                   (shared_map ? " concurrent_hash_map" : " hash_partitioned"));
      Options options = base;
      options.workers = workers;
      options.grain = grain;
      options.partition = shared_map ? mrtbb::PartitionStrategy::concurrent_hash_map
                                     : mrtbb::PartitionStrategy::hash_partitioned;
      check(options);
      if (::testing::Test::HasFailure()) return;
    }
  }
}

// ---- inputs and the sequential reference ---------------------------------------------------

// Lines of TAB-separated fields drawn from a small vocabulary with empty fields, non-UTF-8 bytes,
// lone CRs inside lines, CRLF and LF endings, empty lines and now and then a long line.
std::string generated_lines(std::uint32_t seed, std::size_t lines) {
  static const std::vector<std::string> fields = {"alpha",    "beta",     "",     "gamma",
                                                  "\xff\xfe", "καλημέρα", "x\ry", "delta",
                                                  "e",        "\x80",     "12",   "-7"};
  std::mt19937 rng(seed);
  std::string text;
  for (std::size_t i = 0; i < lines; ++i) {
    const std::size_t count = rng() % 5;
    for (std::size_t f = 0; f < count; ++f) {
      if (f != 0) text += '\t';
      text += fields[rng() % fields.size()];
    }
    if (rng() % 40 == 0) text += "\t" + std::string(150 + rng() % 300, 'w');
    text += rng() % 4 == 0 ? "\r\n" : "\n";
  }
  if (seed % 2 == 1) text += "last\tline\twithout\tLF";
  return text;
}

struct Input {
  std::string path;  // as the job names it
  std::string text;
};

// Files written under a temporary directory; `inputs` lists them in the job's order of inputs.
struct Corpus {
  TempDir dir{"filejob"};
  std::vector<std::string> args;  // what the job is given
  std::vector<Input> inputs;

  void add(const std::string& relative, const std::string& text) {
    inputs.push_back({dir.write(relative, text), text});
  }
};

// A directory walked in byte order of names, with generated and hand-written tricky files, and a
// file named on its own after it.
void fill(Corpus& c) {
  c.add("tree/a.txt", generated_lines(1, 400));
  c.add("tree/b/crlf.txt", "x\r\n\r\n\ry\r\rz\r\n\n\xff\xfe key\tv\r\n\tempty key\n\r");
  c.add("tree/b/empty.txt", "");
  c.add("tree/b/no-final-lf.txt", "one\ttwo\nthree");
  c.add("tree/c/long.txt", "short\n" + std::string(5000, 'L') + "\tlong\nend\n");
  c.add("tree/only-newlines", "\n\n\n");
  c.add("tree/z.tsv", generated_lines(2, 250));
  c.add("single.txt", generated_lines(3, 300));
  c.args = {(c.dir.path() / "tree").string(), (c.dir.path() / "single.txt").string()};
}

const Corpus& corpus() {
  static Corpus made;
  static const bool filled = (fill(made), true);
  (void)filled;
  return made;
}

std::vector<Line> reference_lines(const std::vector<Input>& inputs) {
  std::vector<Line> lines;
  for (std::size_t i = 0; i < inputs.size(); ++i)
    mrtbb::testing::append_lines(lines, i, inputs[i].path, inputs[i].text);
  return lines;
}

std::vector<std::string> tab_fields(std::string_view text) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (std::size_t tab; (tab = text.find('\t', start)) != std::string_view::npos; start = tab + 1)
    fields.emplace_back(text.substr(start, tab - start));
  fields.emplace_back(text.substr(start));
  return fields;
}

// Runs `run()` with standard input read from `path`, then puts standard input back.
template <class Run>
auto with_stdin_from(const std::string& path, Run run) {
  const int saved = ::dup(STDIN_FILENO);
  const int fd = ::open(path.c_str(), O_RDONLY);
  EXPECT_GE(fd, 0);
  ::dup2(fd, STDIN_FILENO);
  ::close(fd);
  auto result = run();
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
  return result;
}

// ---- 1. records ------------------------------------------------------------------------------

// Every record the map function is handed, collected per thread and put in (input, line) order.
std::vector<Line> records_seen(const std::vector<std::string>& args, const Options& options) {
  tbb::enumerable_thread_specific<std::vector<Line>> seen;
  const auto job = mrtbb::record_job<std::string, int>([&](const Record& record, auto&) {
    seen.local().push_back(
        {record.input, std::string(record.path), record.line, std::string(record.text)});
  });
  const auto result = mrtbb::run_file_job(job, args, options);
  EXPECT_TRUE(result.results.empty());
  std::vector<Line> all;
  for (const auto& local : seen)
    all.insert(all.end(), local.begin(), local.end());
  std::sort(all.begin(), all.end(), [](const Line& a, const Line& b) {
    return std::tie(a.input, a.line) < std::tie(b.input, b.line);
  });
  return all;
}

TEST(FileJobRecords, AreTheSequentialSplitOfTheFilesForEverySetting) {
  const auto expected = reference_lines(corpus().inputs);
  for_every_setting(
      [&](const Options& options) { EXPECT_EQ(records_seen(corpus().args, options), expected); });
}

TEST(FileJobRecords, FromStdinAreNamedDash) {
  const Corpus& c = corpus();
  const std::vector<Input> as_stdin = {{"-", c.inputs[1].text}};
  const auto expected = reference_lines(as_stdin);
  for_every_setting([&](const Options& options) {
    EXPECT_EQ(with_stdin_from(c.inputs[1].path, [&] { return records_seen({"-"}, options); }),
              expected);
  });
}

TEST(FileJobRecords, HandWrittenEdgesSplitAsSpecified) {
  TempDir dir("records");
  const std::string path = dir.write("f", "a\r\nb\rc\n\r\n\n\rd\r");
  const std::vector<Line> expected = {{0, path, 1, "a"},
                                      {0, path, 2, "b\rc"},
                                      {0, path, 3, ""},
                                      {0, path, 4, ""},
                                      {0, path, 5, "\rd\r"}};
  for_every_setting(
      [&](const Options& options) { EXPECT_EQ(records_seen({path}, options), expected); });
}

// A generic map function is called with records only: it need not compile for a TextSegment.
TEST(FileJobRecords, AGenericMapFunctionGetsRecords) {
  std::map<std::string, std::uint64_t> expected_lines;
  for (const Line& line : reference_lines(corpus().inputs))
    expected_lines[line.path] = line.line;
  const std::vector<std::pair<std::string, std::uint64_t>> expected(expected_lines.begin(),
                                                                    expected_lines.end());
  const auto job =
      mrtbb::record_job<std::string, std::uint64_t>([](const auto& record, auto& emitter) {
        emitter.emit(record.path, record.line);
      }).combine_with([](std::uint64_t a, std::uint64_t b) { return std::max(a, b); });
  for_every_setting([&](const Options& options) {
    EXPECT_EQ(mrtbb::run_file_job(job, corpus().args, options).results, expected);
  });
}

// ---- 2. jobs without a combiner --------------------------------------------------------------

struct Position {
  std::string path;
  std::uint64_t line = 0;
  std::size_t field = 0;
  friend bool operator==(const Position&, const Position&) = default;
};

// Every TAB field of every line (empty ones too) is a key; its values are where it was found.
std::map<std::string, std::vector<Position>> reference_positions(const std::vector<Input>& inputs) {
  std::map<std::string, std::vector<Position>> positions;
  for (const Line& line : reference_lines(inputs)) {
    const auto fields = tab_fields(line.text);
    for (std::size_t f = 0; f < fields.size(); ++f)
      positions[fields[f]].push_back({line.path, line.line, f + 1});
  }
  return positions;
}

const auto emit_field_positions = [](const Record& record, auto& emitter) {
  const auto fields = tab_fields(record.text);
  for (std::size_t f = 0; f < fields.size(); ++f)
    emitter.emit(fields[f], Position{std::string(record.path), record.line, f + 1});
};

TEST(FileJobValueLists, KeepEachKeysValuesInInputOrder) {
  const auto reference = reference_positions(corpus().inputs);
  const std::vector<std::pair<std::string, std::vector<Position>>> expected(reference.begin(),
                                                                            reference.end());
  const auto job = mrtbb::record_job<std::string, Position>(emit_field_positions);
  for_every_setting([&](const Options& options) {
    const auto result = mrtbb::run_file_job(job, corpus().args, options);
    EXPECT_EQ(result.results, expected);
    EXPECT_EQ(result.stats.inputs, corpus().inputs.size());
    EXPECT_EQ(result.stats.distinct, expected.size());
  });
}

std::string joined(const std::vector<Position>& positions) {
  std::string text;
  for (const Position& p : positions)
    text += p.path + ":" + std::to_string(p.line) + ":" + std::to_string(p.field) + ";";
  return text;
}

TEST(FileJobValueLists, ReduceSeesTheValuesInInputOrder) {
  std::vector<std::pair<std::string, std::string>> expected;
  for (const auto& [key, positions] : reference_positions(corpus().inputs))
    expected.emplace_back(key, joined(positions));
  const auto job = mrtbb::record_job<std::string, Position>(emit_field_positions)
                       .reduce_with([](const std::string&, std::vector<Position>&& positions) {
                         return joined(positions);
                       });
  for_every_setting([&](const Options& options) {
    EXPECT_EQ(mrtbb::run_file_job(job, corpus().args, options).results, expected);
  });
}

// A text job: each blank-separated word, with the path it was found in and its place among the
// words of that path's pieces, which are cut differently for every grain; so the value is the
// path alone, and the order of a key's values is the order of the words in the inputs.
TEST(FileJobValueLists, TextJobKeepsValuesInInputOrder) {
  std::map<std::string, std::vector<std::string>> reference;
  for (const Input& input : corpus().inputs) {
    for (const auto& word : mrtbb::testing::split_blanks(input.text))
      reference[word].push_back(input.path);
  }
  const std::vector<std::pair<std::string, std::vector<std::string>>> expected(reference.begin(),
                                                                               reference.end());
  const auto job =
      mrtbb::text_job<std::string, std::string>([](const TextSegment& segment, auto& emitter) {
        for (const auto& word : mrtbb::testing::split_blanks(segment.text))
          emitter.emit(word, std::string(segment.path));
      });
  for_every_setting([&](const Options& options) {
    EXPECT_EQ(mrtbb::run_file_job(job, corpus().args, options).results, expected);
  });
}

// ---- 3. jobs with a combiner -----------------------------------------------------------------

struct Stats {
  std::uint64_t count = 0;
  std::uint64_t bytes = 0;
  std::uint64_t longest = 0;
  friend bool operator==(const Stats&, const Stats&) = default;
};

void merge_stats(Stats& into, Stats&& from) {
  into.count += from.count;
  into.bytes += from.bytes;
  into.longest = std::max(into.longest, from.longest);
}

// Per first field of a line (the key, possibly empty): its lines, their bytes and the longest.
std::map<std::string, Stats> reference_stats() {
  std::map<std::string, Stats> stats;
  for (const Line& line : reference_lines(corpus().inputs)) {
    merge_stats(stats[tab_fields(line.text)[0]], {1, line.text.size(), line.text.size()});
  }
  return stats;
}

const auto emit_line_stats = [](const Record& record, auto& emitter) {
  const std::uint64_t size = record.text.size();
  emitter.emit(record.text.substr(0, record.text.find('\t')), Stats{1, size, size});
};

TEST(FileJobCombiners, InPlaceFoldGivesTheReferenceStats) {
  const auto reference = reference_stats();
  const std::vector<std::pair<std::string, Stats>> expected(reference.begin(), reference.end());
  const auto job = mrtbb::record_job<std::string, Stats>(emit_line_stats).combine_with(merge_stats);
  for_every_setting([&](const Options& options) {
    EXPECT_EQ(mrtbb::run_file_job(job, corpus().args, options).results, expected);
  });
}

TEST(FileJobCombiners, ValueReturningFoldAndReduceToAnotherType) {
  std::vector<std::pair<std::string, std::string>> expected;
  for (const auto& [key, stats] : reference_stats())
    expected.emplace_back(key, std::to_string(stats.count) + "/" + std::to_string(stats.bytes));
  const auto job = mrtbb::record_job<std::string, Stats>(emit_line_stats)
                       .combine_with([](Stats a, Stats b) {
                         merge_stats(a, std::move(b));
                         return a;
                       })
                       .reduce_with([](const std::string&, Stats&& stats) {
                         return std::to_string(stats.count) + "/" + std::to_string(stats.bytes);
                       });
  for_every_setting([&](const Options& options) {
    EXPECT_EQ(mrtbb::run_file_job(job, corpus().args, options).results, expected);
  });
}

// Keys that are not strings: a line's length, and (field count, first field) pairs.
TEST(FileJobCombiners, NonStringKeys) {
  std::map<std::int64_t, std::uint64_t> by_length;
  std::map<std::pair<std::int64_t, std::string>, std::uint64_t> by_shape;
  for (const Line& line : reference_lines(corpus().inputs)) {
    const auto fields = tab_fields(line.text);
    ++by_length[static_cast<std::int64_t>(line.text.size()) - 3];
    by_shape[{static_cast<std::int64_t>(fields.size()), fields[0]}] += line.line;
  }
  const std::vector<std::pair<std::int64_t, std::uint64_t>> expected_lengths(by_length.begin(),
                                                                             by_length.end());
  const std::vector<std::pair<std::pair<std::int64_t, std::string>, std::uint64_t>> expected_shapes(
      by_shape.begin(), by_shape.end());
  const auto add = [](std::uint64_t a, std::uint64_t b) { return a + b; };
  const auto lengths =
      mrtbb::record_job<std::int64_t, std::uint64_t>([](const Record& record, auto& emitter) {
        emitter.emit(static_cast<std::int64_t>(record.text.size()) - 3, 1);
      }).combine_with(add);
  const auto shapes =
      mrtbb::record_job<std::pair<std::int64_t, std::string>, std::uint64_t>(
          [](const Record& record, auto& emitter) {
            const auto fields = tab_fields(record.text);
            emitter.emit({static_cast<std::int64_t>(fields.size()), fields[0]}, record.line);
          })
          .combine_with(mrtbb::Sum{});
  for_every_setting([&](const Options& options) {
    EXPECT_EQ(mrtbb::run_file_job(lengths, corpus().args, options).results, expected_lengths);
    EXPECT_EQ(mrtbb::run_file_job(shapes, corpus().args, options).results, expected_shapes);
  });
}

// The count job (CountTable) over records: each distinct field and how often it occurs.
TEST(FileJobCombiners, CountJobOverRecords) {
  std::map<std::string, std::uint64_t> counts;
  for (const auto& [key, positions] : reference_positions(corpus().inputs))
    counts[key] = positions.size();
  const std::vector<std::pair<std::string, std::uint64_t>> expected(counts.begin(), counts.end());
  const auto job =
      mrtbb::record_job<std::string, std::uint64_t>([](const Record& record, auto& emitter) {
        for (const auto& field : tab_fields(record.text))
          emitter.emit(field, 1);
      }).combine_with(mrtbb::Sum{});
  for_every_setting([&](const Options& options) {
    EXPECT_EQ(mrtbb::run_file_job(job, corpus().args, options).results, expected);
  });
}

// Most lines first, ties by key: a total order.
const auto more_lines_first = [](const auto& a, const auto& b) {
  return a.second.count != b.second.count ? a.second.count > b.second.count : a.first < b.first;
};

TEST(FileJobCombiners, KeepIfOrderByAndTop) {
  const auto reference = reference_stats();
  std::vector<std::pair<std::string, Stats>> ordered(reference.begin(), reference.end());
  std::sort(ordered.begin(), ordered.end(), more_lines_first);
  std::vector<std::pair<std::string, Stats>> kept;
  for (const auto& entry : ordered) {
    if (entry.second.bytes % 2 == 0) kept.push_back(entry);
  }
  const auto even_bytes = [](const std::pair<std::string, Stats>& e) {
    return e.second.bytes % 2 == 0;
  };
  const auto job = mrtbb::record_job<std::string, Stats>(emit_line_stats).combine_with(merge_stats);
  for_every_setting([&](const Options& options) {
    EXPECT_EQ(mrtbb::run_file_job(job.order_by(more_lines_first), corpus().args, options).results,
              ordered);
    EXPECT_EQ(mrtbb::run_file_job(job.keep_if(even_bytes).order_by(more_lines_first), corpus().args,
                                  options)
                  .results,
              kept);
    for (const std::size_t k :
         {std::size_t{1}, std::size_t{3}, ordered.size(), ordered.size() + 5}) {
      const auto top = mrtbb::run_file_job(job.top(k, more_lines_first), corpus().args, options);
      const std::vector<std::pair<std::string, Stats>> expected(
          ordered.begin(),
          ordered.begin() + static_cast<std::ptrdiff_t>(std::min(k, ordered.size())));
      EXPECT_EQ(top.results, expected) << "k=" << k;
      EXPECT_EQ(top.stats.distinct, ordered.size());
    }
    // top(k) alone keeps the first k keys in byte order.
    const auto first_keys = mrtbb::run_file_job(job.top(2), corpus().args, options);
    EXPECT_EQ(first_keys.results, (std::vector<std::pair<std::string, Stats>>(
                                      reference.begin(), std::next(reference.begin(), 2))));
  });
}

// Filter, order and top over a job without a combiner, with a reduce.
TEST(FileJobValueLists, KeepIfAndTopAfterAReduce) {
  std::vector<std::pair<std::string, std::size_t>> expected;
  for (const auto& [key, positions] : reference_positions(corpus().inputs)) {
    if (!key.empty()) expected.emplace_back(key, positions.size());
  }
  const auto most_first = [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  };
  std::sort(expected.begin(), expected.end(), most_first);
  expected.resize(std::min<std::size_t>(expected.size(), 4));
  const auto job =
      mrtbb::record_job<std::string, Position>(emit_field_positions)
          .reduce_with([](const std::string&, std::vector<Position>&& positions) {
            return positions.size();
          })
          .keep_if([](const std::pair<std::string, std::size_t>& e) { return !e.first.empty(); })
          .top(4, most_first);
  for_every_setting([&](const Options& options) {
    EXPECT_EQ(mrtbb::run_file_job(job, corpus().args, options).results, expected);
  });
}

// Values need only be movable: no copy, no default constructor.
class Tally {
 public:
  explicit Tally(std::uint64_t n) : n_(std::make_unique<std::uint64_t>(n)) {}
  void add(Tally&& other) { *n_ += *other.n_; }
  std::uint64_t value() const { return *n_; }

 private:
  std::unique_ptr<std::uint64_t> n_;
};

TEST(FileJobCombiners, MoveOnlyValuesWithoutADefaultConstructor) {
  std::map<std::string, std::uint64_t> bytes;
  std::map<std::string, std::vector<std::uint64_t>> lines;
  for (const Line& line : reference_lines(corpus().inputs)) {
    const std::string key = tab_fields(line.text)[0];
    bytes[key] += line.text.size();
    lines[key].push_back(line.line);
  }
  const std::vector<std::pair<std::string, std::uint64_t>> expected_bytes(bytes.begin(),
                                                                          bytes.end());
  const auto folded =
      mrtbb::record_job<std::string, Tally>([](const Record& record, auto& emitter) {
        emitter.emit(record.text.substr(0, record.text.find('\t')), Tally(record.text.size()));
      }).combine_with([](Tally& into, Tally&& from) { into.add(std::move(from)); });
  const auto listed =
      mrtbb::record_job<std::string, Tally>([](const Record& record, auto& emitter) {
        emitter.emit(record.text.substr(0, record.text.find('\t')), Tally(record.line));
      });
  for_every_setting([&](const Options& options) {
    const auto sums = mrtbb::run_file_job(folded, corpus().args, options);
    std::vector<std::pair<std::string, std::uint64_t>> got;
    for (const auto& [key, tally] : sums.results)
      got.emplace_back(key, tally.value());
    EXPECT_EQ(got, expected_bytes);
    const auto lists = mrtbb::run_file_job(listed, corpus().args, options);
    std::map<std::string, std::vector<std::uint64_t>> got_lines;
    for (const auto& [key, tallies] : lists.results) {
      for (const Tally& tally : tallies)
        got_lines[key].push_back(tally.value());
    }
    EXPECT_EQ(got_lines, lines);
  });
}

// ---- 4. retries and map failures -------------------------------------------------------------

class InjectedFault : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
class Poisoned : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The try being made on this thread, as told to the on_map_task observer just before it.
struct Try {
  std::uint64_t chunk = 0;
  std::size_t attempt = 0;
  std::string input;
};
thread_local Try current_try;
std::atomic<std::uint64_t> injected{0};

// About one piece in three, picked by its chunk and input.
bool unlucky(const Try& t) {
  std::uint64_t h = t.chunk * 0x9E3779B97F4A7C15ULL ^ std::hash<std::string>{}(t.input);
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ULL;
  return (h >> 32) % 3 == 0;
}

Options with_faults(Options base, std::size_t attempts = 3) {
  base.retry.attempts = attempts;
  base.on_map_task = [](const mrtbb::MapTaskInfo& info) {
    current_try = {info.chunk, info.attempt, info.input};
  };
  return base;
}

// Passes every pair on; on the first try of an unlucky piece, throws right after its first pair,
// so that the try has emitted something that must be discarded.
template <class Emitter>
class FaultyEmitter {
 public:
  explicit FaultyEmitter(Emitter& emitter) : emitter_(emitter) {}
  template <class Key, class Value>
  void emit(Key&& key, Value&& value) {
    emitter_.emit(std::forward<Key>(key), std::forward<Value>(value));
    if (current_try.attempt == 1 && unlucky(current_try)) {
      ++injected;
      throw InjectedFault("injected fault");
    }
  }

 private:
  Emitter& emitter_;
};

template <class Map>
auto faulty_records(Map map) {
  return [map](const Record& record, auto& emitter) {
    FaultyEmitter faulty(emitter);
    map(record, faulty);
  };
}
template <class Map>
auto faulty_text(Map map) {
  return [map](const TextSegment& segment, auto& emitter) {
    FaultyEmitter faulty(emitter);
    map(segment, faulty);
  };
}

// Runs `job` with injected faults under every setting and expects the fault-free `expected` and
// `pairs` emitted (a failed try's pairs are not counted), with every injected fault a retry.
template <class Job, class Expected>
void expect_fault_free(const Job& job, const Expected& expected, std::uint64_t pairs,
                       ErrorPolicy on_map_error) {
  std::uint64_t retried = 0;
  for_every_setting([&](const Options& options) {
    Options faulty = with_faults(options);
    faulty.on_map_error = on_map_error;
    injected = 0;
    const auto result = mrtbb::run_file_job(job, corpus().args, faulty);
    EXPECT_EQ(result.results, expected);
    EXPECT_TRUE(result.map_failures.empty());
    EXPECT_EQ(result.stats.retries, injected.load());
    EXPECT_EQ(result.stats.tokens, pairs);
    retried += result.stats.retries;
  });
  EXPECT_GT(retried, 0u);
}

TEST(FileJobRetries, RecordValueListsAreTheFaultFreeOnes) {
  const auto reference = reference_positions(corpus().inputs);
  const std::vector<std::pair<std::string, std::vector<Position>>> expected(reference.begin(),
                                                                            reference.end());
  std::uint64_t pairs = 0;
  for (const auto& [key, positions] : reference)
    pairs += positions.size();
  const auto job = mrtbb::record_job<std::string, Position>(faulty_records(emit_field_positions));
  expect_fault_free(job, expected, pairs, ErrorPolicy::fail);
  expect_fault_free(job, expected, pairs, ErrorPolicy::skip_and_report);
}

TEST(FileJobRetries, RecordFoldsAreTheFaultFreeOnes) {
  const auto reference = reference_stats();
  const std::vector<std::pair<std::string, Stats>> expected(reference.begin(), reference.end());
  const auto job = mrtbb::record_job<std::string, Stats>(faulty_records(emit_line_stats))
                       .combine_with(merge_stats);
  expect_fault_free(job, expected, reference_lines(corpus().inputs).size(), ErrorPolicy::fail);
}

TEST(FileJobRetries, TextValueListsAndCountsAreTheFaultFreeOnes) {
  std::map<std::string, std::vector<std::string>> paths;
  std::map<std::string, std::uint64_t> counts;
  std::uint64_t words = 0;
  for (const Input& input : corpus().inputs) {
    for (const auto& word : mrtbb::testing::split_blanks(input.text)) {
      paths[word].push_back(input.path);
      ++counts[word];
      ++words;
    }
  }
  const auto emit_word_paths = [](const TextSegment& segment, auto& emitter) {
    for (const auto& word : mrtbb::testing::split_blanks(segment.text))
      emitter.emit(word, std::string(segment.path));
  };
  const auto emit_words = [](const TextSegment& segment, auto& emitter) {
    for (const auto& word : mrtbb::testing::split_blanks(segment.text))
      emitter.emit(word, std::uint64_t{1});
  };
  expect_fault_free(
      mrtbb::text_job<std::string, std::string>(faulty_text(emit_word_paths)),
      std::vector<std::pair<std::string, std::vector<std::string>>>(paths.begin(), paths.end()),
      words, ErrorPolicy::fail);
  const std::vector<std::pair<std::string, std::uint64_t>> expected_counts(counts.begin(),
                                                                           counts.end());
  expect_fault_free(mrtbb::text_job<std::string, std::uint64_t>(faulty_text(emit_words))
                        .combine_with([](std::uint64_t a, std::uint64_t b) { return a + b; }),
                    expected_counts, words, ErrorPolicy::fail);
  expect_fault_free(mrtbb::text_job<std::string, std::uint64_t>(faulty_text(emit_words))
                        .combine_with(mrtbb::Sum{}),
                    expected_counts, words, ErrorPolicy::fail);
}

// Generated files, and two files with a line that fails on every try.
struct PoisonedCorpus {
  TempDir dir{"poisoned"};
  std::vector<std::string> args;
  std::map<std::string, std::uint64_t> lines;           // of each clean file
  std::map<std::string, std::uint64_t> poisoned_line;   // of each poisoned file
  std::map<std::string, std::uint64_t> poisoned_lines;  // all the lines of each poisoned file

  PoisonedCorpus() {
    for (std::uint32_t i = 0; i < 4; ++i) {
      const std::string text = generated_lines(40 + i, 100);
      const std::string path = dir.write("in/" + std::to_string(i) + ".tsv", text);
      lines[path] = reference_lines({{path, text}}).size();
    }
    poison("in/p1.tsv", "ok\nok too\nPOISON here\nafter\n", 3);
    poison("in/p2.tsv", "POISON\n", 1);
    args = {(dir.path() / "in").string()};
  }

 private:
  void poison(const std::string& relative, const std::string& text, std::uint64_t line) {
    const std::string path = dir.write(relative, text);
    poisoned_line[path] = line;
    poisoned_lines[path] = reference_lines({{path, text}}).size();
  }
};

// Counts each file's lines; a line holding POISON throws after its pair, on every try.
const auto count_lines_unless_poisoned = [](const Record& record, auto& emitter) {
  emitter.emit(record.path, std::uint64_t{1});
  if (record.text.find("POISON") != std::string_view::npos) throw Poisoned("poisoned line");
};

TEST(FileJobMapFailures, ArePiecesLeftOutAndNamedByPathAndLine) {
  const PoisonedCorpus corpus;
  const auto job = mrtbb::record_job<std::string, std::uint64_t>(count_lines_unless_poisoned)
                       .combine_with([](std::uint64_t a, std::uint64_t b) { return a + b; });
  for (const std::size_t attempts : {1, 2}) {
    for_every_setting(
        [&](const Options& options) {
          const auto result = mrtbb::run_file_job(job, corpus.args, options);
          ASSERT_EQ(result.map_failures.size(), 2u);
          for (const mrtbb::MapFailure& failure : result.map_failures) {
            ASSERT_TRUE(corpus.poisoned_line.contains(failure.input)) << failure.input;
            const std::string line =
                "line " + std::to_string(corpus.poisoned_line.at(failure.input));
            EXPECT_NE(failure.reason.find(line), std::string::npos) << failure.reason;
            EXPECT_EQ(failure.attempts, attempts);
            EXPECT_THROW(std::rethrow_exception(failure.error), Poisoned);
          }
          for (const auto& [path, count] : result.results) {
            if (corpus.lines.contains(path)) {
              EXPECT_EQ(count, corpus.lines.at(path)) << path;
            } else {
              // The poisoned line never counts; the lines that shared its piece do not either.
              EXPECT_LT(count, corpus.poisoned_lines.at(path)) << path;
            }
          }
        },
        Options{.retry = {.attempts = attempts}, .on_map_error = ErrorPolicy::skip_and_report});
  }
}

TEST(FileJobMapFailures, FailTheJobWithAMapErrorNestingTheOriginal) {
  TempDir dir("poisoned-alone");
  const std::string path = dir.write("p.tsv", "ok\nok too\nPOISON here\nafter\n");
  const auto job = mrtbb::record_job<std::string, std::uint64_t>(count_lines_unless_poisoned);
  for (const std::size_t attempts : {1, 3}) {
    for_every_setting(
        [&](const Options& options) {
          try {
            mrtbb::run_file_job(job, {path}, options);
            ADD_FAILURE() << "no MapError";
          } catch (const mrtbb::MapError& error) {
            EXPECT_EQ(error.input(), path);
            EXPECT_NE(std::string(error.what()).find("line 3"), std::string::npos) << error.what();
            EXPECT_THROW(std::rethrow_if_nested(error), Poisoned);
          }
        },
        Options{.retry = {.attempts = attempts}});
  }
}

// The retry predicate sees the map function's own exception, so it can pick by type: injected
// faults are retried, poisoned lines are not.
TEST(FileJobMapFailures, RetryPredicatesSeeTheMapFunctionsExceptionTypes) {
  const PoisonedCorpus corpus;
  const auto job =
      mrtbb::record_job<std::string, std::uint64_t>(faulty_records(count_lines_unless_poisoned))
          .combine_with([](std::uint64_t a, std::uint64_t b) { return a + b; });
  Options base = with_faults({}, 4);
  base.on_map_error = ErrorPolicy::skip_and_report;
  base.retry.retryable = [](const std::exception_ptr& error) {
    try {
      std::rethrow_exception(error);
    } catch (const InjectedFault&) {
      return true;
    } catch (...) {
      return false;
    }
  };
  for_every_setting(
      [&](const Options& options) {
        const auto result = mrtbb::run_file_job(job, corpus.args, options);
        ASSERT_EQ(result.map_failures.size(), 2u);
        for (const mrtbb::MapFailure& failure : result.map_failures) {
          EXPECT_TRUE(corpus.poisoned_line.contains(failure.input)) << failure.input;
          EXPECT_THROW(std::rethrow_exception(failure.error), Poisoned);
        }
        for (const auto& [path, count] : result.results) {
          if (corpus.lines.contains(path)) {
            EXPECT_EQ(count, corpus.lines.at(path)) << path;
          }
        }
      },
      base);
}

// ---- 5. errors of the other callbacks and of inputs ------------------------------------------

// The CallbackError in the chain of exceptions nested in `error` (itself included), or null.
const mrtbb::CallbackError* callback_error_in(const std::exception& error) {
  if (const auto* found = dynamic_cast<const mrtbb::CallbackError*>(&error)) return found;
  try {
    std::rethrow_if_nested(error);
  } catch (const std::exception& inner) {
    return callback_error_in(inner);
  }
  return nullptr;
}

// One key, emitted once per line: with grain 1 each line is a piece of its own, so the combiner
// runs while tables are absorbed or combined, not inside the map function.
TEST(FileJobErrors, ACombinerThatThrowsIsNamed) {
  TempDir dir("combiner");
  const std::string path = dir.write("f", "a\nb\nc\nd\ne\nf\n");
  const auto job = mrtbb::record_job<std::string, int>([](const Record&, auto& emitter) {
                     emitter.emit("key", 1);
                   }).combine_with([](int&, int&&) { throw std::logic_error("no folding"); });
  for_every_setting([&](const Options& options) {
    try {
      mrtbb::run_file_job(job, {path}, options);
      ADD_FAILURE() << "the combiner's exception was lost";
    } catch (const mrtbb::Error& error) {
      const mrtbb::CallbackError* named = callback_error_in(error);
      ASSERT_NE(named, nullptr) << error.what();
      EXPECT_EQ(named->callback(), "the job's combiner");
      EXPECT_THROW(std::rethrow_if_nested(*named), std::logic_error);
    }
  });
}

TEST(FileJobErrors, AReduceThatThrowsIsAReduceError) {
  const auto job = mrtbb::record_job<std::string, Position>(emit_field_positions)
                       .reduce_with([](const std::string& key, std::vector<Position>&&) -> int {
                         if (key == "gamma") throw std::logic_error("no gamma");
                         return 0;
                       });
  for_every_setting([&](const Options& options) {
    try {
      mrtbb::run_file_job(job, corpus().args, options);
      ADD_FAILURE() << "no ReduceError";
    } catch (const mrtbb::ReduceError& error) {
      EXPECT_NE(std::string(error.what()).find("no gamma"), std::string::npos) << error.what();
      EXPECT_THROW(std::rethrow_if_nested(error), std::logic_error);
    }
  });
}

TEST(FileJobErrors, AFilterThatThrowsIsNamed) {
  const auto job = mrtbb::record_job<std::string, Stats>(emit_line_stats)
                       .combine_with(merge_stats)
                       .keep_if([](const std::pair<std::string, Stats>&) -> bool {
                         throw std::logic_error("no filter");
                       });
  try {
    mrtbb::run_file_job(job, corpus().args, {.workers = 2});
    ADD_FAILURE() << "no CallbackError";
  } catch (const mrtbb::CallbackError& error) {
    EXPECT_EQ(error.callback(), "the job's filter");
  }
}

TEST(FileJobErrors, AMissingInputIsReportedAndTheOthersAreRead) {
  const std::string missing = (corpus().dir.path() / "no-such-file").string();
  std::vector<std::string> args = corpus().args;
  args.insert(args.begin() + 1, missing);
  const auto expected = reference_lines(corpus().inputs).size();
  const auto job = mrtbb::record_job<std::string, std::uint64_t>([](const Record&, auto& emitter) {
                     emitter.emit("lines", 1);
                   }).combine_with(mrtbb::Sum{});
  for_every_setting(
      [&](const Options& options) {
        const auto result = mrtbb::run_file_job(job, args, options);
        ASSERT_EQ(result.failures.size(), 1u);
        EXPECT_EQ(result.failures[0].input, missing);
        ASSERT_EQ(result.results.size(), 1u);
        EXPECT_EQ(result.results[0].second, expected);
      },
      Options{.on_input_error = ErrorPolicy::skip_and_report});
  EXPECT_THROW(mrtbb::run_file_job(job, args), mrtbb::InputError);
}

// ---- 6. memory of jobs over records ----------------------------------------------------------

TEST(FileJobMemory, ALineLongerThanTheGrainIsOneRecordInOneChunk) {
  TempDir dir("long-line");
  const std::size_t size = 20u << 20;
  const std::string path = dir.write("long", std::string(size, 'x') + "\nshort\n");
  const auto job =
      mrtbb::record_job<std::string, std::uint64_t>([](const Record& record, auto& emitter) {
        emitter.emit(std::to_string(record.line), record.text.size());
      }).combine_with(mrtbb::Sum{});
  const Options options{.workers = 2, .grain = 4096};
  const auto result = mrtbb::run_file_job(job, {path}, options);
  const std::vector<std::pair<std::string, std::uint64_t>> expected = {{"1", size}, {"2", 5}};
  EXPECT_EQ(result.results, expected);
  EXPECT_GE(result.stats.largest_chunk, size);
  EXPECT_LE(result.stats.largest_chunk, size + 2 * options.grain);
}

TEST(FileJobMemory, ShortLinesKeepChunksNearTheGrain) {
  TempDir dir("short-lines");
  std::string text;
  std::size_t longest = 0;
  for (std::uint32_t i = 0; text.size() < (1u << 20); ++i) {
    const std::string line(i * 7919 % 300, 'a' + static_cast<char>(i % 26));
    longest = std::max(longest, line.size() + 1);
    text += line + "\n";
  }
  const std::string path = dir.write("short", text);
  const auto job = mrtbb::record_job<std::string, std::uint64_t>([](const Record&, auto& emitter) {
                     emitter.emit("lines", 1);
                   }).combine_with(mrtbb::Sum{});
  for (const std::size_t workers : {1, 4}) {
    const Options options{.workers = workers, .grain = 4096};
    const auto result = mrtbb::run_file_job(job, {path}, options);
    EXPECT_EQ(result.results[0].second, reference_lines({{path, text}}).size());
    EXPECT_LT(result.stats.largest_chunk, 2 * options.grain + longest);
    EXPECT_GT(result.stats.chunks, text.size() / (2 * options.grain));
  }
}

}  // namespace
