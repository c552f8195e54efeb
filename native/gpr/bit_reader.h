// MSB-first bit reader over a VC-5 payload (big-endian words). The payload buffer must carry >= 8 readable bytes
// past `limitBits` (the decoder copies payloads into padded buffers) so peeks never need a bounds branch.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace leakproof::gpr {

class BitReader {
 public:
  BitReader(const uint8_t* data, size_t startBit, size_t limitBits) : data_(data), pos_(startBit), limit_(limitBits) {}

  // Next 64 bits at the current position, MSB first; at least 57 of them are meaningful.
  uint64_t Peek64() const {
    uint64_t w;
    std::memcpy(&w, data_ + (pos_ >> 3), 8);
    return __builtin_bswap64(w) << (pos_ & 7);
  }
  void Skip(size_t bits) { pos_ += bits; }
  // Reads n <= 32 bits.
  uint32_t Read(int n) {
    uint32_t v = static_cast<uint32_t>(Peek64() >> (64 - n));
    pos_ += n;
    return v;
  }
  size_t position() const { return pos_; }
  void set_position(size_t p) { pos_ = p; }
  size_t limit() const { return limit_; }
  bool overrun() const { return pos_ > limit_; }
  // Skips to the next multiple of 32 bits (positions count from the payload start).
  void AlignToSegment() { pos_ = (pos_ + 31) & ~size_t(31); }

 private:
  const uint8_t* data_;
  size_t pos_;
  size_t limit_;
};

}  // namespace leakproof::gpr
