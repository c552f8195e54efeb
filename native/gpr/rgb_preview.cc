// RGB previews from the wavelet planes: the same integer steps and float32 sqrt as the reference.
#include "gpr/rgb_preview.h"

#include <cmath>
#include <memory>

#include "gpr/vc5_tables.h"

namespace leakproof::gpr {

namespace {

inline int32_t Clamp12(int32_t x) { return x < 0 ? 0 : x > 4095 ? 4095 : x; }

// The reference's find_rational, in float32: smallest d >= 1 with g - trunc(g*2^d)/2^d < 0.125.
void FindRational(float g, int32_t* num, int32_t* shift) {
  for (int d = 1; d < 24; d++) {
    int32_t n = static_cast<int32_t>(g * static_cast<float>(1 << d));
    float err = g - static_cast<float>(n) / static_cast<float>(1 << d);
    if (err < 0.125f) {
      *num = n;
      *shift = d;
      return;
    }
  }
  *num = 1;
  *shift = 0;
}

template <typename Emit>
void Convert(const int16_t* gs, const int16_t* rg, const int16_t* bg, uint32_t w, uint32_t h, int precision,
             Emit emit) {
  const int32_t mid = 1 << (precision - 1);
  const int s = precision - 12;
  for (uint32_t y = 0; y < h; y++) {
    const size_t row = size_t(y) * w;
    for (uint32_t x = 0; x < w; x++) {
      size_t src = row + (w - 1 - x);  // horizontally mirrored
      int32_t G = gs[src];
      int32_t R = 2 * (rg[src] - mid) + G;
      int32_t B = 2 * (bg[src] - mid) + G;
      emit(row + x, Clamp12(R >> s), Clamp12(G >> s), Clamp12(B >> s));  // indices into kDecoderLog16
    }
  }
}

}  // namespace

RgbGains GainsFromMetadata(const GprMetadata& meta) {
  RgbGains g;
  if (!meta.hasAsShotNeutral) return g;
  float gains[3];
  for (int i = 0; i < 3; i++) {
    const Rational& r = meta.asShotNeutral[i];
    if (r.num == 0 || r.den == 0) return g;  // gain would be infinite: keep the defaults
    gains[i] = static_cast<float>(1.0 / (double(r.num) / double(r.den)));
    if (!std::isfinite(gains[i]) || gains[i] > 1e6f) return g;
  }
  for (int i = 0; i < 3; i++) FindRational(gains[i], &g.num[i], &g.shift[i]);
  return g;
}

void PlanesToRgb16(const int16_t* gs, const int16_t* rg, const int16_t* bg, uint32_t w, uint32_t h, int precision,
                   uint16_t* out) {
  Convert(gs, rg, bg, w, h, precision, [out](size_t i, int32_t R, int32_t G, int32_t B) {
    out[3 * i] = static_cast<uint16_t>(kDecoderLog16[R]);
    out[3 * i + 1] = static_cast<uint16_t>(kDecoderLog16[G]);
    out[3 * i + 2] = static_cast<uint16_t>(kDecoderLog16[B]);
  });
}

void PlanesToRgb8(const int16_t* gs, const int16_t* rg, const int16_t* bg, uint32_t w, uint32_t h, int precision,
                  const RgbGains& gains, uint8_t* out) {
  auto tone = [&gains](int32_t X, int c) -> uint8_t {
    int64_t v = (int64_t(X) * gains.num[c]) >> gains.shift[c];
    int32_t t = static_cast<int32_t>(std::sqrt(static_cast<float>(v)));
    return static_cast<uint8_t>(t < 0 ? 0 : t > 255 ? 255 : t);
  };
  // The 8-bit value depends only on the 12-bit index into the log table: one 4096-entry table per colour, so the
  // gain, float sqrt and clamp run 3 x 4096 times instead of three times per pixel (same bytes).
  std::unique_ptr<uint8_t[]> lut(new uint8_t[3 * 4096]);
  for (int c = 0; c < 3; c++) {
    for (int i = 0; i < 4096; i++) lut[c * 4096 + i] = tone(kDecoderLog16[i], c);
  }
  const uint8_t* lr = lut.get();
  const uint8_t* lg = lr + 4096;
  const uint8_t* lb = lg + 4096;
  Convert(gs, rg, bg, w, h, precision, [&](size_t i, int32_t R, int32_t G, int32_t B) {
    out[3 * i] = lr[R];
    out[3 * i + 1] = lg[G];
    out[3 * i + 2] = lb[B];
  });
}

}  // namespace leakproof::gpr
