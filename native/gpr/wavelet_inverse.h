// Inverse of one level of GPR's 2/6 integer wavelet (format doc 4.4-4.5): vertical pass with sat16(x>>1), then the
// horizontal pass with either the "descale" output sat16(x<<1) (levels 1-2, prescale 2) or the final clamp to 0..16383
// (level 0, prescale 0). Processes two output rows at a time, so the working set is four rows.
#pragma once
#include <cstddef>
#include <cstdint>

namespace leakproof::gpr {

enum class InverseOutput {
  kDescale,  // prescale 2 levels: f(x) = sat16(x << 1)
  kFinal,    // prescale 0 level: f(x) = clamp(x >> 1, 0, 16383)
};

// Bands are w x h (w, h >= 3); output is outW x outH with outW in {2w-1, 2w}, outH in {2h-1, 2h}.
// Output sample (x, y) is written to out[y * rowStride + x * colStride].
void InverseWaveletLevel(const int16_t* ll, const int16_t* b1, const int16_t* b2, const int16_t* b3, uint32_t w,
                         uint32_t h, uint32_t outW, uint32_t outH, InverseOutput mode, int16_t* out, size_t rowStride);
// Called after output rows [first, first + count) are complete (lets the caller finish them while they are in cache).
using RowsDone = void (*)(void* ctx, uint32_t first, uint32_t count);

// Same, for the final level written as uint16 rows (contiguous samples, rows `rowStride` apart): the decoder puts
// the four channels' rows side by side in the output buffer and rearranges each row group into Bayer cells.
void InverseWaveletLevelToRows(const int16_t* ll, const int16_t* b1, const int16_t* b2, const int16_t* b3, uint32_t w,
                               uint32_t h, uint32_t outW, uint32_t outH, uint16_t* out, size_t rowStride,
                               RowsDone done = nullptr, void* ctx = nullptr);

}  // namespace leakproof::gpr
