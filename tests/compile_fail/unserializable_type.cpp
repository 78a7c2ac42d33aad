// A type without a Serializer must be rejected where it is serialized, with the concept named,
// rather than failing inside the library or linking against a missing specialisation.
#include <mrtbb/core/serialization.hpp>

#include <string>
#include <utility>

namespace {
struct Handle {
  int descriptor = 0;
};
}  // namespace

int main() {
  std::string out;
#ifdef MRTBB_WRONG_SHAPE
  mrtbb::serialize(out, std::pair<std::string, Handle>{"key", Handle{}});
#else
  mrtbb::serialize(out, std::pair<std::string, int>{"key", Handle{}.descriptor});
#endif
  return static_cast<int>(out.size());
}
