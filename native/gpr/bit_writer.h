// MSB-first bit writer producing the VC-5 stream: big-endian 32-bit words, segment alignment from the payload start.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <utility>

#include "gpr/huge_arena.h"

namespace leakproof::gpr {

class BitWriter {
 public:
  // The buffer is malloc'd and never zero-filled: every byte below size() is written before it is read, and growth
  // by realloc lets the C library move large blocks by remapping pages instead of copying (profiling showed
  // zero-filling and copying std::vector storage cost ~15% of an encode).
  explicit BitWriter(size_t reserve_bytes = 0) { Reserve(reserve_bytes < 64 ? 64 : reserve_bytes); }
  // Writes into `arena` (kept alive by the writer) until it is full, then moves to malloc'd memory.
  explicit BitWriter(std::unique_ptr<HugeArena> arena) : arena_(std::move(arena)) {
    buf_ = arena_->data();
    cap_ = arena_->size() & ~size_t{3};
    owned_ = false;
  }
  ~BitWriter() {
    if (owned_) std::free(buf_);
  }

  // Switches to `capacity` bytes of caller-owned memory (empty writer only; the memory must outlive the writing,
  // not the writer: the destructor never touches it). Moves to malloc'd memory if it fills up.
  void Borrow(uint8_t* storage, size_t capacity) {
    if (owned_) std::free(buf_);
    buf_ = storage;
    cap_ = capacity & ~size_t{3};
    size_ = 0;
    owned_ = false;
  }
  BitWriter(const BitWriter&) = delete;
  BitWriter& operator=(const BitWriter&) = delete;
  BitWriter(BitWriter&& o) noexcept
      : buf_(std::exchange(o.buf_, nullptr)),
        cap_(std::exchange(o.cap_, 0)),
        size_(std::exchange(o.size_, 0)),
        acc_(o.acc_),
        nbits_(o.nbits_),
        owned_(std::exchange(o.owned_, true)),
        arena_(std::move(o.arena_)) {}

  // Appends `code` as `n` bits (1 <= n <= 32, code < 2^n), most significant first.
  inline void PutBits(uint32_t code, int n) {
    acc_ = (acc_ << n) | code;
    nbits_ += n;
    if (nbits_ >= 32) {
      nbits_ -= 32;
      EmitWord(static_cast<uint32_t>(acc_ >> nbits_));
    }
  }

  // PutBits without the capacity check and without a branch on word completion, for hot loops that called
  // EnsureSpace for everything they will write (plus the 4 spare bytes EnsureSpace keeps): the top word is stored
  // every time and only kept (size advanced) when complete; an incomplete one is overwritten later.
  inline void PutBitsUnchecked(uint32_t code, int n) {
    acc_ = (acc_ << n) | code;
    nbits_ += n;
    const int full = nbits_ >> 5;  // 1 when a word is complete (nbits_ < 64 always)
    nbits_ -= full << 5;
    const uint32_t w = static_cast<uint32_t>(acc_ >> nbits_);
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint32_t be = __builtin_bswap32(w);
    std::memcpy(buf_ + size_, &be, 4);
#else
    StoreBigEndian(buf_ + size_, w);
#endif
    size_ += static_cast<size_t>(full) << 2;
  }

  // Guarantees room for `bytes` more bytes (whole words) before the next capacity check.
  inline void EnsureSpace(size_t bytes) {
    if (size_ + bytes + 4 > cap_) Reserve((size_ + bytes + 4) * 2);
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

  void PatchWord(size_t word_index, uint32_t word) { StoreBigEndian(buf_ + word_index * 4, word); }

  size_t size() const { return size_; }
  const uint8_t* data() const { return buf_; }

  // Makes room for at least `bytes` in total (never shrinks).
  void Reserve(size_t bytes) {
    bytes = (bytes + 3) & ~size_t{3};
    if (bytes <= cap_) return;
    if (!owned_) {  // leave borrowed/arena memory: copy what was written into a malloc'd buffer
      uint8_t* p = static_cast<uint8_t*>(std::malloc(bytes));
      if (p == nullptr) throw std::bad_alloc();
      if (size_) std::memcpy(p, buf_, size_);
      buf_ = p;
      cap_ = bytes;
      owned_ = true;
      return;
    }
    void* p = std::realloc(buf_, bytes);
    if (p == nullptr) throw std::bad_alloc();
    buf_ = static_cast<uint8_t*>(p);
    cap_ = bytes;
  }

  // Appends whole words produced by another writer (both streams segment aligned).
  void AppendWords(const BitWriter& other) {
    if (other.size_ == 0) return;
    if (size_ + other.size_ > cap_) Reserve((size_ + other.size_) * 2);
    std::memcpy(buf_ + size_, other.buf_, other.size_);
    size_ += other.size_;
  }

 private:
  static inline void StoreBigEndian(uint8_t* p, uint32_t w) {
    p[0] = static_cast<uint8_t>(w >> 24);
    p[1] = static_cast<uint8_t>(w >> 16);
    p[2] = static_cast<uint8_t>(w >> 8);
    p[3] = static_cast<uint8_t>(w);
  }

  inline void EmitWord(uint32_t w) {
    if (size_ + 4 > cap_) Reserve(cap_ * 2);
    StoreBigEndian(buf_ + size_, w);
    size_ += 4;
  }

  uint8_t* buf_ = nullptr;  // cap_ bytes, in use up to size_
  size_t cap_ = 0;
  size_t size_ = 0;
  uint64_t acc_ = 0;
  int nbits_ = 0;
  bool owned_ = true;                 // buf_ is malloc'd by this writer
  std::unique_ptr<HugeArena> arena_;  // storage of buf_ while !owned_, when the writer owns it
};

}  // namespace leakproof::gpr
