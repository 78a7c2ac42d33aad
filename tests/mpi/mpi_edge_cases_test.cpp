// Jobs across ranks at the edges: no inputs, empty and tiny inputs, more ranks than lines, CRLF
// where shares meet, FIFOs, repeated and missing paths, extreme round sizes and top k, keys on one
// owner, retries, and failures that happen on one rank only (a Serializer, a combiner, the order)
// or in the options. Each job must give on rank 0 what mrtbb::run_file_job gives on one process, or
// throw on every rank; none may leave a rank waiting. Run under mpiexec with 1 to 4 ranks (ctest).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mrtbb/mpi.hpp>
#include <mrtbb/mrtbb.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "mpi/mpi_test_support.hpp"
#include "support/compress.hpp"
#include "support/corpus.hpp"

// A value whose Serializer fails for some values, as a user's type may: `write` for poison_write,
// `read` for poison_read.
struct Fragile {
  std::uint64_t n = 0;
  friend bool operator==(const Fragile&, const Fragile&) = default;
};

inline constexpr std::uint64_t poison_write = 1'000'003;
inline constexpr std::uint64_t poison_read = 2'000'003;

template <>
struct mrtbb::Serializer<Fragile> {
  static void write(std::string& out, const Fragile& value) {
    if (value.n == poison_write) throw std::runtime_error("Fragile cannot be written");
    Serializer<std::uint64_t>::write(out, value.n);
  }
  static Fragile read(std::string_view& in) {
    const std::uint64_t n = Serializer<std::uint64_t>::read(in);
    if (n == poison_read) throw std::runtime_error("Fragile cannot be read");
    return Fragile{n};
  }
};

// A result with no default constructor: jobs on one process allow it, and so must jobs across
// ranks.
struct Labelled {
  explicit Labelled(std::string text) : label(std::move(text)) {}
  std::string label;
  friend bool operator==(const Labelled&, const Labelled&) = default;
};

template <>
struct mrtbb::Serializer<Labelled> {
  static void write(std::string& out, const Labelled& value) {
    Serializer<std::string>::write(out, value.label);
  }
  static Labelled read(std::string_view& in) { return Labelled(Serializer<std::string>::read(in)); }
};

namespace {

using mrtbb::testing::describe;
using mrtbb::testing::expect_same_as_one_process;
using mrtbb::testing::expect_same_report;
using mrtbb::testing::MpiSetting;
using mrtbb::testing::SharedDir;
namespace mpi = mrtbb::mpi;
using namespace std::chrono_literals;

const mpi::Communicator world;

// Runs one test's jobs on another thread and waits a bounded time: a rank left blocked in a
// collective ends the whole run (MPI_Abort) with a message instead of hanging it.
template <class Body>
void within_bounded_time(const char* what, Body body) {
  auto done = std::async(std::launch::async, std::move(body));
  if (done.wait_for(150s) == std::future_status::timeout) {
    std::fprintf(stderr, "rank %d: %s: still blocked after 150 s, aborting\n", world.rank(), what);
    std::fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, 3);
  }
  done.get();
}

// Every rank's `mine`, on every rank.
std::vector<int> from_every_rank(int mine) {
  std::vector<int> all(static_cast<std::size_t>(world.size()));
  MPI_Allgather(&mine, 1, MPI_INT, all.data(), 1, MPI_INT, world.handle());
  return all;
}

const std::vector<MpiSetting> settings = {{1, 1, 1}, {2, 7, 100}, {2, 0, std::size_t{64} << 20}};

using Place = std::pair<std::uint64_t, std::uint64_t>;  // Record::input, Record::line

// Each line by its text, with where it was (in input order, no combiner): a share that starts at
// the wrong byte, numbers its lines wrongly or keeps a CR of a CRLF shows here.
auto lines_job() {
  return mrtbb::record_job<std::string, Place>([](const mrtbb::Record& record, auto& emitter) {
    emitter.emit(record.text, Place{record.input, record.line});
  });
}

// Words (split at ASCII whitespace) counted.
auto words_job() {
  return mrtbb::text_job<std::string, std::uint64_t>(
             [](const mrtbb::TextSegment& segment, auto& emitter) {
               std::string_view text = segment.text;
               while (!text.empty()) {
                 const std::size_t start = text.find_first_not_of(" \t\r\n\f\v");
                 if (start == std::string_view::npos) break;
                 text.remove_prefix(start);
                 const std::size_t end = std::min(text.find_first_of(" \t\r\n\f\v"), text.size());
                 emitter.emit(text.substr(0, end), std::uint64_t{1});
                 text.remove_prefix(end);
               }
             })
      .combine_with(mrtbb::Sum{});
}

template <class Job>
void expect_both_jobs_same_as_one_process(const Job& records,
                                          const std::vector<std::string>& paths) {
  expect_same_as_one_process(records, paths, settings);
  expect_same_as_one_process(words_job(), paths, settings);
}

TEST(MpiEdgeCases, NoInputsOnlyEmptyFilesAndAnEmptyDirectory) {
  within_bounded_time("no inputs", [] {
    SharedDir dir("mpi-edge-empty");
    const std::string empty_a = dir.write("empty-a", "");
    const std::string empty_b = dir.write("empty-b", "");
    const std::string nested_empty = dir.write("nested/deeper/empty-c", "");
    dir.ready();
    std::filesystem::path empty_dir = std::filesystem::path(dir.at("empty-dir"));
    if (world.is_root()) std::filesystem::create_directories(empty_dir);
    dir.ready();
    for (const std::vector<std::string>& paths :
         {std::vector<std::string>{}, std::vector<std::string>{empty_a},
          std::vector<std::string>{empty_a, empty_b, empty_a},
          std::vector<std::string>{empty_dir.string()},
          std::vector<std::string>{empty_dir.string(), dir.at("nested"), empty_b}}) {
      expect_both_jobs_same_as_one_process(lines_job(), paths);
    }
  });
}

// Fewer bytes and lines than ranks, lines of nothing but a line feed, lines with no line feed, and
// one long line: some ranks get no share at all.
TEST(MpiEdgeCases, MoreRanksThanBytesOrLines) {
  within_bounded_time("tiny inputs", [] {
    SharedDir dir("mpi-edge-tiny");
    const std::vector<std::string> paths{
        dir.write("one-byte", "a"),         dir.write("lf", "\n"),
        dir.write("two-lines", "b\nc\n"),   dir.write("only-lfs", std::string(37, '\n')),
        dir.write("cr-lf", "\r\n"),         dir.write("long-line", std::string(9000, 'w') + " end"),
        dir.write("no-final-lf", "x\ny\nz")};
    dir.ready();
    for (const std::string& path : paths)
      expect_both_jobs_same_as_one_process(lines_job(), {path});
    expect_both_jobs_same_as_one_process(lines_job(), paths);
  });
}

// Lines of "ab\r\n" after a first line of 0 to 3 bytes: across those inputs, the byte where each
// rank's even share starts falls on every byte of a CRLF line, CR and LF included.
TEST(MpiEdgeCases, CrlfWhereSharesMeet) {
  within_bounded_time("crlf", [] {
    SharedDir dir("mpi-edge-crlf");
    std::vector<std::string> paths;
    for (int shift = 0; shift < 4; ++shift) {
      std::string text = std::string(static_cast<std::size_t>(shift), 's') + "\r\n";
      for (int line = 0; line < 60; ++line)
        text += "a" + std::to_string(line % 7) + "\r\n";
      paths.push_back(dir.write("crlf-" + std::to_string(shift), text));
    }
    dir.ready();
    for (const std::string& path : paths)
      expect_both_jobs_same_as_one_process(lines_job(), {path});
    expect_same_as_one_process(lines_job(), paths, settings);
  });
}

TEST(MpiEdgeCases, APathListedSeveralTimes) {
  within_bounded_time("repeated path", [] {
    SharedDir dir("mpi-edge-repeat");
    const std::string text = dir.write("text", mrtbb::testing::generated_text(5, 3000));
    const std::string small = dir.write("small", "one\ntwo\n");
    dir.ready();
    expect_both_jobs_same_as_one_process(lines_job(), {text, text, small, text, small});
  });
}

// Under skip_and_report a missing path listed twice is reported twice, as one process does; under
// fail rank 0 throws the InputError and every other rank a PeerError.
TEST(MpiEdgeCases, AMissingPathListedTwice) {
  within_bounded_time("missing path", [] {
    SharedDir dir("mpi-edge-missing");
    const std::string text = dir.write("text", mrtbb::testing::generated_text(6, 500));
    const std::string missing = dir.at("missing");
    dir.ready();
    const std::vector<std::string> paths{missing, text, missing};
    mrtbb::Options skipping{.on_input_error = mrtbb::ErrorPolicy::skip_and_report};
    expect_same_as_one_process(lines_job(), paths, settings, skipping);
    expect_same_as_one_process(words_job(), paths, settings, skipping);
    const auto want = mrtbb::run_file_job(words_job(), paths, skipping);
    EXPECT_EQ(want.failures.size(), 2u);

    int outcome = 0;
    try {
      mpi::run_file_job(words_job(), paths);
    } catch (const mpi::PeerError& e) {
      outcome = e.rank() == 0 ? 1 : 9;
    } catch (const mrtbb::InputError& e) {
      outcome = e.input() == missing ? 2 : 9;
    }
    const std::vector<int> outcomes = from_every_rank(outcome);
    for (int r = 0; r < world.size(); ++r)
      EXPECT_EQ(outcomes[static_cast<std::size_t>(r)], r == 0 ? 2 : 1) << "rank " << r;
  });
}

// A FIFO named by path is read by rank 0 (it can be read only once), with what is listed before it;
// the rest is shared as usual. The same text in a regular file is the reference.
TEST(MpiEdgeCases, AFifoGivenByPath) {
  within_bounded_time("fifo", [] {
    SharedDir dir("mpi-edge-fifo");
    const std::string content = mrtbb::testing::generated_text(7, 2000);
    const std::string before = dir.write("before", mrtbb::testing::generated_text(8, 1500));
    const std::string after = dir.write("after", mrtbb::testing::generated_text(9, 2500));
    const std::string regular = dir.write("regular", content);
    const std::string fifo = dir.at("fifo");
    const std::string walked = dir.write("walked/text", mrtbb::testing::generated_text(22, 500));
    if (world.is_root()) {
      EXPECT_EQ(::mkfifo(fifo.c_str(), 0600), 0) << std::strerror(errno);
      EXPECT_EQ(::mkfifo(dir.at("walked/fifo").c_str(), 0600), 0) << std::strerror(errno);
    }
    dir.ready();
    // Found in a directory walk, a FIFO is left out and reported as skipped, never opened.
    expect_both_jobs_same_as_one_process(lines_job(), {dir.at("walked")});

    const mrtbb::Options options{.workers = 2, .grain = 512};
    const auto want_lines = mrtbb::run_file_job(lines_job(), {before, regular, after}, options);
    const auto want_words = mrtbb::run_file_job(words_job(), {before, regular, after}, options);
    // Rank 0 writes the FIFO while it reads it; a writer that finds no reader in 60 s gives up.
    const auto feed = [&] {
      if (!world.is_root()) return std::future<bool>();
      return std::async(std::launch::async, [&] {
        for (int tries = 0; tries < 6000; ++tries) {
          const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
          if (fd < 0 && errno == ENXIO) {
            std::this_thread::sleep_for(10ms);
            continue;
          }
          if (fd < 0) return false;
          ::fcntl(fd, F_SETFL, 0);
          const bool written =
              ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
          ::close(fd);
          return written;
        }
        return false;
      });
    };
    auto feeding = feed();
    const auto got_lines = mpi::run_file_job(lines_job(), {before, fifo, after}, options);
    if (world.is_root()) {
      EXPECT_TRUE(feeding.get());
    }
    feeding = feed();
    const auto got_words = mpi::run_file_job(words_job(), {before, fifo, after}, options);
    if (world.is_root()) {
      EXPECT_TRUE(feeding.get());
    }

    if (world.is_root()) {
      EXPECT_EQ(got_lines.results, want_lines.results);
      EXPECT_EQ(got_words.results, want_words.results);
    }
    expect_same_report(got_lines, want_lines, "lines");
    expect_same_report(got_words, want_words, "words");
  });
}

// Lines that fail to map, left out under skip_and_report, in a file that every rank shares. At a
// grain of 1 byte each chunk of a job over records is one line on one process and across ranks
// alike, so the reports match entry for entry: input, chunk (counted over the whole job) and
// reason, which names the line.
TEST(MpiEdgeCases, MapFailuresAreReportedAsOnOneProcess) {
  within_bounded_time("map failures", [] {
    SharedDir dir("mpi-edge-map-failures");
    std::string text;
    for (int line = 1; line <= 400; ++line)
      text += (line % 37 == 0 ? "poison " : "fine ") + std::to_string(line % 11) + "\n";
    const std::string first = dir.write("first", text);
    const std::string second = dir.write("second", "fine\npoison\n" + text);
    dir.ready();
    const auto job = mrtbb::record_job<std::string, std::uint64_t>([](const mrtbb::Record& record,
                                                                      auto& emitter) {
                       if (record.text.starts_with("poison")) {
                         throw std::runtime_error("poisoned line");
                       }
                       emitter.emit(record.text, std::uint64_t{record.line});
                     }).combine_with([](std::uint64_t a, std::uint64_t b) { return a + b; });
    for (const std::size_t workers : {1, 2}) {
      const mrtbb::Options options{.workers = workers,
                                   .grain = 1,
                                   .retry = {.attempts = 2},
                                   .on_map_error = mrtbb::ErrorPolicy::skip_and_report};
      const auto want = mrtbb::run_file_job(job, {first, second}, options);
      const auto got = mpi::run_file_job(job, {first, second}, options);
      const std::string where = "workers " + std::to_string(workers);
      if (world.is_root()) {
        EXPECT_EQ(got.results, want.results) << where;
      }
      expect_same_report(got, want, where);
      ASSERT_EQ(got.map_failures.size(), want.map_failures.size()) << where;
      EXPECT_EQ(want.map_failures.size(), 2 * (400 / 37) + 1) << where;
      for (std::size_t i = 0; i < want.map_failures.size(); ++i) {
        EXPECT_EQ(got.map_failures[i].input, want.map_failures[i].input) << where;
        EXPECT_EQ(got.map_failures[i].position, want.map_failures[i].position) << where;
        EXPECT_EQ(got.map_failures[i].attempts, want.map_failures[i].attempts) << where;
      }
      EXPECT_EQ(got.stats.retries, want.stats.retries) << where;
      EXPECT_EQ(got.stats.chunks, want.stats.chunks) << where;
    }
  });
}

// The counts of run_text_job with its own options: the most frequent k, and a least count.
TEST(MpiEdgeCases, TextJobTopKAndMinCount) {
  within_bounded_time("text job options", [] {
    SharedDir dir("mpi-edge-text-job");
    const std::string text = dir.write("text", mrtbb::testing::generated_text(21, 5000));
    dir.ready();
    const mrtbb::TextMapper map = mrtbb::make_tokenizer({});
    for (const mrtbb::Options& options :
         {mrtbb::Options{.top_k = 1}, mrtbb::Options{.top_k = 5, .min_count = 40},
          mrtbb::Options{.top_k = 100000, .min_count = 2},
          mrtbb::Options{.min_count = 1'000'000}}) {
      const auto want = mrtbb::run_text_job({text}, map, options);
      const auto got = mpi::run_text_job({text}, map, options);
      if (world.is_root()) {
        EXPECT_EQ(got.results, want.results) << options.top_k << " " << options.min_count;
      }
      expect_same_report(got, want, "text job");
    }
  });
}

// Jobs on communicators other than MPI_COMM_WORLD: each half of the ranks (split by parity) runs a
// job of its own at the same time, and on MPI_COMM_SELF every rank runs one alone.
TEST(MpiEdgeCases, JobsOnOtherCommunicators) {
  within_bounded_time("communicators", [] {
    SharedDir dir("mpi-edge-communicators");
    const std::string a = dir.write("a", mrtbb::testing::generated_text(23, 3000));
    const std::string b = dir.write("b", mrtbb::testing::generated_text(24, 2000));
    dir.ready();
    MPI_Comm half_handle = MPI_COMM_NULL;
    MPI_Comm_split(world.handle(), world.rank() % 2, world.rank(), &half_handle);
    const mpi::Communicator half(half_handle);
    const std::vector<std::string> paths =
        world.rank() % 2 ? std::vector<std::string>{b, a} : std::vector<std::string>{a, b, a};
    for (const MpiSetting& setting : settings) {
      const mrtbb::Options options{.workers = setting.workers, .grain = setting.grain};
      const auto want = mrtbb::run_file_job(lines_job(), paths, options);
      const auto got =
          mpi::run_file_job(lines_job(), paths, options,
                            {.communicator = half, .shuffle_round_bytes = setting.round_bytes});
      if (half.is_root()) {
        EXPECT_EQ(got.results, want.results) << describe(setting);
      } else {
        EXPECT_TRUE(got.results.empty()) << describe(setting);
      }
      expect_same_report(got, want, describe(setting));
      const auto alone = mpi::run_file_job(words_job(), paths, options,
                                           {.communicator = mpi::Communicator(MPI_COMM_SELF)});
      EXPECT_EQ(alone.results, mrtbb::run_file_job(words_job(), paths, options).results);
    }
    MPI_Comm_free(&half_handle);
  });
}

// A round of at most one byte still moves every pair (each alone); none is an OptionsError on
// every rank, before any rank waits for another.
TEST(MpiEdgeCases, ExtremeRoundSizesAndBadOptions) {
  within_bounded_time("round sizes", [] {
    SharedDir dir("mpi-edge-rounds");
    const std::string text = dir.write("text", mrtbb::testing::generated_text(10, 4000));
    dir.ready();
    for (std::size_t round : {std::size_t{1}, std::size_t{2}, std::size_t{17}}) {
      const mrtbb::Options options{.workers = 2, .grain = 300};
      const auto want = mrtbb::run_file_job(words_job(), {text}, options);
      const auto got =
          mpi::run_file_job(words_job(), {text}, options, {.shuffle_round_bytes = round});
      if (world.is_root()) {
        EXPECT_EQ(got.results, want.results) << "round " << round;
      }
    }

    const auto failure_of = [&](const mrtbb::Options& options, std::size_t round) {
      try {
        mpi::run_file_job(words_job(), {text}, options, {.shuffle_round_bytes = round});
      } catch (const mrtbb::OptionsError&) {
        return 1;
      } catch (const mpi::PeerError&) {
        return 2;
      }
      return 0;
    };
    const std::vector<mrtbb::Options> bad_options{
        {.workers = mrtbb::max_workers + 1},
        {.grain = mrtbb::max_text_grain + 1},
        {.retry = {.attempts = 0}},
    };
    std::vector<int> outcomes{failure_of({}, 0)};
    for (const mrtbb::Options& options : bad_options)
      outcomes.push_back(failure_of(options, 1));
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
      // Every rank throws the OptionsError itself (no rank needs another to see it).
      for (int seen : from_every_rank(outcomes[i]))
        EXPECT_EQ(seen, 1) << "case " << i;
    }
  });
}

// top(k) with k of 1, 3 and more than the keys; a filter that drops everything; an order by result.
TEST(MpiEdgeCases, TopKAndFilters) {
  within_bounded_time("top k", [] {
    SharedDir dir("mpi-edge-top");
    const std::string text = dir.write("text", mrtbb::testing::generated_text(11, 5000));
    const std::string empty = dir.write("empty", "");
    dir.ready();
    const auto by_count = [](const std::pair<std::string, std::uint64_t>& a,
                             const std::pair<std::string, std::uint64_t>& b) {
      return std::tie(b.second, a.first) < std::tie(a.second, b.first);
    };
    for (std::size_t k : {std::size_t{1}, std::size_t{3}, std::size_t{100000}}) {
      expect_same_as_one_process(words_job().top(k), {text}, settings);
      expect_same_as_one_process(words_job().top(k, by_count), {text}, settings);
      expect_same_as_one_process(words_job().top(k, by_count), {empty}, settings);
    }
    const auto none = words_job().keep_if([](const auto&) { return false; });
    expect_same_as_one_process(none, {text}, settings);
    expect_same_as_one_process(none.top(2), {text}, settings);
    expect_same_as_one_process(lines_job().keep_if([](const auto&) { return false; }).top(1),
                               {text}, settings);
  });
}

// Values that are 256-entry histograms: each pair is larger than a small round, so the shuffle and
// the gather take many rounds.
TEST(MpiEdgeCases, LargeValuesOverManyRounds) {
  within_bounded_time("large values", [] {
    SharedDir dir("mpi-edge-large");
    const std::string text = dir.write("text", mrtbb::testing::generated_text(12, 6000));
    dir.ready();
    using Histogram = std::vector<std::uint64_t>;
    const auto job =
        mrtbb::record_job<std::string, Histogram>([](const mrtbb::Record& record, auto& emitter) {
          Histogram histogram(256, 0);
          for (unsigned char c : record.text)
            ++histogram[c];
          emitter.emit(record.text.substr(0, std::min<std::size_t>(record.text.size(), 2)),
                       std::move(histogram));
        }).combine_with([](Histogram& into, Histogram&& from) {
          for (std::size_t i = 0; i < into.size(); ++i)
            into[i] += from[i];
        });
    expect_same_as_one_process(job, {text}, settings);
    // Without a combiner every line's histogram travels, in input order.
    const auto all_values =
        mrtbb::record_job<std::uint64_t, Histogram>([](const mrtbb::Record& record, auto& emitter) {
          Histogram histogram(64, record.line);
          emitter.emit(std::uint64_t{record.text.size() % 3}, std::move(histogram));
        });
    expect_same_as_one_process(all_values, {text}, settings);
  });
}

// Every key on the last rank (a placement seed chosen for it): the other ranks send everything and
// own nothing.
TEST(MpiEdgeCases, AllKeysOnOneOwner) {
  within_bounded_time("one owner", [] {
    SharedDir dir("mpi-edge-owner");
    const std::string text = dir.write("text", mrtbb::testing::generated_text(13, 4000));
    dir.ready();
    const auto job = mrtbb::record_job<std::string, std::uint64_t>([](const mrtbb::Record& record,
                                                                      auto& emitter) {
                       emitter.emit(std::string_view(record.text.size() % 2 ? "odd" : "even"),
                                    std::uint64_t{record.line});
                     }).combine_with([](std::uint64_t a, std::uint64_t b) { return a ^ b; });
    const int last = world.size() - 1;
    mrtbb::HashSeed seed{1, 0};
    for (std::uint64_t tail = 1;; ++tail) {
      const mpi::KeyPlacement placement({1, tail}, world.size());
      if (placement.owner(std::string("odd")) == last &&
          placement.owner(std::string("even")) == last) {
        seed.tail = tail;
        break;
      }
    }
    const mrtbb::ScopedHashSeedForTesting seeded(seed);
    expect_same_as_one_process(job, {text}, settings);
    expect_same_as_one_process(lines_job(), {text}, settings);
  });
}

TEST(MpiEdgeCases, ConcurrentHashMapPartitioning) {
  within_bounded_time("concurrent hash map", [] {
    SharedDir dir("mpi-edge-chm");
    const std::string text = dir.write("text", mrtbb::testing::generated_text(14, 1500));
    dir.ready();
    const mrtbb::Options options{.partition = mrtbb::PartitionStrategy::concurrent_hash_map};
    expect_same_as_one_process(words_job(), {text}, settings, options);
    expect_same_as_one_process(lines_job(), {text}, settings, options);
  });
}

// A map task that fails its first try on every other chunk is tried again: the results are those of
// a job without failures.
TEST(MpiEdgeCases, RetriedMapTasksGiveTheSameResults) {
  within_bounded_time("retries", [] {
    SharedDir dir("mpi-edge-retry");
    const std::string text = dir.write("text", mrtbb::testing::generated_text(15, 4000));
    dir.ready();
    const mrtbb::Options options{
        .retry = {.attempts = 2},
        .on_map_task =
            [](const mrtbb::MapTaskInfo& task) {
              if (task.attempt == 1 && task.chunk % 2 == 0) throw std::runtime_error("first try");
            },
    };
    for (const MpiSetting& setting : settings) {
      mrtbb::Options set = options;
      set.workers = setting.workers;
      set.grain = setting.grain;
      const mrtbb::Options plain{.workers = setting.workers, .grain = setting.grain};
      const auto want_words = mrtbb::run_file_job(words_job(), {text}, plain);
      const auto want_lines = mrtbb::run_file_job(lines_job(), {text}, plain);
      const auto got_words =
          mpi::run_file_job(words_job(), {text}, set, {.shuffle_round_bytes = setting.round_bytes});
      const auto got_lines =
          mpi::run_file_job(lines_job(), {text}, set, {.shuffle_round_bytes = setting.round_bytes});
      if (world.is_root()) {
        EXPECT_EQ(got_words.results, want_words.results) << describe(setting);
        EXPECT_EQ(got_lines.results, want_lines.results) << describe(setting);
      }
      expect_same_report(got_words, want_words, describe(setting));
      EXPECT_GT(got_words.stats.retries, 0u);
    }
  });
}

// What each rank's job ended with: 0 returned, 1 its own exception, 2 a PeerError.
template <class Run>
int outcome_of(Run run) {
  try {
    run();
  } catch (const mpi::PeerError&) {
    return 2;
  } catch (const std::exception&) {
    return 1;
  }
  return 0;
}

// Either every rank returns or every rank throws, one or more their own error and the others a
// PeerError.
void expect_agreed(const std::vector<int>& outcomes, bool must_fail, const std::string& where) {
  int own = 0;
  int returned = 0;
  for (int outcome : outcomes) {
    own += outcome == 1;
    returned += outcome == 0;
  }
  if (returned == static_cast<int>(outcomes.size()) && !must_fail) return;
  EXPECT_EQ(returned, 0) << where;
  EXPECT_GE(own, 1) << where;
}

// A Serializer that throws for one key's value, when it is written and when it is read: whichever
// rank meets it (in the shuffle or in the gather), every rank throws and none is left waiting.
TEST(MpiEdgeCases, ASerializerThatThrowsOnOneRank) {
  within_bounded_time("serializer", [] {
    SharedDir dir("mpi-edge-serializer");
    const std::string text = dir.write("text", mrtbb::testing::generated_text(16, 3000) +
                                                   "\npoison-write\npoison-read\n" +
                                                   mrtbb::testing::generated_text(17, 3000));
    dir.ready();
    const auto job =
        mrtbb::record_job<std::string, Fragile>([](const mrtbb::Record& record, auto& emitter) {
          const std::uint64_t n = record.text == "poison-write"  ? poison_write
                                  : record.text == "poison-read" ? poison_read
                                                                 : 1;
          emitter.emit(record.text, Fragile{n});
        }).combine_with([](Fragile& into, Fragile&& from) { into.n += from.n; });
    // Keys are placed with rank 0's seed: the test places them the same way.
    std::string seed_bytes;
    if (world.is_root()) {
      const mrtbb::HashSeed seed = mrtbb::process_hash_seed();
      seed_bytes = mrtbb::to_bytes(std::pair{seed.head, seed.tail});
    }
    mpi::detail::broadcast_bytes(world, seed_bytes, mpi::Communicator::root);
    const auto [head, tail] =
        mrtbb::from_bytes<std::pair<std::uint64_t, std::uint64_t>>(seed_bytes);
    const mpi::KeyPlacement placement({head, tail}, world.size());
    const bool poison_leaves_its_owner = placement.owner(std::string("poison-write")) != 0 ||
                                         placement.owner(std::string("poison-read")) != 0;
    for (const MpiSetting& setting : settings) {
      const mrtbb::Options options{.workers = setting.workers, .grain = setting.grain};
      const int outcome = outcome_of([&] {
        mpi::run_file_job(job, {text}, options, {.shuffle_round_bytes = setting.round_bytes});
      });
      // A poisoned key owned by a rank other than 0 crosses to rank 0 with its result (rank 0's
      // own results are not serialised; a key it owns may still cross in the shuffle).
      expect_agreed(from_every_rank(outcome), poison_leaves_its_owner, describe(setting));
    }
  });
}

// A combiner that fails only when it meets values from two ranks, so only on the rank that owns a
// key, in the shuffle.
TEST(MpiEdgeCases, ACombinerThatThrowsInTheShuffle) {
  within_bounded_time("combiner", [] {
    SharedDir dir("mpi-edge-combiner");
    const std::string text = dir.write("text", mrtbb::testing::generated_text(18, 6000));
    dir.ready();
    using FromRank = std::pair<std::uint64_t, std::uint64_t>;  // count, rank
    const auto job =
        mrtbb::text_job<std::uint64_t, FromRank>([](const mrtbb::TextSegment& segment,
                                                    auto& emitter) {
          for (unsigned char c : segment.text) {
            emitter.emit(std::uint64_t{c}, FromRank{1, static_cast<std::uint64_t>(world.rank())});
          }
        }).combine_with([](FromRank& into, FromRank&& from) {
          if (into.second != from.second) throw std::runtime_error("values of two ranks");
          into.first += from.first;
        });
    for (const MpiSetting& setting : settings) {
      const mrtbb::Options options{.workers = setting.workers, .grain = setting.grain};
      const int outcome = outcome_of([&] {
        mpi::run_file_job(job, {text}, options, {.shuffle_round_bytes = setting.round_bytes});
      });
      expect_agreed(from_every_rank(outcome), world.size() > 1, describe(setting));
    }
  });
}

// An order that fails only when it compares results reduced on two ranks, so only on rank 0 while
// it merges the ranks' sorted results: every rank must still throw.
TEST(MpiEdgeCases, AnOrderThatThrowsWhileRankZeroMerges) {
  within_bounded_time("order", [] {
    SharedDir dir("mpi-edge-order");
    const std::string text = dir.write("text", mrtbb::testing::generated_text(19, 3000));
    dir.ready();
    using Owned = std::pair<std::uint64_t, int>;  // count, the rank that reduced it
    const auto job = words_job()
                         .reduce_with([](const std::string&, std::uint64_t count) {
                           return Owned{count, world.rank()};
                         })
                         .order_by([](const std::pair<std::string, Owned>& a,
                                      const std::pair<std::string, Owned>& b) {
                           if (a.second.second != b.second.second)
                             throw std::runtime_error("two ranks");
                           return a.first < b.first;
                         });
    for (const MpiSetting& setting : settings) {
      const mrtbb::Options options{.workers = setting.workers, .grain = setting.grain};
      const int outcome = outcome_of([&] {
        mpi::run_file_job(job, {text}, options, {.shuffle_round_bytes = setting.round_bytes});
      });
      expect_agreed(from_every_rank(outcome), world.size() > 1, describe(setting));
    }
  });
}

// Results that cannot be default-constructed, cut to the top k on every rank.
TEST(MpiEdgeCases, ResultsWithoutADefaultConstructor) {
  within_bounded_time("labelled", [] {
    SharedDir dir("mpi-edge-labelled");
    const std::string text = dir.write("text", mrtbb::testing::generated_text(20, 3000));
    dir.ready();
    const auto job = words_job().reduce_with([](const std::string& word, std::uint64_t count) {
      return Labelled(word + ":" + std::to_string(count));
    });
    expect_same_as_one_process(job, {text}, settings);
    expect_same_as_one_process(job.top(3), {text}, settings);
  });
}

}  // namespace

namespace {

// Compressed files cannot be split by bytes: each is read whole by one rank, wherever the even
// shares fall (inside one, or one holding all the bytes of the job), alone or among plain files.
TEST(MpiEdgeCases, CompressedFilesAreReadWholeByOneRank) {
  within_bounded_time("compressed", [] {
    SharedDir dir("mpi-edge-compressed");
    // Sizes that put the even shares of 2 to 4 ranks inside the compressed files, small enough for
    // a grain of 1 byte.
    const std::string big = mrtbb::testing::generated_text(701, 4000);
    const std::string small = mrtbb::testing::generated_text(702, 100);
    const std::vector<std::string> paths{
        dir.write("tree/a.txt", small), dir.write("tree/b.gz", mrtbb::testing::gzip(big, 1, 3)),
        dir.write("tree/c.txt", small), dir.write("tree/d.zst", mrtbb::testing::zstd(big, 1, 2)),
        dir.write("tree/e.txt", small)};
    dir.ready();
    expect_both_jobs_same_as_one_process(lines_job(), {paths[1]});
    expect_both_jobs_same_as_one_process(lines_job(), {dir.at("tree")});
  });
}

// A binary file of a walk is left out by every rank that reads part of it, and named once.
TEST(MpiEdgeCases, BinaryFilesOfAWalkAreLeftOutAndNamedOnce) {
  within_bounded_time("binary", [] {
    SharedDir dir("mpi-edge-binary");
    std::string binary = mrtbb::testing::generated_text(711, 20000);
    binary[100] = '\0';
    dir.write("tree/a.txt", mrtbb::testing::generated_text(712, 300));
    dir.write("tree/b.bin", binary);  // large: the even shares of several ranks start inside it
    dir.write("tree/c.txt", mrtbb::testing::generated_text(713, 300));
    dir.write("tree/d.gz", mrtbb::testing::gzip(binary, 6, 2));
    dir.write("tree/e.txt", mrtbb::testing::generated_text(714, 300));
    dir.ready();
    expect_both_jobs_same_as_one_process(lines_job(), {dir.at("tree")});
    const auto result = mpi::run_text_job({dir.at("tree")}, mrtbb::make_tokenizer({}));
    ASSERT_EQ(result.skipped.size(), 2u);
    EXPECT_EQ(result.skipped[0].path, dir.at("tree/b.bin"));
    EXPECT_EQ(result.skipped[1].path, dir.at("tree/d.gz"));
    EXPECT_EQ(result.skipped[0].reason, mrtbb::binary_file_reason);
  });
}

}  // namespace
