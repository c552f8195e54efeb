// MSB-first bit writer producing the VC-5 stream: big-endian 32-bit words, segment alignment from the payload start.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace leakproof::gpr {

class BitWriter {
 public:
  explicit BitWriter(size_t reserve_bytes = 0) { buf_.resize(reserve_bytes < 64 ? 64 : (reserve_bytes + 3) & ~size_t{3}); }

  // Appends `code` as `n` bits (1 <= n <= 32, code < 2^n), most significant first.
  inline void PutBits(uint32_t code, int n) {
    acc_ = (acc_ << n) | code;
    nbits_ += n;
    if (nbits_ >= 32) {
      nbits_ -= 32;
      EmitWord(static_cast<uint32_t>(acc_ >> nbits_));
    }
  }

  // Pads with zero bits to the next 32-bit boundary (no-op when aligned).
  inline void AlignSegment() {
    if (nbits_ > 0) PutBits(0, 32 - nbits_);
  }

  // One segment: 16-bit tag (two's complement) and 16-bit value. Caller keeps the stream aligned.
  inline void PutSegment(int tag, uint32_t value) {
    PutBits((static_cast<uint32_t>(tag) & 0xFFFFu) << 16 | (value & 0xFFFFu), 32);  // masks keep code < 2^32
  }

  inline void PutWord(uint32_t word) { PutBits(word, 32); }

  // Word index of the next word to be written (stream must be aligned).
  size_t WordPosition() const { return size_ / 4; }
  bool Aligned() const { return nbits_ == 0; }

  void PatchWord(size_t word_index, uint32_t word) {
    uint8_t* p = buf_.data() + word_index * 4;
    p[0] = static_cast<uint8_t>(word >> 24);
    p[1] = static_cast<uint8_t>(word >> 16);
    p[2] = static_cast<uint8_t>(word >> 8);
    p[3] = static_cast<uint8_t>(word);
  }

  size_t size() const { return size_; }

  // Appends whole words produced by another writer (both streams segment aligned).
  void AppendWords(const std::vector<uint8_t>& words) {
    if (size_ + words.size() > buf_.size()) buf_.resize((size_ + words.size()) * 2);
    std::copy(words.begin(), words.end(), buf_.begin() + static_cast<std::ptrdiff_t>(size_));
    size_ += words.size();
  }

  // The bytes written so far (call once, at the end; the stream must be aligned).
  std::vector<uint8_t> Take() {
    buf_.resize(size_);
    size_ = 0;
    return std::move(buf_);
  }

 private:
  inline void EmitWord(uint32_t w) {
    if (size_ + 4 > buf_.size()) buf_.resize(buf_.size() * 2);
    uint8_t* p = buf_.data() + size_;
    p[0] = static_cast<uint8_t>(w >> 24);
    p[1] = static_cast<uint8_t>(w >> 16);
    p[2] = static_cast<uint8_t>(w >> 8);
    p[3] = static_cast<uint8_t>(w);
    size_ += 4;
  }

  std::vector<uint8_t> buf_;  // capacity in use up to size_
  size_t size_ = 0;
  uint64_t acc_ = 0;
  int nbits_ = 0;
};

}  // namespace leakproof::gpr
