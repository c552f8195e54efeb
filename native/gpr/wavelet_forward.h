// Forward 2/6 ("CineForm") integer wavelet, one level: the encoder side of gpr-format.md section 4.2/4.3.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "gpr/simd_clones.h"

namespace leakproof::gpr {

// A band's coefficients; storage is left uninitialized on allocation (every element is written by the transform).
class WaveletBand {
 public:
  void Allocate(size_t n) {
    if (n != size_) {
      data_.reset(new int16_t[n]);
      size_ = n;
    }
  }
  int16_t* data() { return data_.get(); }
  const int16_t* data() const { return data_.get(); }
  size_t size() const { return size_; }
  void Release() {
    data_.reset();
    size_ = 0;
  }

 private:
  std::unique_ptr<int16_t[]> data_;
  size_t size_ = 0;
};

// What one level keeps: the band size (ceil(w/2) x ceil(h/2) of the input) and, for the last level of a pyramid,
// its LL band. The highpass bands (1 = vertical-low of horizontal-high, 2 = vertical-high of horizontal-low,
// 3 = vertical-high of horizontal-high) are never stored: their rows go to a sink as they are produced.
struct ForwardLevel {
  int band_width = 0;
  int band_height = 0;
  WaveletBand ll;
};

// Receives each output row of the quantized highpass bands 1..3 (band_width values each) as it is produced, in
// row order.
using WaveletBandRowSink = std::function<void(const int16_t* band1, const int16_t* band2, const int16_t* band3, int n)>;

// One level of the forward transform, push form (format doc 5.2): feed the h input rows (w x h, w and h >= 6) in
// order with PushRow, horizontal prescale 0 or 2. Each output row is produced as soon as its inputs are in, and all
// of them once the last row is pushed: highpass band b (1..3) quantized with quantizer[b] (1 = unquantized) and
// handed to `sink`; LL (never quantized in GPR, so quantizer[0] is ignored) stored in out->ll, or, with `next`,
// pushed into the next level's stream instead (out->ll stays empty). The vertical pass streams through a ring of
// horizontally filtered rows, so a whole pyramid runs in one pass over its input with no full-size band in memory;
// the encoder drives the four channels' pyramids in lockstep from one pass over the mosaic.
class ForwardLevelStream {
 public:
  ForwardLevelStream(int w, int h, int prescale, const int quantizer[4], ForwardLevel* out,
                     const WaveletBandRowSink& sink, ForwardLevelStream* next = nullptr);
  void PushRow(const int16_t* row);

 private:
  static constexpr int kRing = 8;
  void EmitRow(int i);

  int w_, h_, prescale_, bw_, n_;
  int quantizer_[4];
  ForwardLevel* out_;
  const WaveletBandRowSink* sink_;
  ForwardLevelStream* next_;
  int pushed_ = 0;
  int emitted_ = 0;
  std::vector<int16_t> ring_low_, ring_high_, highpass_rows_, ll_row_;
  std::vector<int32_t> prescaled_;
};

}  // namespace leakproof::gpr
