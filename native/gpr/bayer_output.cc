// Inverse component transform per 2x2 cell, then the decoder log curve shifted to the output depth.
#include "gpr/bayer_output.h"

#include <cstring>
#include <vector>

#include "gpr/simd_clones.h"
#include "gpr/vc5_tables.h"

namespace leakproof::gpr {

namespace {

inline int32_t Clamp12(int32_t x) { return x < 0 ? 0 : x > 4095 ? 4095 : x; }

struct OutputCurve {
  uint16_t v[4096];
  explicit OutputCurve(int bits) {
    for (int i = 0; i < 4096; i++) v[i] = static_cast<uint16_t>(kDecoderLog16[i] >> (16 - bits));
  }
};

}  // namespace

GPR_SIMD_CLONES void ComponentRowsToBayer(uint16_t* buf, uint32_t width, uint32_t cellRowBegin, uint32_t cellRowEnd,
                                          CfaPattern cfa) {
  static const OutputCurve curve14(14);
  static const OutputCurve curve12(12);
  const bool rggb = cfa == CfaPattern::kRggb;
  const uint16_t* curve = rggb ? curve14.v : curve12.v;
  const uint32_t cw = width / 2;
  std::vector<uint16_t> tmp(size_t(width) * 2);  // the component rows, copied out so the cells can be written in place
  for (uint32_t y = cellRowBegin; y < cellRowEnd; y++) {
    uint16_t* r0 = buf + size_t(2 * y) * width;
    uint16_t* r1 = r0 + width;
    std::memcpy(tmp.data(), r0, size_t(width) * 2 * sizeof(uint16_t));
    const uint16_t* GS = tmp.data();
    const uint16_t* RG = GS + cw;
    const uint16_t* BG = RG + cw;
    const uint16_t* GD = BG + cw;
    for (uint32_t x = 0; x < cw; x++) {
      int32_t gs = GS[x], rg = RG[x] - 2048, bg = BG[x] - 2048, gd = GD[x] - 2048;
      uint16_t R = curve[Clamp12(2 * rg + gs)];
      uint16_t B = curve[Clamp12(2 * bg + gs)];
      uint16_t G1 = curve[Clamp12(gs + gd)];
      uint16_t G2 = curve[Clamp12(gs - gd)];
      if (rggb) {
        r0[2 * x] = R;
        r0[2 * x + 1] = G1;
        r1[2 * x] = G2;
        r1[2 * x + 1] = B;
      } else {
        r0[2 * x] = G1;
        r0[2 * x + 1] = B;
        r1[2 * x] = R;
        r1[2 * x + 1] = G2;
      }
    }
  }
}

}  // namespace leakproof::gpr
