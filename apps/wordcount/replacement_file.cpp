#include "wordcount/replacement_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace wordcount {

namespace {

constexpr std::array<int, 4> fatal_signals = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

// What the signal handler may touch: a lock-free flag and a fixed buffer, both async-signal-safe.
std::atomic<bool> temporary_registered{false};
static_assert(std::atomic<bool>::is_always_lock_free, "read from a signal handler");
char temporary_path[PATH_MAX];
std::array<struct sigaction, fatal_signals.size()> previous_actions;
std::array<bool, fatal_signals.size()> handler_installed;

extern "C" void remove_temporary_and_end(int signal_number) {
  if (temporary_registered.load()) ::unlink(temporary_path);
  // SA_RESETHAND put back the default action, so this ends the process as the signal would have,
  // with the status a parent expects from it.
  ::raise(signal_number);
}

void install_handlers() {
  for (std::size_t i = 0; i < fatal_signals.size(); ++i) {
    struct sigaction action {};
    action.sa_handler = remove_temporary_and_end;
    action.sa_flags = SA_RESETHAND;
    sigemptyset(&action.sa_mask);
    ::sigaction(fatal_signals[i], nullptr, &previous_actions[i]);
    // A signal the caller chose to ignore (nohup, a background job) must stay ignored.
    handler_installed[i] = previous_actions[i].sa_handler != SIG_IGN;
    if (handler_installed[i]) ::sigaction(fatal_signals[i], &action, nullptr);
  }
}

void restore_handlers() noexcept {
  for (std::size_t i = 0; i < fatal_signals.size(); ++i) {
    if (handler_installed[i]) ::sigaction(fatal_signals[i], &previous_actions[i], nullptr);
  }
}

// Blocks the fatal signals in this thread for its lifetime, so that the new file and its
// registration for removal happen together (no other thread exists yet when the file is made).
class FatalSignalsBlocked {
 public:
  FatalSignalsBlocked() {
    sigset_t set;
    sigemptyset(&set);
    for (int signal_number : fatal_signals)
      sigaddset(&set, signal_number);
    ::pthread_sigmask(SIG_BLOCK, &set, &previous_);
  }
  ~FatalSignalsBlocked() { ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  FatalSignalsBlocked(const FatalSignalsBlocked&) = delete;
  FatalSignalsBlocked& operator=(const FatalSignalsBlocked&) = delete;

 private:
  sigset_t previous_;
};

[[noreturn]] void throw_errno(int error, const std::string& what) {
  throw std::system_error(error, std::generic_category(), what);
}

}  // namespace

ReplacementFile::ReplacementFile(std::string target, mode_t mode) : target_(std::move(target)) {
  // Hidden, and named for the command, so that one left by SIGKILL is easy to place.
  std::filesystem::path directory = std::filesystem::path(target_).parent_path();
  if (directory.empty()) directory = ".";
  temporary_ = (directory / ".wordcount-XXXXXX").string();
  if (temporary_.size() >= sizeof(temporary_path)) throw_errno(ENAMETOOLONG, temporary_);
  if (temporary_registered.load()) throw std::logic_error("one ReplacementFile at a time");

  FatalSignalsBlocked blocked;
  install_handlers();
  fd_ = ::mkostemp(temporary_.data(), O_CLOEXEC);
  if (fd_ < 0) {
    const int error = errno;
    restore_handlers();
    throw_errno(error, "mkostemp");
  }
  std::memcpy(temporary_path, temporary_.c_str(), temporary_.size() + 1);
  temporary_registered.store(true);
  if (::fchmod(fd_, mode) != 0) {
    const int error = errno;
    release();
    throw_errno(error, "fchmod");
  }
}

ReplacementFile::~ReplacementFile() {
  release();
}

void ReplacementFile::release() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!committed_) ::unlink(temporary_.c_str());
  temporary_registered.store(false);
  restore_handlers();
}

void ReplacementFile::commit() {
  // Durable before the rename: otherwise a crash could leave the target replaced by an empty file
  // on file systems that write data after metadata.
  if (::fsync(fd_) != 0) throw_errno(errno, "fsync");
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) throw_errno(errno, "close");
  if (::rename(temporary_.c_str(), target_.c_str()) != 0) throw_errno(errno, "rename");
  committed_ = true;
  temporary_registered.store(false);  // a signal from now on has nothing to remove
}

}  // namespace wordcount
