// Forward 2/6 ("CineForm") integer wavelet, one level: the encoder side of gpr-format.md section 4.2/4.3.
#pragma once
#include <cstdint>
#include <vector>

namespace leakproof::gpr {

// The four bands of one level, each band_width x band_height (ceil(w/2) x ceil(h/2) of the input),
// unquantized. band[0] = LL, band[1] = vertical-low of horizontal-high, band[2] = vertical-high of
// horizontal-low, band[3] = vertical-high of horizontal-high.
struct ForwardLevel {
  int band_width = 0;
  int band_height = 0;
  std::vector<int16_t> band[4];
};

// Transforms a w x h array (row-major, w and h >= 6) with horizontal prescale 0 or 2.
// `scratch` is reused between calls to avoid reallocations.
void ForwardWaveletLevel(const int16_t* in, int w, int h, int prescale, ForwardLevel* out,
                         std::vector<int16_t>* scratch);

}  // namespace leakproof::gpr
