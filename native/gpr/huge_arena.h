// Large short-lived encoder memory backed by transparent huge pages where Linux offers them (madvise
// MADV_HUGEPAGE; "madvise" mode is the common default). Why: first touches of fresh 4 KiB pages cost ~14 us each on
// the virtual machines we measured, so the few MB an encode writes cost more in page faults than the entropy coder
// itself; a 2 MiB page costs one fault. Elsewhere (or if mmap fails) it is plain malloc. Only advisory: contents and
// output never depend on it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace leakproof::gpr {

class HugeArena {
 public:
  static constexpr size_t kHugePage = size_t{2} << 20;

  explicit HugeArena(size_t bytes) : size_(bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (bytes >= kHugePage / 2) {
      map_len_ = (bytes + kHugePage - 1) / kHugePage * kHugePage + kHugePage;  // room to align the start
      void* m = mmap(nullptr, map_len_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (m != MAP_FAILED) {
        map_ = static_cast<uint8_t*>(m);
        const uintptr_t aligned = (reinterpret_cast<uintptr_t>(map_) + kHugePage - 1) & ~(uintptr_t{kHugePage} - 1);
        data_ = reinterpret_cast<uint8_t*>(aligned);
        madvise(data_, map_len_ - (aligned - reinterpret_cast<uintptr_t>(map_)), MADV_HUGEPAGE);
        return;
      }
      map_len_ = 0;
    }
#endif
    data_ = static_cast<uint8_t*>(std::malloc(bytes ? bytes : 1));
    if (data_ == nullptr) throw std::bad_alloc();
  }
  ~HugeArena() {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (map_ != nullptr) {
      munmap(map_, map_len_);
      return;
    }
#endif
    std::free(data_);
  }
  HugeArena(const HugeArena&) = delete;
  HugeArena& operator=(const HugeArena&) = delete;

  uint8_t* data() { return data_; }
  size_t size() const { return size_; }

 private:
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
  uint8_t* map_ = nullptr;  // the whole mapping when mmap'd
  size_t map_len_ = 0;
};

}  // namespace leakproof::gpr
