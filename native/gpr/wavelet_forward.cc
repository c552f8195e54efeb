// Forward wavelet level: horizontal pass with prescale, then an unscaled vertical pass (gpr-format.md 4.2, 4.3).
#include "gpr/wavelet_forward.h"

#include <algorithm>

namespace leakproof::gpr {
namespace {

inline int16_t Sat16(int32_t v) {
  return static_cast<int16_t>(std::min<int32_t>(std::max<int32_t>(v, -32768), 32767));
}

// One row: low[i] = (x[2i]+x[2i+1]+r)>>p, high from the prescaled samples P(i) = (x[i]+r)>>p.
// An odd length is extended by repeating the last sample.
void HorizontalRow(const int16_t* x, int n_in, int p, int16_t* low, int16_t* high, int32_t* prescaled) {
  const int32_t r = (1 << p) - 1;
  const int n_even = n_in + (n_in & 1);
  const int n = n_even / 2;
  for (int i = 0; i < n_in; ++i) prescaled[i] = (static_cast<int32_t>(x[i]) + r) >> p;
  if (n_in & 1) prescaled[n_in] = prescaled[n_in - 1];
  for (int i = 0; i < n; ++i) {
    const int32_t a = x[2 * i];
    const int32_t b = (2 * i + 1 < n_in) ? x[2 * i + 1] : x[n_in - 1];
    low[i] = static_cast<int16_t>((a + b + r) >> p);
  }
  const int32_t* P = prescaled;
  high[0] = Sat16((5 * P[0] - 11 * P[1] + 4 * P[2] + 4 * P[3] - P[4] - P[5] + 4) >> 3);
  for (int i = 1; i < n - 1; ++i) {
    const int k = 2 * i;
    high[i] = Sat16(((-P[k - 2] - P[k - 1] + P[k + 2] + P[k + 3] + 4) >> 3) + P[k] - P[k + 1]);
  }
  const int e = 2 * n;
  high[n - 1] = Sat16((P[e - 6] + P[e - 5] - 4 * P[e - 4] - 4 * P[e - 3] + 11 * P[e - 2] - 5 * P[e - 1] + 4) >> 3);
}

// Vertical pass over `rows` (h rows of width w, row-major): lowpass sums and highpass differences,
// no prescale. An odd height repeats the last row.
void VerticalPass(const int16_t* rows, int w, int h, int16_t* low_out, int16_t* high_out) {
  const int n = (h + (h & 1)) / 2;
  auto row = [&](int i) -> const int16_t* { return rows + static_cast<size_t>(std::min(i, h - 1)) * w; };
  for (int i = 0; i < n; ++i) {
    const int k = 2 * i;
    const int16_t* r0 = row(k);
    const int16_t* r1 = row(k + 1);
    int16_t* lo = low_out + static_cast<size_t>(i) * w;
    int16_t* hi = high_out + static_cast<size_t>(i) * w;
    for (int x = 0; x < w; ++x) lo[x] = Sat16(static_cast<int32_t>(r0[x]) + r1[x]);
    if (i == 0) {
      const int16_t *a = row(0), *b = row(1), *c = row(2), *d = row(3), *e = row(4), *f = row(5);
      for (int x = 0; x < w; ++x)
        hi[x] = Sat16((5 * a[x] - 11 * b[x] + 4 * c[x] + 4 * d[x] - e[x] - f[x] + 4) >> 3);
    } else if (i == n - 1) {
      const int m = 2 * n;
      const int16_t *a = row(m - 6), *b = row(m - 5), *c = row(m - 4), *d = row(m - 3), *e = row(m - 2),
                    *f = row(m - 1);
      for (int x = 0; x < w; ++x)
        hi[x] = Sat16((a[x] + b[x] - 4 * c[x] - 4 * d[x] + 11 * e[x] - 5 * f[x] + 4) >> 3);
    } else {
      const int16_t *a = row(k - 2), *b = row(k - 1), *e = row(k + 2), *f = row(k + 3);
      for (int x = 0; x < w; ++x)
        hi[x] = Sat16(((-a[x] - b[x] + e[x] + f[x] + 4) >> 3) + r0[x] - r1[x]);
    }
  }
}

}  // namespace

void ForwardWaveletLevel(const int16_t* in, int w, int h, int prescale, ForwardLevel* out,
                         std::vector<int16_t>* scratch) {
  const int bw = (w + 1) / 2;
  const int bh = (h + 1) / 2;
  out->band_width = bw;
  out->band_height = bh;
  const size_t band_size = static_cast<size_t>(bw) * bh;
  for (auto& b : out->band) b.resize(band_size);

  // scratch: h rows of horizontal lowpass, then h rows of horizontal highpass, then prescaled samples.
  const size_t half = static_cast<size_t>(bw) * h;
  scratch->resize(2 * half);
  int16_t* low_rows = scratch->data();
  int16_t* high_rows = scratch->data() + half;
  std::vector<int32_t> prescaled(static_cast<size_t>(w) + 1);
  for (int y = 0; y < h; ++y) {
    HorizontalRow(in + static_cast<size_t>(y) * w, w, prescale, low_rows + static_cast<size_t>(y) * bw,
                  high_rows + static_cast<size_t>(y) * bw, prescaled.data());
  }
  VerticalPass(low_rows, bw, h, out->band[0].data(), out->band[2].data());
  VerticalPass(high_rows, bw, h, out->band[1].data(), out->band[3].data());
}

}  // namespace leakproof::gpr
