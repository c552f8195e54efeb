// VC-5 encoder for GPR: Bayer RAW -> VC-5 payload byte-identical to GoPro's reference encoder (format doc 2-5).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "gpr/bit_writer.h"

#include "gpr/gpr_metadata.h"
#include "gpr/gpr_status.h"

namespace leakproof::gpr {

enum class EncodeQuality { kFs1 = 0, kFast = 1 };  // GPR SDK: FS1 normally, MEDIUM with fast_encoding

struct Vc5EncodeOptions {
  uint32_t width = 0;  // Bayer samples; even, >= 42
  uint32_t height = 0;
  size_t pitch = 0;                    // samples between rows (0 = width)
  int bitDepth = 12;                   // 12 or 14: sample range and log-curve index (v or v >> 2)
  CfaPattern cfa = CfaPattern::kRggb;  // kRggb or kGbrg
  EncodeQuality quality = EncodeQuality::kFs1;
  int threads = 1;  // channels encoded in parallel (1..4); output is identical
};

// The level-2 lowpass bands of channels 0..2 (GS, RG, BG): the source of the encoder thumbnail (doc 6.4).
struct Vc5Thumbnail {
  int width = 0;
  int height = 0;
  std::vector<int16_t> plane[3];
};

// Checks sizes and parameters (not sample values) against the format and gpr_limits.h.
Status ValidateVc5EncodeOptions(const Vc5EncodeOptions& opts);

// Encodes `raw` (opts.height rows of opts.pitch samples). Fails with kArgument on bad options or a sample
// above the bit depth's range; `thumbnail` (optional) receives the level-2 lowpass planes.
Status EncodeVc5(const uint16_t* raw, size_t raw_samples, const Vc5EncodeOptions& opts, std::vector<uint8_t>* payload,
                 Vc5Thumbnail* thumbnail);

// Same, leaving the payload in the encoder's own buffer (payload->data(), payload->size()): one copy of it fewer
// when the caller only reads it, e.g. to wrap it in a container.
Status EncodeVc5(const uint16_t* raw, size_t raw_samples, const Vc5EncodeOptions& opts,
                 std::unique_ptr<BitWriter>* payload, Vc5Thumbnail* thumbnail);

}  // namespace leakproof::gpr
