#include "mrtbb/pipeline/chunk_boundary.hpp"

namespace mrtbb {

namespace {

constexpr bool is_ascii_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

}  // namespace

std::size_t AsciiWhitespaceBoundary::last_cut(std::string_view, std::string_view text,
                                              std::size_t searched) const {
  for (std::size_t cut = text.size(); cut > searched; --cut) {
    if (is_ascii_space(text[cut - 1])) return cut;
  }
  return 0;
}

void AsciiWhitespaceBoundary::extend_line_head(std::string& line_head,
                                               std::string_view text) const {
  if (line_head.size() < max_line_head)
    line_head.append(text.substr(0, max_line_head - line_head.size()));
}

const std::shared_ptr<const ChunkBoundary>& ascii_whitespace_boundary() {
  static const std::shared_ptr<const ChunkBoundary> rule =
      std::make_shared<AsciiWhitespaceBoundary>();
  return rule;
}

std::size_t WholeLineBoundary::last_cut(std::string_view, std::string_view, std::size_t) const {
  return 0;
}

void WholeLineBoundary::extend_line_head(std::string&, std::string_view) const {}

const std::shared_ptr<const ChunkBoundary>& whole_line_boundary() {
  static const std::shared_ptr<const ChunkBoundary> rule = std::make_shared<WholeLineBoundary>();
  return rule;
}

}  // namespace mrtbb
