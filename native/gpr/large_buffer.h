// Uninitialized large allocations for the codec's big buffers (bands, wavelet levels, outputs), advised to use
// transparent huge pages: first-touch page faults otherwise dominate decode time (measured on the project VM:
// writing a fresh 24 MB buffer took 20-260 ms with 4 KiB pages, 2 ms with huge pages).
#pragma once
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <utility>

namespace leakproof::gpr {

constexpr size_t kHugePageBytes = size_t(2) << 20;

// Advises the kernel to back the 2 MiB-aligned interior of [p, p + bytes) with huge pages (advisory; no-op for
// small ranges or where THP is off). Also used by the binding on V8-allocated output buffers before decoding.
inline void AdviseHugePages(void* p, size_t bytes) {
#ifdef MADV_HUGEPAGE
  if (!p || bytes < 2 * kHugePageBytes) return;
  uintptr_t begin = (reinterpret_cast<uintptr_t>(p) + kHugePageBytes - 1) & ~uintptr_t(kHugePageBytes - 1);
  uintptr_t end = (reinterpret_cast<uintptr_t>(p) + bytes) & ~uintptr_t(kHugePageBytes - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

// nullptr when out of memory (or bytes == 0). Free with FreeLarge. Plain malloc, so glibc can reuse freed blocks
// and mallinfo2 (the leak probe) still counts them.
inline void* AllocLarge(size_t bytes) {
  if (bytes == 0) return nullptr;
  void* p = std::malloc(bytes);
  AdviseHugePages(p, bytes);
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
  LargeBuffer(LargeBuffer&& o) noexcept
      : p_(std::exchange(o.p_, nullptr)), n_(std::exchange(o.n_, 0)), cap_(std::exchange(o.cap_, 0)) {}
  LargeBuffer& operator=(LargeBuffer&& o) noexcept {
    if (this != &o) {
      FreeLarge(p_);
      p_ = std::exchange(o.p_, nullptr);
      n_ = std::exchange(o.n_, 0);
      cap_ = std::exchange(o.cap_, 0);
    }
    return *this;
  }
  ~LargeBuffer() { FreeLarge(p_); }

  // Replaces the contents with n uninitialized elements; false when out of memory.
  bool Allocate(size_t n) {
    FreeLarge(p_);
    p_ = nullptr;
    n_ = 0;
    cap_ = 0;
    if (n == 0) return true;
    if (n > SIZE_MAX / sizeof(T)) return false;
    p_ = static_cast<T*>(AllocLarge(n * sizeof(T)));
    if (!p_) return false;
    n_ = cap_ = n;
    return true;
  }
  // Like Allocate, but keeps the current memory (already faulted in) when it is large enough.
  bool Reserve(size_t n) {
    if (n <= cap_ && p_) {
      n_ = n;
      return true;
    }
    return Allocate(n);
  }
  T* data() { return p_; }
  const T* data() const { return p_; }
  size_t size() const { return n_; }
  void swap(LargeBuffer& o) noexcept {
    std::swap(p_, o.p_);
    std::swap(n_, o.n_);
    std::swap(cap_, o.cap_);
  }

 private:
  T* p_ = nullptr;
  size_t n_ = 0;
  size_t cap_ = 0;
};

}  // namespace leakproof::gpr
