// Uninitialized large allocations for the codec's big buffers (bands, wavelet levels, outputs). Buffers of 1 MiB and
// more are 2 MiB-aligned and marked for transparent huge pages: first-touch page faults otherwise dominate decode time
// (measured on the project VM: writing a fresh 24 MB buffer took 20-260 ms with 4 KiB pages, 2 ms with huge pages).
#pragma once
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <utility>

namespace leakproof::gpr {

constexpr size_t kHugePageBytes = size_t(2) << 20;

// nullptr when out of memory (or bytes == 0). Free with FreeLarge.
inline void* AllocLarge(size_t bytes) {
  if (bytes == 0) return nullptr;
  if (bytes < (size_t(1) << 20)) return std::malloc(bytes);
  size_t rounded = (bytes + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  void* p = std::aligned_alloc(kHugePageBytes, rounded);
#ifdef MADV_HUGEPAGE
  if (p) madvise(p, rounded, MADV_HUGEPAGE);  // advisory: ignored where THP is disabled
#endif
  return p;
}

inline void FreeLarge(void* p) { std::free(p); }

// Owning array of T (trivial types only), contents uninitialized.
template <typename T>
class LargeBuffer {
 public:
  LargeBuffer() = default;
  LargeBuffer(const LargeBuffer&) = delete;
  LargeBuffer& operator=(const LargeBuffer&) = delete;
  LargeBuffer(LargeBuffer&& o) noexcept : p_(std::exchange(o.p_, nullptr)), n_(std::exchange(o.n_, 0)) {}
  LargeBuffer& operator=(LargeBuffer&& o) noexcept {
    if (this != &o) {
      FreeLarge(p_);
      p_ = std::exchange(o.p_, nullptr);
      n_ = std::exchange(o.n_, 0);
    }
    return *this;
  }
  ~LargeBuffer() { FreeLarge(p_); }

  // Replaces the contents with n uninitialized elements; false when out of memory.
  bool Allocate(size_t n) {
    FreeLarge(p_);
    p_ = nullptr;
    n_ = 0;
    if (n == 0) return true;
    if (n > SIZE_MAX / sizeof(T)) return false;
    p_ = static_cast<T*>(AllocLarge(n * sizeof(T)));
    if (!p_) return false;
    n_ = n;
    return true;
  }
  T* data() { return p_; }
  const T* data() const { return p_; }
  size_t size() const { return n_; }
  void swap(LargeBuffer& o) noexcept {
    std::swap(p_, o.p_);
    std::swap(n_, o.n_);
  }

 private:
  T* p_ = nullptr;
  size_t n_ = 0;
};

}  // namespace leakproof::gpr
