#pragma once

#include <concepts>
#include <functional>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "mrtbb/core/concepts.hpp"
#include "mrtbb/core/count_table.hpp"
#include "mrtbb/pipeline/chunk.hpp"
#include "mrtbb/pipeline/chunk_boundary.hpp"

namespace mrtbb {

/// A text job's map function together with the rule that tells the reader where a chunk may end
/// for it. Any TextMapFunction converts to one that cuts at ASCII whitespace; the tokenizers bring
/// rules of their own, so that input without ASCII whitespace is still read in bounded chunks.
class TextMapper {
 public:
  using MapFunction = std::function<void(const TextSegment&, CountEmitter&)>;

  // Implicit, so that a plain function or lambda is passed to run_text_job as it is.
  template <class F>
  requires(!std::same_as<std::remove_cvref_t<F>, TextMapper> && TextMapFunction<F>)
      TextMapper(F&& map)
      : TextMapper(MapFunction(std::forward<F>(map)), nullptr) {}

  /// Throws std::invalid_argument for an empty `map`; a null `boundary` means
  /// AsciiWhitespaceBoundary.
  TextMapper(MapFunction map, std::shared_ptr<const ChunkBoundary> boundary)
      : map_(std::move(map)),
        boundary_(boundary ? std::move(boundary) : ascii_whitespace_boundary()) {
    if (!map_) throw std::invalid_argument("TextMapper: the map function is empty");
  }

  void operator()(const TextSegment& segment, CountEmitter& emit) const { map_(segment, emit); }

  const ChunkBoundary& boundary() const noexcept { return *boundary_; }
  const std::shared_ptr<const ChunkBoundary>& shared_boundary() const noexcept { return boundary_; }

 private:
  MapFunction map_;
  std::shared_ptr<const ChunkBoundary> boundary_;
};

}  // namespace mrtbb
