// Encoder thumbnail conversion (doc 6.4 with P = 14 and the default gains R 30/16, G 1, B 7/4).
#include "gpr/vc5_encode_thumbnail.h"

#include <cmath>

#include "gpr/vc5_tables.h"

namespace leakproof::gpr {

std::vector<uint8_t> ThumbnailToRgb8(const Vc5Thumbnail& t) {
  const int w = t.width, h = t.height;
  std::vector<uint8_t> out(static_cast<size_t>(w) * h * 3);
  if (w <= 0 || h <= 0) return out;
  constexpr int32_t kMid = 1 << 13;
  constexpr int kShift = 2;  // 14-bit lowpass -> 12-bit log index
  auto lin = [](int32_t v) -> int32_t {
    v >>= kShift;
    return kDecoderLog16[v < 0 ? 0 : (v > 4095 ? 4095 : v)];
  };
  auto gamma = [](int32_t x) -> uint8_t {
    const int32_t s = static_cast<int32_t>(std::sqrt(static_cast<float>(x)));
    return static_cast<uint8_t>(s < 0 ? 0 : (s > 255 ? 255 : s));
  };
  for (int y = 0; y < h; ++y) {
    uint8_t* o = out.data() + static_cast<size_t>(y) * w * 3;
    for (int x = 0; x < w; ++x) {
      const size_t i = static_cast<size_t>(y) * w + (w - 1 - x);
      const int32_t g = t.plane[0][i];
      const int32_t r = 2 * (t.plane[1][i] - kMid) + g;
      const int32_t b = 2 * (t.plane[2][i] - kMid) + g;
      o[3 * x + 0] = gamma((lin(r) * 30) >> 4);
      o[3 * x + 1] = gamma(lin(g));
      o[3 * x + 2] = gamma((lin(b) * 7) >> 2);
    }
  }
  return out;
}

}  // namespace leakproof::gpr
