// AlignedAllocator: a std-compatible allocator returning memory aligned to `Alignment` bytes, so that
// bit matrices (Bloom-filter encodings) can be streamed by SIMD kernels with aligned loads.
//
// Thread-safety: stateless; safe to use from any thread.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <limits>
#include <new>

namespace matchguard {

template <typename T, std::size_t Alignment>
class AlignedAllocator {
 public:
  static_assert(Alignment >= alignof(T) && (Alignment & (Alignment - 1)) == 0,
                "alignment must be a power of two at least alignof(T)");
  using value_type = T;
  template <typename U>
  struct rebind {
    using other = AlignedAllocator<U, Alignment>;
  };

  AlignedAllocator() noexcept = default;
  template <typename U>
  AlignedAllocator(const AlignedAllocator<U, Alignment>&) noexcept {}  // NOLINT(google-explicit-constructor)

  T* allocate(std::size_t n) {
    if (n > std::numeric_limits<std::size_t>::max() / sizeof(T) - Alignment) throw std::bad_alloc();
    // std::aligned_alloc requires the size to be a multiple of the alignment.
    std::size_t bytes = (n * sizeof(T) + Alignment - 1) / Alignment * Alignment;
    if (bytes == 0) bytes = Alignment;
    void* p = std::aligned_alloc(Alignment, bytes);
    if (p == nullptr) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t) noexcept { std::free(p); }

  template <typename U>
  bool operator==(const AlignedAllocator<U, Alignment>&) const noexcept {
    return true;
  }
};

}  // namespace matchguard
