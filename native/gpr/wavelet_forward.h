// Forward 2/6 ("CineForm") integer wavelet, one level: the encoder side of gpr-format.md section 4.2/4.3.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

// Hot encoder loops also get an AVX2 clone, chosen at load time (GCC function multiversioning via ifunc); other
// compilers and targets use the portable build. Output is identical either way (integer arithmetic only).
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define GPR_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define GPR_VECTOR_CLONES
#endif

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

// The four bands of one level, each band_width x band_height (ceil(w/2) x ceil(h/2) of the input).
// band[0] = LL, band[1] = vertical-low of horizontal-high, band[2] = vertical-high of horizontal-low,
// band[3] = vertical-high of horizontal-high.
struct ForwardLevel {
  int band_width = 0;
  int band_height = 0;
  WaveletBand band[4];
};

// Transforms a w x h array (row-major, w and h >= 6) with horizontal prescale 0 or 2, quantizing highpass band b
// (1..3) with quantizer[b] (1 = unquantized) as it is produced (format doc 5.2). LL is never quantized (GPR uses
// q = 1 for it at every level), so quantizer[0] is ignored. Streams the vertical pass through a ring of
// horizontally filtered rows, so no full-size intermediate is kept.
// Receives each output row of the quantized highpass bands 1..3 (band_width values each) as it is produced, in
// row order. When a sink is given the highpass bands are not stored (only LL is), which keeps memory to one band.
using WaveletBandRowSink = std::function<void(const int16_t* band1, const int16_t* band2, const int16_t* band3, int n)>;

void ForwardWaveletLevel(const int16_t* in, int w, int h, int prescale, const int quantizer[4], ForwardLevel* out,
                         const WaveletBandRowSink* sink = nullptr);

// Same, with the input rows produced on demand (in increasing order, each once): `row(y, scratch)` returns row y,
// either a pointer into existing memory or `scratch` (w samples) after filling it.
using WaveletRowSource = std::function<const int16_t*(int y, int16_t* scratch)>;
void ForwardWaveletLevelRows(const WaveletRowSource& row, int w, int h, int prescale, const int quantizer[4],
                             ForwardLevel* out, const WaveletBandRowSink* sink = nullptr);

// Push form of one level: feed the h input rows in order with PushRow; output rows (LL stored, highpass rows to the
// sink or stored) are produced as soon as their inputs are in, and all of them once the last row is pushed. Lets
// the encoder drive the four channels' level 0 in lockstep from one pass over the mosaic. With `next`, each LL row
// is pushed into the next level's stream as it is produced instead of being stored (out->band[0] stays empty), so a
// whole pyramid runs in one pass with no full-size band in memory.
class ForwardLevelStream {
 public:
  ForwardLevelStream(int w, int h, int prescale, const int quantizer[4], ForwardLevel* out,
                     const WaveletBandRowSink* sink, ForwardLevelStream* next = nullptr);
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
  std::vector<int16_t> ring_low_, ring_high_, sink_rows_, ll_row_;
  std::vector<int32_t> prescaled_;
};

}  // namespace leakproof::gpr
