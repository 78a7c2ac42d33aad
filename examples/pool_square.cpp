// map_async with an initializer and both callbacks: the seed's square example on threads.
#include <mrtbb/mrtbb.hpp>

#include <cstdio>
#include <string>
#include <vector>

int main() {
  // Each worker's state is made by the initializer: here, a label naming the job it serves.
  mrtbb::Pool pool(
      {.workers = 4}, [](const std::string& job) { return "worker of " + job; },
      std::string("squares"));
  const std::vector<int> numbers = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  auto result = pool.map_async(
      [](int x) {
        (void)mrtbb::Pool::worker_state<std::string>();  // available inside every task
        return x * x;
      },
      numbers, /*chunksize=*/2,
      [](const std::vector<int>& squares) {
        std::printf("Received result as:");
        for (int s : squares)
          std::printf(" %d", s);
        std::printf("\n");
      },
      [](std::exception_ptr) { std::printf("Error\n"); });
  pool.close();
  pool.join();
  return result.successful() ? 0 : 1;
}
