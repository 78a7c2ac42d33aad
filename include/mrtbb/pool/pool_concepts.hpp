#pragma once

// The shapes of what a Pool is given, as concepts: a callable or an input of the wrong shape fails
// to compile at the Pool call, naming the concept it does not meet.

#include <concepts>
#include <cstddef>
#include <exception>
#include <functional>
#include <ranges>
#include <tuple>
#include <type_traits>
#include <utility>

namespace mrtbb {

/// What a Pool task may return: a value (not void), kept until it is read.
template <class R>
concept PoolResult = !std::is_void_v<R> && std::move_constructible<std::decay_t<R>>;

/// f(args...) for Pool::apply and apply_async; the pool passes its own copies of the arguments, as
/// lvalues.
template <class F, class... Args>
concept PoolFunction =
    std::invocable<F&, Args&...> && PoolResult<std::invoke_result_t<F&, Args&...>>;

/// f(item) for map, imap and imap_unordered; each item is passed as a const lvalue.
template <class F, class Item>
concept PoolMapFunction =
    std::invocable<F&, const Item&> && PoolResult<std::invoke_result_t<F&, const Item&>>;

namespace detail {
template <class F, class Tuple, std::size_t... I>
constexpr bool invocable_with_elements(std::index_sequence<I...>) {
  return std::invocable<F&, const std::tuple_element_t<I, Tuple>&...>;
}
template <class F, class Tuple, class = std::make_index_sequence<std::tuple_size_v<Tuple>>>
struct star_result;
template <class F, class Tuple, std::size_t... I>
struct star_result<F, Tuple, std::index_sequence<I...>> {
  using type = std::invoke_result_t<F&, const std::tuple_element_t<I, Tuple>&...>;
};
}  // namespace detail

/// A tuple-like item (std::tuple, std::pair, std::array) whose elements are f's arguments, for
/// starmap.
template <class F, class Tuple>
concept PoolStarMapFunction = requires {
  std::tuple_size<Tuple>::value;
}
&&detail::invocable_with_elements<F, Tuple>(std::make_index_sequence<std::tuple_size_v<Tuple>>{}) &&
    PoolResult<typename detail::star_result<F, Tuple>::type>;

/// An input of map, starmap or imap: any input range, even one that can be read only once or only
/// as non-const (a filter view, a generator). Its items are copied into the pool.
template <class Items>
concept PoolInput = std::ranges::input_range<Items> &&
    std::constructible_from<std::ranges::range_value_t<Items>,
                            std::ranges::range_reference_t<Items>> &&
    std::move_constructible<std::ranges::range_value_t<Items>>;

/// on_success(result) of an asynchronous call.
template <class C, class R>
concept SuccessCallback = std::invocable<C&, const R&>;

/// on_error(error) of an asynchronous call: the exception get() would throw.
template <class C>
concept ErrorCallback = std::invocable<C&, const std::exception_ptr&>;

/// initializer(args...), run on each worker before its first task; what it returns (if anything)
/// is that worker's state.
template <class Init, class... Args>
concept PoolInitializer = std::invocable<Init&, Args&...> &&
    (std::is_void_v<std::invoke_result_t<Init&, Args&...>> ||
     std::move_constructible<std::decay_t<std::invoke_result_t<Init&, Args&...>>>);

}  // namespace mrtbb
