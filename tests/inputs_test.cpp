// Listing a text job's inputs: what a directory walk reads, what it leaves out and says so, and
// that nothing it finds can make the job block.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "mrtbb/mrtbb.hpp"
#include "support/corpus.hpp"

namespace {

namespace fs = std::filesystem;
using mrtbb::testing::TempDir;

std::vector<std::string> paths_of(const std::vector<mrtbb::InputFile>& files) {
  std::vector<std::string> paths;
  for (const auto& file : files)
    paths.push_back(file.path);
  return paths;
}

// Waits up to 30 s for `job`; false if it did not end by then. A job blocked opening `fifo` is then
// let go (a writer that comes and goes is an empty stream), so that the test fails instead of
// hanging in ~future.
bool ends_or_is_unblocked(std::future<mrtbb::TextJobResult>& job, const std::string& fifo) {
  if (job.wait_for(std::chrono::seconds(30)) == std::future_status::ready) return true;
  do {
    const int writer = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (writer >= 0) ::close(writer);
  } while (job.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready);
  return false;
}

class InputWalk : public ::testing::Test {
 protected:
  TempDir dir{"inputs"};

  std::string at(const std::string& relative) const { return (dir.path() / relative).string(); }

  std::string fifo(const std::string& relative) const {
    const std::string path = at(relative);
    fs::create_directories(fs::path(path).parent_path());
    EXPECT_EQ(::mkfifo(path.c_str(), 0600), 0) << std::strerror(errno);
    return path;
  }

  // A socket file stays on disk after its descriptor is closed.
  std::string socket_file(const std::string& relative) const {
    const std::string path = at(relative);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    EXPECT_GE(fd, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    EXPECT_LT(path.size(), sizeof(address.sun_path));
    std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
    EXPECT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)), 0)
        << std::strerror(errno);
    ::close(fd);
    return path;
  }

  std::string link(const std::string& relative, const std::string& target) const {
    const std::string path = at(relative);
    fs::create_directories(fs::path(path).parent_path());
    fs::create_symlink(target, path);
    return path;
  }
};

TEST_F(InputWalk, ReadsRegularFilesAndLinksToThemInSortedDepthFirstOrder) {
  const std::string b = dir.write("tree/b.txt", "bb\n");
  const std::string a = dir.write("tree/sub/a.txt", "a\n");
  const std::string c = dir.write("tree/c.txt", "");
  const std::string link_to_b = link("tree/link-to-b", "b.txt");
  link("tree/link-to-sub", "sub");  // links to directories are not followed: they could loop
  link("tree/sub/loop", "..");
  std::vector<mrtbb::InputFailure> failures;
  std::vector<mrtbb::SkippedInput> skipped;
  const auto files =
      mrtbb::expand_inputs({at("tree")}, mrtbb::ErrorPolicy::fail, failures, skipped);
  EXPECT_EQ(paths_of(files), (std::vector<std::string>{b, c, link_to_b, a}));
  EXPECT_EQ(files[0].size, 3u);
  EXPECT_EQ(files[2].size, 3u);
  EXPECT_TRUE(failures.empty());
  EXPECT_TRUE(skipped.empty());
}

// Readers open a walked file relative to its directory: the path must split into that directory
// and the entry's own name, however the caller wrote the directory.
TEST_F(InputWalk, WalkedFilesSplitIntoTheirDirectoryAndNameNamedOnesAreOpenedByPath) {
  dir.write("tree/b.txt", "bb\n");
  dir.write("tree/sub/deeper/a.txt", "a\n");
  dir.write("tree/sub/c.txt", "c\n");
  link("tree/link-to-b", "b.txt");
  link("tree/dangling", "nowhere");
  const std::string named = dir.write("named.txt", "n\n");
  for (const std::string& root : {at("tree"), at("tree") + "/", at("tree") + "//"}) {
    SCOPED_TRACE(root);
    std::vector<mrtbb::InputFailure> failures;
    std::vector<mrtbb::SkippedInput> skipped;
    const auto files =
        mrtbb::expand_inputs({root, named}, mrtbb::ErrorPolicy::fail, failures, skipped);
    ASSERT_EQ(files.size(), 6u);
    for (std::size_t i = 0; i + 1 < files.size(); ++i) {
      const mrtbb::InputFile& file = files[i];
      ASSERT_TRUE(file.found_in_walk);
      ASSERT_GT(file.name_offset, 0u);
      ASSERT_LT(file.name_offset, file.path.size());
      const std::string directory = file.path.substr(0, file.name_offset);
      EXPECT_TRUE(directory.starts_with(root)) << file.path;
      EXPECT_TRUE(directory.ends_with('/')) << file.path;
      EXPECT_TRUE(fs::is_directory(directory)) << file.path;
      EXPECT_EQ(file.path.substr(file.name_offset), fs::path(file.path).filename().string());
    }
    EXPECT_EQ(files.back().path, named);
    EXPECT_EQ(files.back().name_offset, 0u);
  }
}

TEST_F(InputWalk, HiddenEntriesAreLeftOutUnlessAskedForAndNeverReportedAsSkipped) {
  const std::string a = dir.write("tree/a.txt", "a\n");
  const std::string hidden_file = dir.write("tree/.hidden.txt", "h\n");
  const std::string in_hidden_dir = dir.write("tree/.git/objects/x", "x\n");
  const std::string deep = dir.write("tree/sub/.deep", "d\n");
  const std::string hidden_fifo = fifo("tree/.fifo");  // would be reported as skipped if walked
  std::vector<mrtbb::InputFailure> failures;
  std::vector<mrtbb::SkippedInput> skipped;
  EXPECT_EQ(
      paths_of(mrtbb::expand_inputs({at("tree")}, mrtbb::ErrorPolicy::fail, failures, skipped)),
      std::vector<std::string>{a});
  EXPECT_TRUE(skipped.empty());
  // Named by the caller, a hidden file or directory is read.
  EXPECT_EQ(paths_of(mrtbb::expand_inputs({hidden_file, at("tree/.git")}, mrtbb::ErrorPolicy::fail,
                                          failures, skipped)),
            (std::vector<std::string>{hidden_file, in_hidden_dir}));
  EXPECT_EQ(paths_of(mrtbb::expand_inputs({at("tree")}, mrtbb::ErrorPolicy::fail, failures, skipped,
                                          {.hidden = true})),
            (std::vector<std::string>{in_hidden_dir, hidden_file, a, deep}));
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0].path, hidden_fifo);
  EXPECT_TRUE(failures.empty());
}

TEST_F(InputWalk, ExcludeGlobsMatchNamesOrPathsBelowTheWalkedDirectory) {
  const std::string a = dir.write("tree/a.txt", "a\n");
  const std::string log = dir.write("tree/b.log", "b\n");
  const std::string top_build = dir.write("tree/build/c.txt", "c\n");
  const std::string deep_build = dir.write("tree/sub/build/d.txt", "d\n");
  const std::string e = dir.write("tree/sub/e.txt", "e\n");
  const std::string build_file = dir.write("tree/x/build", "f\n");
  const auto walk = [&](std::vector<std::string> exclude, std::vector<std::string> paths = {}) {
    std::vector<mrtbb::InputFailure> failures;
    std::vector<mrtbb::SkippedInput> skipped;
    if (paths.empty()) paths = {at("tree")};
    const auto files = mrtbb::expand_inputs(paths, mrtbb::ErrorPolicy::fail, failures, skipped,
                                            {.exclude = std::move(exclude)});
    EXPECT_TRUE(skipped.empty());
    return paths_of(files);
  };
  EXPECT_EQ(walk({}), (std::vector<std::string>{a, log, top_build, deep_build, e, build_file}));
  // No '/': the name, at any depth; a directory left out is not walked.
  EXPECT_EQ(walk({"*.log"}), (std::vector<std::string>{a, top_build, deep_build, e, build_file}));
  EXPECT_EQ(walk({"build"}), (std::vector<std::string>{a, log, e}));
  // A trailing '/': directories only.
  EXPECT_EQ(walk({"build/"}), (std::vector<std::string>{a, log, e, build_file}));
  // With a '/': the path below the walked directory, '*' not crossing a '/'.
  EXPECT_EQ(walk({"sub/build"}), (std::vector<std::string>{a, log, top_build, e, build_file}));
  EXPECT_EQ(walk({"*/*.txt"}), (std::vector<std::string>{a, log, deep_build, build_file}));
  EXPECT_EQ(walk({"*.txt", "x"}), (std::vector<std::string>{log}));
  // Paths relative to each walked directory, and never applied to a path named by the caller.
  EXPECT_EQ(walk({"build", "*.txt"}, {at("tree/sub"), at("tree/a.txt")}),
            (std::vector<std::string>{a}));
  EXPECT_EQ(walk({"e.txt"}, {at("tree/sub")}), (std::vector<std::string>{deep_build}));
}

TEST_F(InputWalk, TextJobsWalkWithTheirOptionsWalkSettings) {
  dir.write("tree/a.txt", "one\n");
  dir.write("tree/.b.txt", "two\n");
  dir.write("tree/c.log", "three\n");
  const auto words = [&](mrtbb::WalkOptions walk) {
    const auto result = mrtbb::run_text_job({at("tree")}, mrtbb::make_tokenizer({}),
                                            {.workers = 2, .walk = std::move(walk)});
    std::vector<std::string> found;
    for (const auto& [word, count] : result.results)
      found.push_back(word);
    std::sort(found.begin(), found.end());
    return found;
  };
  EXPECT_EQ(words({}), (std::vector<std::string>{"one", "three"}));
  EXPECT_EQ(words({.hidden = true}), (std::vector<std::string>{"one", "three", "two"}));
  EXPECT_EQ(words({.hidden = true, .exclude = {"*.log"}}),
            (std::vector<std::string>{"one", "two"}));
}

TEST_F(InputWalk, SkipsWhatIsNotARegularFileAndSaysWhy) {
  const std::string kept = dir.write("tree/kept.txt", "kept\n");
  const std::string pipe = fifo("tree/a-fifo");
  const std::string link_to_pipe = link("tree/b-link-to-fifo", pipe);
  const std::string socket = socket_file("tree/c-socket");
  const std::string link_to_socket = link("tree/d-link-to-socket", socket);
  const std::string zero = link("tree/sub/e-link-to-zero", "/dev/zero");
  const std::string null = link("tree/sub/f-link-to-null", "/dev/null");
  std::vector<mrtbb::InputFailure> failures;
  std::vector<mrtbb::SkippedInput> skipped;
  const auto files =
      mrtbb::expand_inputs({at("tree")}, mrtbb::ErrorPolicy::fail, failures, skipped);
  EXPECT_EQ(paths_of(files), std::vector<std::string>{kept});
  EXPECT_TRUE(failures.empty());
  ASSERT_EQ(skipped.size(), 6u);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {pipe, "not a regular file (a FIFO)"},
      {link_to_pipe, "not a regular file (a symbolic link to a FIFO)"},
      {socket, "not a regular file (a socket)"},
      {link_to_socket, "not a regular file (a symbolic link to a socket)"},
      {zero, "not a regular file (a symbolic link to a character device)"},
      {null, "not a regular file (a symbolic link to a character device)"},
  };
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(skipped[i].path, expected[i].first) << i;
    EXPECT_EQ(skipped[i].reason, expected[i].second) << i;
  }
}

TEST_F(InputWalk, ADanglingLinkIsListedSoThatReadingItReportsWhy) {
  const std::string dangling = link("tree/dangling", "nowhere");
  std::vector<mrtbb::InputFailure> failures;
  std::vector<mrtbb::SkippedInput> skipped;
  const auto files =
      mrtbb::expand_inputs({at("tree")}, mrtbb::ErrorPolicy::fail, failures, skipped);
  EXPECT_EQ(paths_of(files), std::vector<std::string>{dangling});
  EXPECT_TRUE(skipped.empty());
}

// Named by the user, a FIFO or a device is read as a stream, like standard input.
TEST_F(InputWalk, AFifoOrDeviceNamedDirectlyIsKept) {
  const std::string pipe = fifo("named-fifo");
  std::vector<mrtbb::InputFailure> failures;
  std::vector<mrtbb::SkippedInput> skipped;
  const auto files = mrtbb::expand_inputs({pipe, "/dev/null", link("link-to-fifo", pipe)},
                                          mrtbb::ErrorPolicy::fail, failures, skipped);
  EXPECT_EQ(paths_of(files), (std::vector<std::string>{pipe, "/dev/null", at("link-to-fifo")}));
  EXPECT_TRUE(skipped.empty());
}

TEST_F(InputWalk, APathThatDoesNotExistFailsOrIsReported) {
  const std::string missing = at("missing");
  std::vector<mrtbb::InputFailure> failures;
  std::vector<mrtbb::SkippedInput> skipped;
  EXPECT_THROW(mrtbb::expand_inputs({missing}, mrtbb::ErrorPolicy::fail, failures, skipped),
               mrtbb::InputError);
  const auto files =
      mrtbb::expand_inputs({missing}, mrtbb::ErrorPolicy::skip_and_report, failures, skipped);
  EXPECT_TRUE(files.empty());
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].input, missing);
}

// Files of procfs list as regular and empty, yet are made up as they are read: pagemap reads as
// 256 GiB of NUL bytes, kmsg waits for kernel messages. A walk reads none of them; links from
// there to files elsewhere (the program, its open files) are ordinary files.
TEST(InputWalkOfProc, SkipsTheKernelsMadeUpFiles) {
  std::vector<mrtbb::InputFailure> failures;
  std::vector<mrtbb::SkippedInput> skipped;
  const auto files =
      mrtbb::expand_inputs({"/proc/self/"}, mrtbb::ErrorPolicy::skip_and_report, failures, skipped);
  for (const auto& file : files) {
    struct statfs info {};
    if (::statfs(file.path.c_str(), &info) == 0) {
      EXPECT_NE(info.f_type, PROC_SUPER_MAGIC) << file.path;
    }
  }
  const auto reason_of = [&](const std::string& path) -> std::string {
    for (const auto& entry : skipped) {
      if (entry.path == path) return entry.reason;
    }
    return "(not skipped)";
  };
  const std::string made_up = "not a regular file (a file of procfs, made up as it is read)";
  EXPECT_EQ(reason_of("/proc/self/pagemap"), made_up);
  EXPECT_EQ(reason_of("/proc/self/status"), made_up);
  EXPECT_NE(std::find_if(files.begin(), files.end(),
                         [](const auto& file) { return file.path == "/proc/self/exe"; }),
            files.end());
}

// The whole job over a directory holding a FIFO and a link to it: before, the job opened the FIFO
// through the link and waited for a writer forever.
TEST_F(InputWalk, AJobOverADirectoryWithFifosNeverBlocks) {
  dir.write("tree/words.txt", "one two two\n");
  const std::string pipe = fifo("tree/fifo");
  link("tree/link-to-fifo", pipe);
  auto job = std::async(std::launch::async, [&] {
    return mrtbb::run_text_job({at("tree")},
                               mrtbb::make_tokenizer({.kind = mrtbb::TokenizerKind::letters}),
                               {.workers = 2});
  });
  if (!ends_or_is_unblocked(job, pipe)) FAIL() << "the job blocked on a FIFO found in a walk";
  const mrtbb::TextJobResult result = job.get();
  EXPECT_EQ(result.results, (std::vector<mrtbb::WordCount>{{"two", 2}, {"one", 1}}));
  EXPECT_EQ(result.stats.inputs, 1u);
  ASSERT_EQ(result.skipped.size(), 2u);
  EXPECT_EQ(result.skipped[0].path, pipe);
  EXPECT_EQ(result.skipped[1].path, at("tree/link-to-fifo"));
}

// The walk saw a regular file, but by the time the reader gets to it a FIFO has taken its place.
TEST_F(InputWalk, AWalkedFileReplacedByAFifoBeforeItIsReadFailsInsteadOfBlocking) {
  dir.write("tree/a.txt", "one two two\n");
  const std::string replaced = dir.write("tree/b.txt", "three\n");
  bool swapped = false;
  const mrtbb::Options options{.workers = 2,
                               .on_input_error = mrtbb::ErrorPolicy::skip_and_report,
                               .on_progress = [&](const mrtbb::Progress&) {
                                 if (std::exchange(swapped, true)) return;
                                 fs::remove(replaced);
                                 EXPECT_EQ(::mkfifo(replaced.c_str(), 0600), 0)
                                     << std::strerror(errno);
                               }};
  auto job = std::async(std::launch::async, [&] {
    return mrtbb::run_text_job(
        {at("tree")}, mrtbb::make_tokenizer({.kind = mrtbb::TokenizerKind::letters}), options);
  });
  if (!ends_or_is_unblocked(job, replaced)) {
    FAIL() << "the job blocked on a FIFO that replaced a walked file";
  }
  const mrtbb::TextJobResult result = job.get();
  EXPECT_EQ(result.results, (std::vector<mrtbb::WordCount>{{"two", 2}, {"one", 1}}));
  ASSERT_EQ(result.failures.size(), 1u);
  EXPECT_EQ(result.failures[0].input, replaced);
  EXPECT_EQ(result.failures[0].reason, "no longer a regular file");
}

}  // namespace
