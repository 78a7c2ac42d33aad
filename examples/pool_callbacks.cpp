// apply_async with callbacks, a task's own exception coming back as it was thrown, and a wait with
// a timeout.
#include <mrtbb/mrtbb.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <future>
#include <stdexcept>
#include <string>

int main() {
  mrtbb::Pool pool({.workers = 2});
  const auto parse = [](const std::string& text) { return std::stoi(text); };
  // The callbacks come first, as one argument: anything after the function is its arguments.
  const auto report =
      mrtbb::AsyncCallbacks{.on_success = [](int value) { std::printf("on_success: %d\n", value); },
                            .on_error =
                                [](const std::exception_ptr& error) {
                                  try {
                                    std::rethrow_exception(error);
                                  } catch (const std::invalid_argument&) {
                                    std::printf("on_error: std::invalid_argument\n");
                                  }
                                }};
  pool.apply_async(report, parse, std::string("42")).wait();

  auto bad = pool.apply_async(report, parse, std::string("forty-two"));
  try {
    bad.get();
  } catch (const std::invalid_argument&) {
    std::printf("get() rethrew std::invalid_argument\n");
  }

  std::promise<void> go;
  auto gate = go.get_future().share();
  auto slow = pool.apply_async([gate] {
    gate.wait();
    return 1;
  });
  try {
    slow.get(std::chrono::milliseconds(10));
  } catch (const mrtbb::TimeoutError&) {
    std::printf("get(10 ms): TimeoutError\n");
  }
  go.set_value();
  std::printf("get(): %d\n", slow.get(std::chrono::seconds(30)));
}
