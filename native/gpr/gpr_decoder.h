// The GPR decoder's public C++ API: open a GPR held in memory, read its info and metadata, decode the Bayer RAW
// (bit-exact with GoPro's reference) or a reduced-resolution RGB preview. Plain C++, status codes, no Node-API.
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "gpr/gpr_metadata.h"
#include "gpr/gpr_status.h"
#include "gpr/large_buffer.h"
#include "gpr/tiff_reader.h"
#include "gpr/vc5_decoder.h"

namespace leakproof::gpr {

struct GprInfo {
  uint32_t width = 0;
  uint32_t height = 0;
  CfaPattern cfa = CfaPattern::kRggb;
  int bitDepth = 14;  // bits of decodeRaw samples: 14 for RGGB, 12 otherwise
  GprLayout layout = GprLayout::kIfd0;
  uint32_t tileOffset = 0;  // VC-5 payload position and size in the file
  uint32_t tileBytes = 0;
  // VC-5 stream facts
  int channels = 4;
  int levels = 3;
  uint32_t channelWidth = 0;
  uint32_t channelHeight = 0;
  uint16_t prescaleShift = 0;
  uint16_t quantization[10] = {};  // channel 0's quantizer per subband (subband 0 = lowpass, always 1 in effect)
};

struct RawImage {
  std::vector<uint16_t> data;  // width * height samples, row-major
  uint32_t width = 0;
  uint32_t height = 0;
};

struct RgbImage {
  std::vector<uint8_t> data8;    // bits 8: width * height * 3
  std::vector<uint16_t> data16;  // bits 16: width * height * 3 (host order; the reference's PPM stores them big-endian)
  uint32_t width = 0;
  uint32_t height = 0;
  int bits = 16;
};

struct DecodeWorkspace;  // per-channel scratch buffers, pooled by the decoder (gpr_decoder.cc)

class GprDecoder {
 public:
  ~GprDecoder();

  // Parses the container and the VC-5 segment structure; keeps a padded copy of the VC-5 payload only.
  static Status Open(const uint8_t* data, size_t size, std::unique_ptr<GprDecoder>* out);

  const GprInfo& info() const { return info_; }
  const GprMetadata& metadata() const { return metadata_; }

  // Size of decodeRaw / decodeRgb output (ArgumentError for unsupported resolutions).
  Status RawSize(int resolution, uint32_t* w, uint32_t* h) const;
  Status RgbSize(int resolution, uint32_t* w, uint32_t* h) const;

  // Decodes into caller memory of exactly RawSize w*h samples (lets the binding decode into a JS ArrayBuffer).
  Status DecodeRawInto(int resolution, int threads, uint16_t* out, size_t samples) const;

  // Full-resolution Bayer samples (resolution must be 1), decoded by up to `threads` threads (1..kMaxDecodeThreads;
  // channels are independent, so more than 4 brings nothing). Thread-safe: a GprDecoder is immutable after Open.
  Status DecodeRaw(int resolution, int threads, RawImage* out) const;

  // Reference-identical RGB preview at 1/resolution per Bayer channel (resolution 2, 4, 8 or 16), bits 8 or 16.
  Status DecodeRgb(int resolution, int bits, int threads, RgbImage* out) const;
  // Into caller memory of exactly w*h*3 samples of `bits` (uint8_t or uint16_t).
  Status DecodeRgbInto(int resolution, int bits, int threads, void* out, size_t samples) const;

 private:
  GprDecoder() = default;
  // Decodes channel c up to wavelet level `stop` (3: the lowpass band as is; 2, 1: the LL of that level; 0: the
  // component array) into a contiguous int16 plane.
  // The plane is left in ws->planeBuffer().
  Status DecodePlane(int c, int stop, DecodeWorkspace* ws, uint32_t* w, uint32_t* h) const;
  std::unique_ptr<DecodeWorkspace> AcquireWorkspace() const;
  void ReleaseWorkspace(std::unique_ptr<DecodeWorkspace> ws) const;

  GprInfo info_;
  GprMetadata metadata_;
  Vc5Stream stream_;
  LargeBuffer<uint8_t> payload_;  // VC-5 payload + zero padding
  // Scratch buffers of finished decodes, reused by the next ones: fresh memory costs a page fault per 4 KiB on
  // first touch, which dominated repeated decodes. At most kMaxPooledWorkspaces are kept; close() frees them.
  mutable std::mutex poolMutex_;
  mutable std::vector<std::unique_ptr<DecodeWorkspace>> pool_;
};

}  // namespace leakproof::gpr
