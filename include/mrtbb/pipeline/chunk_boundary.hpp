#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace mrtbb {

/// Where a text job's reader may end a chunk inside a line, as a map function sees text: a cut is
/// safe when mapping the two sides apart emits exactly what mapping them together would. The
/// reader ends a chunk after a line feed when the chunk holds one and asks the rule only inside a
/// line longer than the grain; a chunk grows past the grain until the rule allows a cut.
///
/// Every map function of a text job comes with one (see TextMapper): the tokenizers' rules know
/// their separators and their skip prefix; a map function that says nothing gets
/// AsciiWhitespaceBoundary. The reader calls the rule from its one serial stage.
class ChunkBoundary {
 public:
  virtual ~ChunkBoundary() = default;

  /// The last place where `text` may be cut, as a length in [1, text.size()]; 0 when there is none
  /// yet. `text` is a piece of one line, without a line feed, that continues the line's earlier
  /// pieces, which `line_head` sums up (empty at the start of a line). A cut at text.size() may
  /// depend only on the bytes before it; the bytes that follow are not read yet. `searched` is the
  /// size of this text when the rule last found no cut in it (0 at first): a cut that those bytes
  /// alone ruled out need not be looked for again.
  virtual std::size_t last_cut(std::string_view line_head, std::string_view text,
                               std::size_t searched) const = 0;

  /// Adds to `line_head` what the map function will need of `text`, the next piece of the line,
  /// when it maps the pieces after it: the line head a continuing TextSegment carries. It must stay
  /// small whatever the length of the line.
  virtual void extend_line_head(std::string& line_head, std::string_view text) const = 0;
};

/// The rule of a map function that says nothing of its own: a cut right after an ASCII whitespace
/// byte (space, \t, \n, \v, \f, \r), which is never inside a multibyte UTF-8 character. A token
/// longer than the grain grows its chunk, since it must be mapped whole. The line head is the
/// line's first bytes, at most max_line_head of them.
class AsciiWhitespaceBoundary final : public ChunkBoundary {
 public:
  static constexpr std::size_t max_line_head = 4096;

  std::size_t last_cut(std::string_view line_head, std::string_view text,
                       std::size_t searched) const override;
  void extend_line_head(std::string& line_head, std::string_view text) const override;
};

/// The one shared AsciiWhitespaceBoundary.
const std::shared_ptr<const ChunkBoundary>& ascii_whitespace_boundary();

/// The rule of jobs over records: no cut inside a line, so every chunk ends after a line feed (or
/// at the end of its input) and a line longer than the grain grows its chunk.
class WholeLineBoundary final : public ChunkBoundary {
 public:
  std::size_t last_cut(std::string_view line_head, std::string_view text,
                       std::size_t searched) const override;
  void extend_line_head(std::string& line_head, std::string_view text) const override;
};

/// The one shared WholeLineBoundary.
const std::shared_ptr<const ChunkBoundary>& whole_line_boundary();

}  // namespace mrtbb
