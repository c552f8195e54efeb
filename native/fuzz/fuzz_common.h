// Shared helpers for the libFuzzer harnesses: wrapping a bare VC-5 payload in the smallest GPR container the
// decoder accepts, and a byte reader that turns fuzz input into parameters (never reads past the input).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace leakproof::fuzz {

// Aborts in a way libFuzzer reports as a crash (with the input saved): used when an oracle fails,
// e.g. an encode that our own decoder cannot read back.
[[noreturn]] inline void OracleFailure(const char* what) {
  fprintf(stderr, "ORACLE FAILURE: %s\n", what);
  abort();
}

// Decoding cost grows with the pixel count while the code paths do not; larger images are only opened and
// walked (every size check still runs), so the fuzzer spends its time on structure, not on big memsets.
constexpr uint64_t kMaxDecodePixels = 1u << 20;

// Consumes input bytes front to back; returns 0 once exhausted.
class ByteReader {
 public:
  ByteReader(const uint8_t* p, size_t n) : p_(p), n_(n) {}
  uint8_t U8() { return pos_ < n_ ? p_[pos_++] : 0; }
  uint16_t U16() { return static_cast<uint16_t>(U8() | U8() << 8); }
  uint32_t U32() { return U16() | static_cast<uint32_t>(U16()) << 16; }
  const uint8_t* rest() const { return p_ + pos_; }
  size_t remaining() const { return n_ - pos_; }

 private:
  const uint8_t* p_;
  size_t n_;
  size_t pos_ = 0;
};

inline void Put16(std::vector<uint8_t>* o, uint16_t v) {
  o->push_back(static_cast<uint8_t>(v));
  o->push_back(static_cast<uint8_t>(v >> 8));
}
inline void Put32(std::vector<uint8_t>* o, uint32_t v) {
  Put16(o, static_cast<uint16_t>(v));
  Put16(o, static_cast<uint16_t>(v >> 16));
}

// A little-endian TIFF with one IFD0 describing a width x height RGGB (or GBRG) VC-5 tile holding `payload`
// (its length rounded down to a multiple of 4, as TileByteCounts must be). Written by hand, not by the
// project's DNG writer, so the payload harness depends only on the decoder.
inline std::vector<uint8_t> WrapVc5Payload(const uint8_t* payload, size_t bytes, uint32_t width, uint32_t height,
                                           bool gbrg) {
  struct Entry {
    uint16_t tag, type;
    uint32_t count, value;
  };
  const size_t tile = bytes & ~size_t(3);
  const uint32_t kEntries = 11;
  const uint32_t ifdBytes = 2 + kEntries * 12 + 4;
  const uint32_t tileOffset = 8 + ifdBytes;
  const uint32_t cfa = gbrg ? 0x01000201u : 0x02010100u;  // bytes 1,2,0,1 or 0,1,1,2
  const Entry entries[kEntries] = {
      {254, 4, 1, 0},
      {256, 4, 1, width},
      {257, 4, 1, height},
      {259, 3, 1, 9},
      {262, 3, 1, 32803},
      {322, 4, 1, width},
      {323, 4, 1, height},
      {324, 4, 1, tileOffset},
      {325, 4, 1, static_cast<uint32_t>(tile)},
      {33421, 3, 2, 0x00020002u},
      {33422, 1, 4, cfa},
  };
  std::vector<uint8_t> out;
  out.reserve(tileOffset + tile);
  out.insert(out.end(), {'I', 'I', 42, 0});
  Put32(&out, 8);
  Put16(&out, kEntries);
  for (const Entry& e : entries) {
    Put16(&out, e.tag);
    Put16(&out, e.type);
    Put32(&out, e.count);
    if (e.type == 3 && e.count == 1) {
      Put16(&out, static_cast<uint16_t>(e.value));
      Put16(&out, 0);
    } else {
      Put32(&out, e.value);
    }
  }
  Put32(&out, 0);
  out.insert(out.end(), payload, payload + tile);
  return out;
}

}  // namespace leakproof::fuzz
