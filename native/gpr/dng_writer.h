// Writes GPR (VC-5 tile) and uncompressed DNG files from a GprMetadata and the raw image (format doc 1.2-1.5).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "gpr/gpr_metadata.h"
#include "gpr/gpr_status.h"

namespace leakproof::gpr {

enum class RawStorage { kVc5, kUncompressed16 };

struct DngRawImage {
  uint32_t width = 0;
  uint32_t height = 0;
  RawStorage storage = RawStorage::kVc5;
  // kVc5: the VC-5 payload; kUncompressed16: width*height uint16 samples, little-endian, row-major.
  const uint8_t* data = nullptr;
  size_t size = 0;
  // Optional baseline JPEG preview (8-bit YCbCr, no subsampling). When present, IFD0 is the preview and the
  // raw image moves to SubIFD[0] (the reference writer's layout B); otherwise the raw image is IFD0 (layout A).
  const uint8_t* previewJpeg = nullptr;
  size_t previewSize = 0;
  uint32_t previewWidth = 0;
  uint32_t previewHeight = 0;
};

// Metadata a writer uses when the caller has none: the reference SDK's defaults (doc 1.5) for a GoPro
// HERO6-like RGGB image of the given bit depth, orientation 1 (samples as stored).
GprMetadata DefaultGprMetadata(int bitDepth);

// Serializes a complete file into `out`.
Status WriteDng(const GprMetadata& md, const DngRawImage& image, std::vector<uint8_t>* out);
// The same with image.data == nullptr allowed: the raw image's bytes are left zero at *raw_offset (4-byte aligned)
// for the caller to fill in place (a decoder writing straight into the file image).
Status WriteDng(const GprMetadata& md, const DngRawImage& image, std::vector<uint8_t>* out, size_t* raw_offset);

}  // namespace leakproof::gpr
