#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace mrtbb {

/// The allocator of hash-table slot arrays. An array of 2 MiB or more is aligned to 2 MiB and, on
/// Linux, marked for transparent huge pages (madvise): a table probed at random across hundreds of
/// megabytes otherwise takes a TLB miss, and a page walk, on nearly every lookup, on top of the
/// cache miss. Smaller arrays come from operator new as usual.
template <class T>
struct LargeTableAllocator {
  using value_type = T;

  static constexpr std::size_t huge_page = std::size_t{2} << 20;

  LargeTableAllocator() = default;
  template <class U>
  LargeTableAllocator(const LargeTableAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < huge_page) {
      return static_cast<T*>(::operator new(bytes, std::align_val_t{alignof(T)}));
    }
    const std::size_t rounded = (bytes + huge_page - 1) / huge_page * huge_page;
    void* memory = std::aligned_alloc(huge_page, rounded);
    if (memory == nullptr) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    ::madvise(memory, rounded, MADV_HUGEPAGE);  // advice only: without it, plain pages
#endif
    return static_cast<T*>(memory);
  }

  void deallocate(T* memory, std::size_t n) noexcept {
    if (n * sizeof(T) < huge_page) {
      ::operator delete(memory, std::align_val_t{alignof(T)});
    } else {
      std::free(memory);
    }
  }

  template <class U>
  bool operator==(const LargeTableAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace mrtbb
