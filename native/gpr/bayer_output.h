// Final step of a full-resolution decode: turn 2x2 cells holding the four component values into Bayer samples.
#pragma once
#include <cstdint>

#include "gpr/gpr_metadata.h"

namespace leakproof::gpr {

// Bits per output sample: 14 for RGGB, 12 for any other CFA (the reference chooses from CFAPattern only).
inline int BayerOutputBits(CfaPattern cfa) { return cfa == CfaPattern::kRggb ? 14 : 12; }

// `buf` is W x H (row stride `width`); each 2x2 cell holds GS at (0,0), RG at (0,1), BG at (1,0), GD at (1,1), each
// 0..16383. Rewrites cell rows [cellRowBegin, cellRowEnd) in place as R/G1/G2/B in the CFA's order (format doc 2.6).
void ComponentCellsToBayer(uint16_t* buf, uint32_t width, uint32_t cellRowBegin, uint32_t cellRowEnd, CfaPattern cfa);

}  // namespace leakproof::gpr
