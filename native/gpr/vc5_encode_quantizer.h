// VC-5 encoder quantization by truncated reciprocal (gpr-format.md 5.2), reproduced literally for bit-exactness.
#pragma once
#include <cstddef>
#include <cstdint>

namespace leakproof::gpr {

struct Vc5Quantizer {
  int32_t multiplier;  // floor(65536 / q)
  int32_t midpoint;    // (q >> 1) - 1, or 0 when q >> 1 == 0

  explicit Vc5Quantizer(int q)
      : multiplier(65536 / q), midpoint((q >> 1) > 0 ? (q >> 1) - 1 : 0) {}

  inline int16_t Apply(int32_t v) const {
    const int32_t a = (v < 0 ? -v : v) + midpoint;
    int32_t m = static_cast<int32_t>((static_cast<int64_t>(a) * multiplier) >> 16);
    if (m > 32767) m = 32767;
    return static_cast<int16_t>(v < 0 ? -m : m);
  }
};

// Quantizes `count` coefficients in place (q == 1 is the identity and is skipped).
void QuantizeBand(int16_t* data, size_t count, int q);

}  // namespace leakproof::gpr
