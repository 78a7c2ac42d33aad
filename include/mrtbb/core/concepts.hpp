#pragma once

// The shapes of the callables the library takes, as named concepts. A callable of another shape is
// rejected where it is passed, and the compiler's message names the concept it does not satisfy,
// rather than failing deep inside a template or, worse, compiling and doing something else.

#include <concepts>
#include <type_traits>
#include <utility>
#include <vector>

namespace mrtbb {

template <class K, class V>
class Emitter;
template <class K, class V, class Fold>
class FoldEmitter;
class CountEmitter;
struct TextSegment;

/// A fold that updates a key's running value in place: `void fold(V& into, V&& value)`.
template <class F, class V>
concept InPlaceFold =
    std::invocable<F&, V&, V&&> && std::is_void_v<std::invoke_result_t<F&, V&, V&&>>;

/// A fold that returns the combined value: `V fold(V into, V value)`, as std::plus<V> does.
template <class F, class V>
concept ValueReturningFold =
    std::invocable<F&, V&&, V&&> && std::convertible_to<std::invoke_result_t<F&, V&&, V&&>, V>;

/// A fold of either shape: in place, `void(V& into, V&& value)`, or value-returning, `V(V, V)`.
/// Anything else (say, a function of a V& that returns something) is rejected: its result would
/// have to be either ignored or trusted, and neither is safe to guess.
template <class F, class V>
concept FoldFunction = InPlaceFold<F, V> || ValueReturningFold<F, V>;

/// Folds `value` into `into` with a fold of either shape.
template <class V, FoldFunction<V> F>
void fold_into(F& fold, V& into, V&& value) {
  if constexpr (InPlaceFold<F, V>) {
    fold(into, std::move(value));
  } else {
    // Through a temporary: the fold may return a reference to its (moved-from) first argument.
    V folded = fold(std::move(into), std::move(value));
    into = std::move(folded);
  }
}

/// An item job's map function: `map(item, emitter)`, emitting through `emitter.emit(key, value)`.
/// `Item` is what the item range yields (usually `const T&`).
template <class F, class Item, class K, class V>
concept ItemMapFunction = (std::invocable<F&, Item, Emitter<K, V>&>);

/// map_fold's map function: like an ItemMapFunction, but its emitter folds as it goes, and the
/// emitter's type names the fold, so the function takes it as `auto&`.
template <class F, class Item, class K, class V, class Fold>
concept FoldMapFunction = (std::invocable<F&, Item, FoldEmitter<K, V, Fold>&>);

/// A reduce function: `R reduce(const K& key, V&& value)` returning the key's result (for
/// map_reduce, V is the std::vector of the key's values, in input order).
template <class F, class K, class V>
concept ReduceFunction = std::invocable<F&, const K&, V&&> &&
    std::move_constructible<std::decay_t<std::invoke_result_t<F&, const K&, V&&>>>;

/// map_reduce's reduce function: `R reduce(const K& key, std::vector<V> values)`.
template <class F, class K, class V>
concept ItemReduceFunction = ReduceFunction<F, K, std::vector<V>>;

/// A text job's map function: `void map(const TextSegment& segment, CountEmitter& emitter)`. The
/// job holds it as a TextMapper (a std::function), so it must be copyable.
template <class F>
concept TextMapFunction = std::copy_constructible<std::decay_t<F>> &&
    (std::invocable<std::decay_t<F>&, const TextSegment&, CountEmitter&>);

}  // namespace mrtbb
