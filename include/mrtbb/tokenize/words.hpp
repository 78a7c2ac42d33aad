#pragma once

#include <concepts>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "mrtbb/pipeline/chunk.hpp"
#include "mrtbb/pipeline/chunk_boundary.hpp"
#include "mrtbb/tokenize/tokenizer_options.hpp"

namespace mrtbb {

/// What WordSplitter::for_each_word calls with each word: `visit(std::string_view word)`.
template <class F>
concept WordVisitor = std::invocable<F&, std::string_view>;

/// A rule's words with its options applied, as tokenize/tokenizers.cpp defines them.
class WordRules;

/// The words of a text exactly as the tokenizer of the same TokenizerOptions counts them, for a
/// map function of your own (n-grams, an inverted index, a filter): the same rule code, the same
/// lowercasing, stop words and skip prefix. A WordSplitter is immutable and cheap to copy; one may
/// be used from many threads at once.
class WordSplitter {
 public:
  explicit WordSplitter(const TokenizerOptions& options);

  /// Calls `visit` with each word of `text` in text order, lowercased by the rule, stop words left
  /// out. The view is valid only during the call. `text` is taken to start at a line start: with a
  /// skip prefix, each of its lines whose text after leading whitespace starts with the prefix is
  /// skipped. Text that continues a line (a text job's piece of a line longer than the grain) needs
  /// the line's head: pass its TextSegment instead. An exception from `visit` ends the visit and
  /// propagates; `visit` may itself use a WordSplitter.
  template <WordVisitor Visit>
  void for_each_word(std::string_view text, Visit&& visit) const {
    visit_words(text, false, {}, &call<Visit>, to_context(visit));
  }

  /// The same for a piece of a text job's input: when the piece starts in the middle of a line,
  /// whether the line is skipped is decided from its `line_head`, as the tokenizer does.
  template <WordVisitor Visit>
  void for_each_word(const TextSegment& segment, Visit&& visit) const {
    visit_words(segment.text, segment.starts_mid_line, segment.line_head, &call<Visit>,
                to_context(visit));
  }

  /// The words of `text` (or of `segment`), as owned strings.
  std::vector<std::string> words(std::string_view text) const;
  std::vector<std::string> words(const TextSegment& segment) const;

  TokenizerKind kind() const noexcept { return kind_; }

  /// The rule's chunk boundary (word_boundary of the same options): a text job whose map function
  /// splits words with this splitter passes it to TextMapper, so that chunks end only where they
  /// split no word and no skip-prefix decision.
  const std::shared_ptr<const ChunkBoundary>& boundary() const noexcept { return boundary_; }

 private:
  using WordCallback = void (*)(void* context, std::string_view word);

  template <class Visit>
  static void call(void* context, std::string_view word) {
    std::invoke(*static_cast<std::remove_reference_t<Visit>*>(context), word);
  }
  template <class Visit>
  static void* to_context(Visit& visit) noexcept {
    return const_cast<void*>(static_cast<const void*>(std::addressof(visit)));
  }

  // The rules stay in tokenizers.cpp; words reach the visitor through `callback`.
  void visit_words(std::string_view text, bool starts_mid_line, std::string_view line_head,
                   WordCallback callback, void* context) const;

  TokenizerKind kind_;
  std::shared_ptr<const WordRules> rules_;
  std::shared_ptr<const ChunkBoundary> boundary_;
};

/// Where a text job may end a chunk for the rule and skip prefix of `options`: the boundary that
/// make_tokenizer(options) brings, for a map function that splits words itself.
std::shared_ptr<const ChunkBoundary> word_boundary(const TokenizerOptions& options);

}  // namespace mrtbb
