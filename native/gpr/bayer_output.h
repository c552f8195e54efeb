// Final step of a full-resolution decode: turn 2x2 cells holding the four component values into Bayer samples.
#pragma once
#include <cstdint>

#include "gpr/gpr_metadata.h"

namespace leakproof::gpr {

// Bits per output sample: 14 for RGGB, 12 for any other CFA (the reference chooses from CFAPattern only).
inline int BayerOutputBits(CfaPattern cfa) { return cfa == CfaPattern::kRggb ? 14 : 12; }

// `buf` is W x H (row stride `width`). Before the call, the two raw rows of cell row y hold the four component rows
// side by side: GS, RG, BG, GD (W/2 samples each, values 0..16383). Rewrites cell rows [cellRowBegin, cellRowEnd) in
// place as Bayer cells R/G1/G2/B in the CFA's order (format doc 2.6, 6.2).
void ComponentRowsToBayer(uint16_t* buf, uint32_t width, uint32_t cellRowBegin, uint32_t cellRowEnd, CfaPattern cfa);

}  // namespace leakproof::gpr
