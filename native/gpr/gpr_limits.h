// Documented limits of the GPR codec: every size read from a file is checked against these before any allocation.
#pragma once
#include <cstddef>
#include <cstdint>

namespace leakproof::gpr {

// Image dimensions (Bayer samples). VC-5 stores 16-bit sizes; real GoPro sensors are below 6000x5000.
// 3 wavelet levels need every level's input >= 6 samples, i.e. channels >= 21, i.e. images >= 42 (format doc 4.1).
constexpr uint32_t kMinImageDimension = 42;
constexpr uint32_t kMaxImageWidth = 16384;
constexpr uint32_t kMaxImageHeight = 16384;
// Largest image we allocate for: 128 megapixels (256 MB of uint16 RAW output).
constexpr uint64_t kMaxImagePixels = 128ull * 1000 * 1000;

// The reference encoder writes VC-5 into a fixed 10,000,000-byte buffer (manifest size_constraints):
// larger payloads cannot come from it, and we refuse to read or write them.
constexpr uint32_t kMaxVc5PayloadBytes = 10'000'000;

// Container limits.
constexpr uint64_t kMaxInputBytes = 512ull * 1024 * 1024;     // whole GPR/DNG file accepted by the container parser
constexpr uint32_t kMaxMetadataBlockBytes = 4 * 1024 * 1024;  // one TIFF tag's value (XMP, opcode lists, GPMF, ...)
constexpr uint32_t kMaxIfdEntries = 1024;                     // entries in one IFD
constexpr uint32_t kMaxIfdCount = 32;                         // IFDs visited per file (IFD0, SubIFDs, EXIF, GPS, chain)

// Threads a decode may use.
constexpr uint32_t kMaxDecodeThreads = 64;

}  // namespace leakproof::gpr
