// The encoder's preview thumbnail: level-2 lowpass planes -> 8-bit RGB, mirrored, default gains (format doc 6.4).
#pragma once
#include <cstdint>
#include <vector>

#include "gpr/vc5_encode.h"

namespace leakproof::gpr {

// Interleaved RGB, thumb.width x thumb.height, rows top to bottom, columns mirrored like the reference.
std::vector<uint8_t> ThumbnailToRgb8(const Vc5Thumbnail& thumb);

}  // namespace leakproof::gpr
