// Container conversions done natively: read an uncompressed DNG's raw mosaic and metadata, and re-wrap a mosaic
// as GPR (VC-5) or uncompressed DNG with its metadata carried through unchanged.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "gpr/gpr_metadata.h"
#include "gpr/gpr_status.h"
#include "gpr/vc5_encode.h"

namespace leakproof::gpr {

// A Bayer mosaic with its metadata (input or output of a conversion).
struct RawMosaic {
  uint32_t width = 0;
  uint32_t height = 0;
  std::vector<uint16_t> samples;  // width * height, row-major
  GprMetadata metadata;
};

// Reads a DNG whose raw IFD (NewSubFileType 0, CFA) is uncompressed 16-bit in strips. FORMAT when the input is
// not a TIFF, UNSUPPORTED for other raw storages (VC-5 GPRs go through the decoder instead).
Status ReadUncompressedDng(const uint8_t* data, size_t size, RawMosaic* out);

// Decodes a GPR into its full-resolution mosaic and metadata. The decoder outputs 14-bit samples for RGGB files
// whatever their WhiteLevel says (doc 1.7); a 12-bit WhiteLevel (and the black levels) are scaled by 4 so the
// mosaic's levels describe its samples.
Status ReadGprMosaic(const uint8_t* data, size_t size, int threads, RawMosaic* out);

enum class ConvertTarget { kGpr, kDng, kRaw, kPpm, kRgb8, kJpeg };

struct ConvertOptions {
  ConvertTarget to = ConvertTarget::kDng;
  EncodeQuality quality = EncodeQuality::kFs1;
  int threads = 1;
  int resolution = 2;    // kPpm / kRgb8: 2, 4, 8 or 16
  int bits = 8;          // kPpm: 8 or 16
  int jpegQuality = 90;  // kJpeg: 1..100
};

// Converts a GPR or an uncompressed DNG (`isGpr` says which) to the target. kRaw: little-endian uint16 samples;
// kPpm: a complete binary PPM (16-bit samples big-endian); kRgb8: interleaved RGB bytes, size in w/h.
// Previews of a DNG are computed through an in-memory GPR encode (the preview is defined on VC-5 lowpass bands).
Status ConvertImage(const uint8_t* data, size_t size, bool isGpr, const ConvertOptions& opts, std::vector<uint8_t>* out,
                    uint32_t* w, uint32_t* h);

// Bit depth to encode a mosaic with: 12 when the white level and every sample fit 12 bits, else 14;
// ARGUMENT when a sample exceeds 14 bits (VC-5 in GPR stores at most 14-bit input).
Status ChooseEncodeBitDepth(const RawMosaic& m, int* bitDepth);

// Encodes `raw` (as EncodeVc5 does) straight into a GPR file with `metadata`: the payload is wrapped from the
// encoder's own buffer, without an intermediate copy.
Status EncodeGprFile(const uint16_t* raw, size_t raw_samples, const Vc5EncodeOptions& opts, const GprMetadata& metadata,
                     std::vector<uint8_t>* out);

// Wraps a mosaic as a GPR file (VC-5 tile, raw in IFD0) with its metadata.
Status WriteGprFromMosaic(const RawMosaic& m, EncodeQuality quality, int threads, std::vector<uint8_t>* out);

// Wraps a mosaic as an uncompressed 16-bit DNG (one strip, raw in IFD0) with its metadata.
Status WriteDngFromMosaic(const RawMosaic& m, std::vector<uint8_t>* out);

}  // namespace leakproof::gpr
