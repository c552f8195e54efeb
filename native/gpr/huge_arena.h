// Large short-lived encoder memory (coded bands, the payload) from AllocLarge (gpr/large_buffer.h): malloc, so the
// leak probe's mallinfo2 counts it, with the aligned interior advised to use transparent huge pages. Why: first
// touches of fresh 4 KiB pages cost ~14 us each on the VM we measured, so the few MB an encode writes cost more in
// page faults than the entropy coder itself. Only advisory: contents and output never depend on it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <new>

#include "gpr/large_buffer.h"

namespace leakproof::gpr {

class HugeArena {
 public:
  explicit HugeArena(size_t bytes) : data_(static_cast<uint8_t*>(AllocLarge(bytes ? bytes : 1))), size_(bytes) {
    if (data_ == nullptr) throw std::bad_alloc();
  }
  ~HugeArena() { FreeLarge(data_); }
  HugeArena(const HugeArena&) = delete;
  HugeArena& operator=(const HugeArena&) = delete;

  uint8_t* data() { return data_; }
  size_t size() const { return size_; }

 private:
  uint8_t* data_;
  size_t size_;
};

}  // namespace leakproof::gpr
