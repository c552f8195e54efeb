// VC-5 bitstream decoding for GPR: the segment walk (header, sections, codeblocks) and the decoding of one band
// (lowpass fields or codebook-17 runs) into dequantized int16 coefficients.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "gpr/gpr_status.h"
#include "gpr/vc5_tables.h"

namespace leakproof::gpr {

// Where one subband's codeblock sits in the payload and the state in effect when it was read.
struct Vc5Codeblock {
  bool present = false;
  uint32_t payloadOffset = 0;  // byte offset of the codeblock payload (after its header segment) from the payload start
  uint32_t payloadBytes = 0;   // codeblock length in bytes (segments * 4)
  uint16_t quantization = 0;
  uint16_t lowpassPrecision = 16;
};

struct Vc5Stream {
  uint32_t imageWidth = 0;
  uint32_t imageHeight = 0;
  int channelCount = 0;
  int prescale[3] = {0, 0, 0};  // per wavelet 0, 1, 2
  uint16_t prescaleShift = 0;
  int maxBitsPerComponent = 12;
  // Derived sizes: channel (cw x ch) and wavelet level k bands (w[k] x h[k]).
  uint32_t channelWidth = 0;
  uint32_t channelHeight = 0;
  uint32_t levelWidth[3] = {0, 0, 0};
  uint32_t levelHeight[3] = {0, 0, 0};
  Vc5Codeblock blocks[kVc5ChannelCount][kVc5SubbandCount];
};

// Reads only the header segments (start marker to the first non-header segment): enough for open()/info.
Status ParseVc5Header(const uint8_t* payload, size_t bytes, Vc5Stream* out);

// Walks the whole stream: header plus every codeblock's position (skipped by its length), strictly validated.
Status ParseVc5Stream(const uint8_t* payload, size_t bytes, Vc5Stream* out);

// Decodes one band into `out` (w*h int16, raster order, dequantized). `padded` is the payload followed by at least
// 8 zero bytes. Errors name the channel and subband.
Status DecodeVc5Band(const uint8_t* padded, const Vc5Stream& stream, int channel, int subband, int16_t* out);

// Size of subband `s`: w x h of its wavelet level.
inline void SubbandSize(const Vc5Stream& s, int subband, uint32_t* w, uint32_t* h) {
  int k = kSubbandWavelet[subband];
  *w = s.levelWidth[k];
  *h = s.levelHeight[k];
}

}  // namespace leakproof::gpr
