// Baseline JPEG (JFIF, 8-bit YCbCr 4:4:4, standard Huffman tables) from interleaved 8-bit RGB: the `jpg` preview.
#pragma once
#include <cstdint>
#include <vector>

#include "gpr/gpr_status.h"

namespace leakproof::gpr {

// Encodes width x height interleaved RGB bytes at `quality` 1..100 (the IJG scaling of the Annex K tables) and
// appends the whole file to `out`.
Status EncodeJpeg(const uint8_t* rgb, uint32_t width, uint32_t height, int quality, std::vector<uint8_t>* out);

}  // namespace leakproof::gpr
