// Forward wavelet level: horizontal pass with prescale, then an unscaled vertical pass (gpr-format.md 4.2, 4.3),
// quantizing the highpass bands on the way out (5.2).
#include "gpr/wavelet_forward.h"

#include <algorithm>
#include <vector>

namespace leakproof::gpr {
namespace {

inline int32_t Sat16(int32_t v) { return std::min<int32_t>(std::max<int32_t>(v, -32768), 32767); }

// Reciprocal quantization, literally as the reference does it (not a division). q == 1 is the identity.
// For q >= 2 the product (|v| + midpoint) * floor(65536/q) stays below 2^31, so 32-bit arithmetic is exact.
struct Quant {
  int32_t multiplier;
  int32_t midpoint;
  explicit Quant(int q) : multiplier(65536 / q), midpoint((q >> 1) > 0 ? (q >> 1) - 1 : 0) {}
  inline int16_t operator()(int32_t v) const {
    const int32_t a = (v < 0 ? -v : v) + midpoint;
    const int32_t m = (a * multiplier) >> 16;
    return static_cast<int16_t>(v < 0 ? -m : m);
  }
};

// Any quantizer including 1, in 64-bit arithmetic (only used for unusual quantizer mixes).
struct QuantAny {
  int64_t multiplier;
  int64_t midpoint;
  explicit QuantAny(int q) : multiplier(65536 / q), midpoint((q >> 1) > 0 ? (q >> 1) - 1 : 0) {}
  inline int16_t operator()(int32_t v) const {
    const int64_t a = (v < 0 ? -static_cast<int64_t>(v) : v) + midpoint;
    int64_t m = (a * multiplier) >> 16;
    if (m > 32767) m = 32767;
    return static_cast<int16_t>(v < 0 ? -m : m);
  }
};

struct NoQuant {
  inline int16_t operator()(int32_t v) const { return static_cast<int16_t>(v); }
};

// One row: low[i] = (x[2i]+x[2i+1]+r)>>p, high from the prescaled samples P(i) = (x[i]+r)>>p.
// An odd length is extended by repeating the last sample.
GPR_SIMD_CLONES void HorizontalRow(const int16_t* x, int n_in, int p, int16_t* low, int16_t* high, int32_t* P) {
  const int32_t r = (1 << p) - 1;
  const int n = (n_in + 1) / 2;
  for (int i = 0; i < n_in; ++i) P[i] = (static_cast<int32_t>(x[i]) + r) >> p;
  if (n_in & 1) P[n_in] = P[n_in - 1];
  const int pairs = n_in / 2;
  for (int i = 0; i < pairs; ++i) low[i] = static_cast<int16_t>((x[2 * i] + x[2 * i + 1] + r) >> p);
  if (n_in & 1) low[n - 1] = static_cast<int16_t>((2 * static_cast<int32_t>(x[n_in - 1]) + r) >> p);
  high[0] = static_cast<int16_t>(Sat16((5 * P[0] - 11 * P[1] + 4 * P[2] + 4 * P[3] - P[4] - P[5] + 4) >> 3));
  for (int i = 1; i < n - 1; ++i) {
    const int k = 2 * i;
    high[i] = static_cast<int16_t>(Sat16(((-P[k - 2] - P[k - 1] + P[k + 2] + P[k + 3] + 4) >> 3) + P[k] - P[k + 1]));
  }
  const int e = 2 * n;
  high[n - 1] = static_cast<int16_t>(
      Sat16((P[e - 6] + P[e - 5] - 4 * P[e - 4] - 4 * P[e - 3] + 11 * P[e - 2] - 5 * P[e - 1] + 4) >> 3));
}

// Vertical lowpass/highpass of output row i from six consecutive rows a..f = rows 2i-2..2i+3 (interior), rows
// 0..5 (first) or rows 2n-6..2n-1 (last); r0/r1 = rows 2i, 2i+1.
enum class VerticalKind { kFirst, kInterior, kLast };

template <typename QL, typename QH>
GPR_SIMD_CLONES void VerticalRow(VerticalKind kind, const int16_t* const rows[6], const int16_t* r0, const int16_t* r1,
                                 int w, const QL& ql, const QH& qh, int16_t* lo, int16_t* hi) {
  for (int x = 0; x < w; ++x) lo[x] = ql(Sat16(static_cast<int32_t>(r0[x]) + r1[x]));
  const int16_t *a = rows[0], *b = rows[1], *c = rows[2], *d = rows[3], *e = rows[4], *f = rows[5];
  switch (kind) {
    case VerticalKind::kFirst:
      for (int x = 0; x < w; ++x)
        hi[x] = qh(Sat16((5 * a[x] - 11 * b[x] + 4 * c[x] + 4 * d[x] - e[x] - f[x] + 4) >> 3));
      break;
    case VerticalKind::kLast:
      for (int x = 0; x < w; ++x)
        hi[x] = qh(Sat16((a[x] + b[x] - 4 * c[x] - 4 * d[x] + 11 * e[x] - 5 * f[x] + 4) >> 3));
      break;
    case VerticalKind::kInterior:
      for (int x = 0; x < w; ++x) hi[x] = qh(Sat16(((-a[x] - b[x] + e[x] + f[x] + 4) >> 3) + c[x] - d[x]));
      break;
  }
}

}  // namespace

ForwardLevelStream::ForwardLevelStream(int w, int h, int prescale, const int quantizer[4], ForwardLevel* out,
                                       const WaveletBandRowSink& sink, ForwardLevelStream* next)
    : w_(w), h_(h), prescale_(prescale), bw_((w + 1) / 2), n_((h + 1) / 2), out_(out), sink_(&sink), next_(next) {
  for (int b = 0; b < 4; ++b) quantizer_[b] = quantizer[b];
  out->band_width = bw_;
  out->band_height = n_;
  if (next) {
    out->ll.Release();
    ll_row_.resize(static_cast<size_t>(bw_));
  } else {
    out->ll.Allocate(static_cast<size_t>(bw_) * n_);
  }
  highpass_rows_.resize(static_cast<size_t>(3) * bw_);  // one row of each highpass band, handed to the sink
  ring_low_.resize(static_cast<size_t>(kRing) * bw_);
  ring_high_.resize(static_cast<size_t>(kRing) * bw_);
  prescaled_.resize(static_cast<size_t>(w) + 1);
}

// Rows of the input each output row needs: six consecutive rows from `first`, the last of which (clamped to the
// input; rows past the end repeat the last row) must have been pushed.
static inline int FirstRow(int i, int n) { return i == 0 ? 0 : (i == n - 1 ? 2 * n - 6 : 2 * i - 2); }

void ForwardLevelStream::PushRow(const int16_t* row) {
  const size_t slot = static_cast<size_t>(pushed_ % kRing) * bw_;
  HorizontalRow(row, w_, prescale_, ring_low_.data() + slot, ring_high_.data() + slot, prescaled_.data());
  ++pushed_;
  // Emit every output row whose inputs are all in. A ring of 8 rows is enough: the next pending output never looks
  // further back than 7 rows before the newest (see FirstRow).
  while (emitted_ < n_ && std::min(FirstRow(emitted_, n_) + 5, h_ - 1) < pushed_) EmitRow(emitted_++);
}

void ForwardLevelStream::EmitRow(int i) {
  const int n = n_, h = h_, bw = bw_;
  auto low_row = [&](int r) { return ring_low_.data() + static_cast<size_t>(std::min(r, h - 1) % kRing) * bw; };
  auto high_row = [&](int r) { return ring_high_.data() + static_cast<size_t>(std::min(r, h - 1) % kRing) * bw; };
  const VerticalKind kind =
      i == 0 ? VerticalKind::kFirst : (i == n - 1 ? VerticalKind::kLast : VerticalKind::kInterior);
  const int first = FirstRow(i, n);
  const int16_t* lows[6];
  const int16_t* highs[6];
  for (int k = 0; k < 6; ++k) {
    lows[k] = low_row(first + k);
    highs[k] = high_row(first + k);
  }
  // LL is never quantized in GPR (q = 1); templates keep the identity out of the inner loops.
  const int* q = quantizer_;
  const bool quantize = q[1] > 1 && q[2] > 1 && q[3] > 1;
  const bool identity = q[1] == 1 && q[2] == 1 && q[3] == 1;
  const size_t o = static_cast<size_t>(i) * bw;
  // LL and band 2 from the horizontal lowpass rows; band 1 and band 3 from the highpass rows.
  int16_t* b0 = next_ ? ll_row_.data() : out_->ll.data() + o;
  int16_t* b1 = highpass_rows_.data();
  int16_t* b2 = b1 + bw;
  int16_t* b3 = b2 + bw;
  if (quantize) {
    const Quant q1(q[1]), q2(q[2]), q3(q[3]);
    VerticalRow(kind, lows, low_row(2 * i), low_row(2 * i + 1), bw, NoQuant(), q2, b0, b2);
    VerticalRow(kind, highs, high_row(2 * i), high_row(2 * i + 1), bw, q1, q3, b1, b3);
  } else if (identity) {
    VerticalRow(kind, lows, low_row(2 * i), low_row(2 * i + 1), bw, NoQuant(), NoQuant(), b0, b2);
    VerticalRow(kind, highs, high_row(2 * i), high_row(2 * i + 1), bw, NoQuant(), NoQuant(), b1, b3);
  } else {
    const QuantAny a1(q[1]), a2(q[2]), a3(q[3]);
    VerticalRow(kind, lows, low_row(2 * i), low_row(2 * i + 1), bw, NoQuant(), a2, b0, b2);
    VerticalRow(kind, highs, high_row(2 * i), high_row(2 * i + 1), bw, a1, a3, b1, b3);
  }
  (*sink_)(b1, b2, b3, bw);
  if (next_) next_->PushRow(b0);
}

}  // namespace leakproof::gpr
