#include "mrtbb/mpi/byte_exchange.hpp"

#include <algorithm>
#include <numeric>
#include <string>

#include "mrtbb/core/errors.hpp"

namespace mrtbb::mpi::detail {

namespace {

int as_count(std::uint64_t bytes, const char* what) {
  if (bytes > max_message_bytes) {
    throw Error(std::string(what) + ": " + std::to_string(bytes) +
                " bytes in one exchange, more than the " + std::to_string(max_message_bytes) +
                " that one MPI message carries here");
  }
  return static_cast<int>(bytes);
}

std::vector<int> displacements(const std::vector<int>& counts, const char* what) {
  std::vector<int> at(counts.size(), 0);
  std::uint64_t total = 0;
  for (std::size_t r = 0; r < counts.size(); ++r) {
    at[r] = as_count(total, what);
    total += static_cast<std::uint64_t>(counts[r]);
  }
  as_count(total, what);
  return at;
}

std::vector<std::string> split(const std::string& all, const std::vector<int>& counts,
                               const std::vector<int>& at) {
  std::vector<std::string> parts(counts.size());
  for (std::size_t r = 0; r < counts.size(); ++r)
    parts[r].assign(all, static_cast<std::size_t>(at[r]), static_cast<std::size_t>(counts[r]));
  return parts;
}

}  // namespace

void broadcast_bytes(const Communicator& communicator, std::string& bytes, int root) {
  std::uint64_t size = bytes.size();
  MPI_Bcast(&size, 1, MPI_UINT64_T, root, communicator.handle());
  bytes.resize(size);
  for (std::uint64_t done = 0; done < size; done += max_message_bytes) {
    const auto piece = static_cast<int>(std::min(max_message_bytes, size - done));
    MPI_Bcast(bytes.data() + done, piece, MPI_BYTE, root, communicator.handle());
  }
}

std::vector<std::string> all_gather_bytes(const Communicator& communicator,
                                          const std::string& mine) {
  const int mine_count = as_count(mine.size(), "gathering on every rank");
  std::vector<int> counts(static_cast<std::size_t>(communicator.size()));
  MPI_Allgather(&mine_count, 1, MPI_INT, counts.data(), 1, MPI_INT, communicator.handle());
  const std::vector<int> at = displacements(counts, "gathering on every rank");
  std::string all(static_cast<std::size_t>(at.back()) + static_cast<std::size_t>(counts.back()),
                  '\0');
  MPI_Allgatherv(mine.data(), mine_count, MPI_BYTE, all.data(), counts.data(), at.data(), MPI_BYTE,
                 communicator.handle());
  return split(all, counts, at);
}

bool any_rank(const Communicator& communicator, bool mine) {
  int value = mine ? 1 : 0;
  int any = 0;
  MPI_Allreduce(&value, &any, 1, MPI_INT, MPI_LOR, communicator.handle());
  return any != 0;
}

std::vector<std::string> all_to_all_bytes(const Communicator& communicator,
                                          const std::vector<std::string>& outgoing) {
  const std::size_t ranks = outgoing.size();
  std::vector<int> send_counts(ranks);
  std::string send;
  for (std::size_t r = 0; r < ranks; ++r) {
    send_counts[r] = as_count(outgoing[r].size(), "the shuffle");
    send += outgoing[r];
  }
  const std::vector<int> send_at = displacements(send_counts, "the shuffle");
  std::vector<int> receive_counts(ranks);
  MPI_Alltoall(send_counts.data(), 1, MPI_INT, receive_counts.data(), 1, MPI_INT,
               communicator.handle());
  const std::vector<int> receive_at = displacements(receive_counts, "the shuffle");
  std::string received(
      static_cast<std::size_t>(receive_at.back()) + static_cast<std::size_t>(receive_counts.back()),
      '\0');
  MPI_Alltoallv(send.data(), send_counts.data(), send_at.data(), MPI_BYTE, received.data(),
                receive_counts.data(), receive_at.data(), MPI_BYTE, communicator.handle());
  return split(received, receive_counts, receive_at);
}

std::vector<std::string> gather_bytes(const Communicator& communicator, const std::string& mine,
                                      int root) {
  const int mine_count = as_count(mine.size(), "gathering the results");
  const bool is_root = communicator.rank() == root;
  std::vector<int> counts(is_root ? static_cast<std::size_t>(communicator.size()) : 0);
  MPI_Gather(&mine_count, 1, MPI_INT, counts.data(), 1, MPI_INT, root, communicator.handle());
  if (!is_root) {
    MPI_Gatherv(mine.data(), mine_count, MPI_BYTE, nullptr, nullptr, nullptr, MPI_BYTE, root,
                communicator.handle());
    return {};
  }
  const std::vector<int> at = displacements(counts, "gathering the results");
  std::string all(static_cast<std::size_t>(at.back()) + static_cast<std::size_t>(counts.back()),
                  '\0');
  MPI_Gatherv(mine.data(), mine_count, MPI_BYTE, all.data(), counts.data(), at.data(), MPI_BYTE,
              root, communicator.handle());
  return split(all, counts, at);
}

}  // namespace mrtbb::mpi::detail
