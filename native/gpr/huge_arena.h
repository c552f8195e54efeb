// Large short-lived encoder memory (coded bands, the payload) from AllocLarge (gpr/large_buffer.h): malloc, so the
// leak probe's mallinfo2 counts it, with the aligned interior advised to use transparent huge pages. Why: first
// touches of fresh 4 KiB pages cost ~14 us each on the VM we measured, so the few MB an encode writes cost more in
// page faults than the entropy coder itself. Only advisory: contents and output never depend on it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>

#include "gpr/large_buffer.h"

namespace leakproof::gpr {

using HugeArena = LargeBuffer<uint8_t>;

// An arena of `bytes` (at least one byte is allocated); throws std::bad_alloc when memory is short, like the
// BitWriter growth it stands in for.
inline std::unique_ptr<HugeArena> NewHugeArena(size_t bytes) {
  auto arena = std::make_unique<HugeArena>();
  if (!arena->Allocate(bytes ? bytes : 1)) throw std::bad_alloc();
  return arena;
}

}  // namespace leakproof::gpr
