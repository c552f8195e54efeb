// Inverse wavelet level, row-pair streaming: each input row i yields output rows 2i and 2i+1.
#include "gpr/wavelet_inverse.h"

#include <vector>

#include "gpr/simd_clones.h"

namespace leakproof::gpr {

namespace {

inline int32_t Sat16(int32_t x) { return x > 32767 ? 32767 : x < -32768 ? -32768 : x; }

// Vertical inverse of input row i for all columns: (L, H) columns -> output rows 2i (even) and 2i+1 (odd).
GPR_SIMD_CLONES void VerticalRow(const int16_t* L, const int16_t* H, uint32_t w, uint32_t h, uint32_t i, int16_t* even,
                                 int16_t* odd) {
  const int16_t* l0 = L + size_t(i) * w;
  const int16_t* hh = H + size_t(i) * w;
  if (i == 0) {
    const int16_t* l1 = l0 + w;
    const int16_t* l2 = l1 + w;
    for (uint32_t x = 0; x < w; x++) {
      int32_t e = ((11 * l0[x] - 4 * l1[x] + l2[x] + 4) >> 3) + hh[x];
      int32_t o = ((5 * l0[x] + 4 * l1[x] - l2[x] + 4) >> 3) - hh[x];
      even[x] = static_cast<int16_t>(Sat16(e >> 1));
      odd[x] = static_cast<int16_t>(Sat16(o >> 1));
    }
  } else if (i == h - 1) {
    const int16_t* m1 = l0 - w;
    const int16_t* m2 = m1 - w;
    for (uint32_t x = 0; x < w; x++) {
      int32_t e = ((5 * l0[x] + 4 * m1[x] - m2[x] + 4) >> 3) + hh[x];
      int32_t o = ((11 * l0[x] - 4 * m1[x] + m2[x] + 4) >> 3) - hh[x];
      even[x] = static_cast<int16_t>(Sat16(e >> 1));
      odd[x] = static_cast<int16_t>(Sat16(o >> 1));
    }
  } else {
    const int16_t* up = l0 - w;
    const int16_t* dn = l0 + w;
    for (uint32_t x = 0; x < w; x++) {
      int32_t d = up[x] - dn[x];
      int32_t e = ((d + 4) >> 3) + l0[x] + hh[x];
      int32_t o = ((-d + 4) >> 3) + l0[x] - hh[x];
      even[x] = static_cast<int16_t>(Sat16(e >> 1));
      odd[x] = static_cast<int16_t>(Sat16(o >> 1));
    }
  }
}

struct Descale {
  static inline int32_t F(int32_t x) { return Sat16(x * 2); }
};
struct Final {
  static inline int32_t F(int32_t x) {
    x >>= 1;
    return x < 0 ? 0 : x > 16383 ? 16383 : x;
  }
};

// Horizontal inverse of one row pair (lowpass L, highpass H, n = w) into outW samples at out[x * CS]. The even and
// odd outputs are computed into two scratch rows first (a loop the compiler vectorizes), then interleaved.
template <typename Op, typename T, int CS>
GPR_SIMD_CLONES void HorizontalRow(const int16_t* L, const int16_t* H, uint32_t n, uint32_t outW, T* out, int16_t* ev,
                                   int16_t* od) {
  ev[0] = static_cast<int16_t>(Op::F(((11 * L[0] - 4 * L[1] + L[2] + 4) >> 3) + H[0]));
  od[0] = static_cast<int16_t>(Op::F(((5 * L[0] + 4 * L[1] - L[2] + 4) >> 3) - H[0]));
  for (uint32_t x = 1; x + 1 < n; x++) {
    int32_t d = L[x - 1] - L[x + 1];
    int32_t e = ((d + 4) >> 3) + L[x] + H[x];
    int32_t o = ((-d + 4) >> 3) + L[x] - H[x];
    ev[x] = static_cast<int16_t>(Op::F(e));
    od[x] = static_cast<int16_t>(Op::F(o));
  }
  const uint32_t x = n - 1;
  ev[x] = static_cast<int16_t>(Op::F(((5 * L[x] + 4 * L[x - 1] - L[x - 2] + 4) >> 3) + H[x]));
  od[x] = static_cast<int16_t>(Op::F(((11 * L[x] - 4 * L[x - 1] + L[x - 2] + 4) >> 3) - H[x]));
  const uint32_t pairs = outW / 2;
  for (uint32_t k = 0; k < pairs; k++) {
    out[size_t(2 * k) * CS] = static_cast<T>(ev[k]);
    out[size_t(2 * k + 1) * CS] = static_cast<T>(od[k]);
  }
  if (outW & 1) out[size_t(outW - 1) * CS] = static_cast<T>(ev[pairs]);
}

template <typename Op, typename T, int CS>
void InverseLevel(const int16_t* ll, const int16_t* b1, const int16_t* b2, const int16_t* b3, uint32_t w, uint32_t h,
                  uint32_t outW, uint32_t outH, T* out, size_t rowStride, RowsDone done = nullptr,
                  void* ctx = nullptr) {
  std::vector<int16_t> rows(size_t(w) * 6);
  int16_t* lowEven = rows.data();
  int16_t* lowOdd = lowEven + w;
  int16_t* highEven = lowOdd + w;
  int16_t* highOdd = highEven + w;
  int16_t* ev = highOdd + w;
  int16_t* od = ev + w;
  for (uint32_t i = 0; i < h; i++) {
    // (LL, band 2) -> horizontal-lowpass rows; (band 1, band 3) -> horizontal-highpass rows.
    VerticalRow(ll, b2, w, h, i, lowEven, lowOdd);
    VerticalRow(b1, b3, w, h, i, highEven, highOdd);
    uint32_t y = 2 * i;
    HorizontalRow<Op, T, CS>(lowEven, highEven, w, outW, out + size_t(y) * rowStride, ev, od);
    if (y + 1 < outH) HorizontalRow<Op, T, CS>(lowOdd, highOdd, w, outW, out + size_t(y + 1) * rowStride, ev, od);
    if (done) done(ctx, y, y + 1 < outH ? 2 : 1);
  }
}

}  // namespace

void InverseWaveletLevel(const int16_t* ll, const int16_t* b1, const int16_t* b2, const int16_t* b3, uint32_t w,
                         uint32_t h, uint32_t outW, uint32_t outH, InverseOutput mode, int16_t* out, size_t rowStride) {
  if (mode == InverseOutput::kDescale)
    InverseLevel<Descale, int16_t, 1>(ll, b1, b2, b3, w, h, outW, outH, out, rowStride);
  else
    InverseLevel<Final, int16_t, 1>(ll, b1, b2, b3, w, h, outW, outH, out, rowStride);
}

void InverseWaveletLevelToRows(const int16_t* ll, const int16_t* b1, const int16_t* b2, const int16_t* b3, uint32_t w,
                               uint32_t h, uint32_t outW, uint32_t outH, uint16_t* out, size_t rowStride, RowsDone done,
                               void* ctx) {
  InverseLevel<Final, uint16_t, 1>(ll, b1, b2, b3, w, h, outW, outH, out, rowStride, done, ctx);
}

}  // namespace leakproof::gpr
