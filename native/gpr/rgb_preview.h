// Reduced-resolution RGB previews (format doc 6.4): channels 0-2 of a wavelet level to interleaved, horizontally
// mirrored RGB, 16-bit linear or 8-bit with white-balance gains and sqrt gamma, exactly as the reference's PPM output.
#pragma once
#include <cstdint>

#include "gpr/gpr_metadata.h"

namespace leakproof::gpr {

// Gain X = (X * num) >> shift per colour.
struct RgbGains {
  int32_t num[3] = {30, 1, 7};  // reference defaults R, G, B
  int32_t shift[3] = {4, 0, 2};
};

// Gains the reference derives from AsShotNeutral (gain = float(1 / neutral), then the first power-of-two fraction
// within 0.125). Missing or non-positive neutral values fall back to the reference's default white balance.
RgbGains GainsFromMetadata(const GprMetadata& meta);

// gs/rg/bg: w x h planes (row stride w) with `precision` bits (14 for 16:1..4:1, 12 for 2:1).
void PlanesToRgb16(const int16_t* gs, const int16_t* rg, const int16_t* bg, uint32_t w, uint32_t h, int precision,
                   uint16_t* out);
void PlanesToRgb8(const int16_t* gs, const int16_t* rg, const int16_t* bg, uint32_t w, uint32_t h, int precision,
                  const RgbGains& gains, uint8_t* out);

}  // namespace leakproof::gpr
