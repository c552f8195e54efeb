// Constant tables of GPR's VC-5 profile (codebook 17, companding, zero runs, log curves, quality tables) and
// the bitstream's tag numbers; shared by the decoder and the encoder. Data: vc5_tables.cc (generated).
#pragma once
#include <cstdint>

namespace leakproof::gpr {

// --- bitstream syntax (format doc 2.x) ---
constexpr uint32_t kVc5StartMarker = 0x56432D35;  // "VC-5", the first 32-bit word of every payload

namespace vc5tag {
constexpr int kChannelCount = 12;
constexpr int kSubbandCount = 14;
constexpr int kImageWidth = 20;
constexpr int kImageHeight = 21;
constexpr int kLowpassPrecision = 35;
constexpr int kSubbandNumber = 48;
constexpr int kQuantization = 53;
constexpr int kChannelNumber = 62;
constexpr int kImageFormat = 84;
constexpr int kBitsPerComponent = 101;
constexpr int kMaxBitsPerComponent = 102;
constexpr int kChannelWidth = 104;
constexpr int kChannelHeight = 105;
constexpr int kPatternWidth = 106;
constexpr int kPatternHeight = 107;
constexpr int kComponentsPerSample = 108;
constexpr int kPrescaleShift = 109;
// chunk tags (after negating an optional tag)
constexpr int kSmallChunkBit = 0x4000;
constexpr int kLargeChunkBit = 0x2000;
constexpr int kChunkMask = 0x6000;
constexpr int kVendorSpecificData = 0x4000;
constexpr int kInversePermutation = 0x4001;
constexpr int kInverseTransform = 0x4002;
constexpr int kInverseTransform16 = 0x4003;
constexpr int kUniqueImageIdentifier = 0x4004;
constexpr int kSmallMetadata = 0x4010;
constexpr int kSubbandSection = 0x2000;
constexpr int kWaveletSection = 0x2100;
constexpr int kChannelSection = 0x2400;
constexpr int kHeaderSection = 0x2500;
constexpr int kLayerSection = 0x2600;
constexpr int kImageSection = 0x2700;
constexpr int kLargeCodeblock = 0x6000;
constexpr int kLargeMetadata = 0x6100;
}  // namespace vc5tag

constexpr int kVc5ImageFormatRaw = 4;
constexpr int kVc5ChannelCount = 4;
constexpr int kVc5WaveletCount = 3;
constexpr int kVc5SubbandCount = 10;
constexpr uint16_t kVc5PrescaleShiftGpr = 0x2800;  // prescale (0, 2, 2) for wavelets 0, 1, 2
constexpr int kVc5LowpassPrecision = 16;
constexpr int kVc5MaxBitsPerComponent = 12;
// subband -> (wavelet index, band index within that wavelet)
constexpr int kSubbandWavelet[10] = {2, 2, 2, 2, 1, 1, 1, 0, 0, 0};
constexpr int kSubbandBand[10] = {0, 1, 2, 3, 1, 2, 3, 1, 2, 3};
// The highpass subbands of wavelet w are Vc5FirstHighpassSubband(w) .. + 2: 7..9 (w = 0), 4..6 (w = 1), 1..3 (w = 2).
constexpr int Vc5FirstHighpassSubband(int wavelet) { return 7 - 3 * wavelet; }
// UniqueImageIdentifier payload: 9 segments; fixed UMID label and length byte.
constexpr uint8_t kUmidLabel[12] = {0x06, 0x0A, 0x2B, 0x34, 0x01, 0x01, 0x01, 0x05, 0x01, 0x01, 0x01, 0x20};
constexpr uint8_t kUmidLengthByte = 0x13;

// --- codebook 17 (format doc 3.1) ---
struct CodebookEntry {
  uint8_t sizeBits;  // 1..26
  uint32_t code;     // right-justified
  uint16_t run;      // coefficients produced (0 = the special band-end codeword)
  uint16_t value;    // companded magnitude (0 for zero runs)
};
constexpr int kCodebook17Size = 264;
extern const CodebookEntry kCodebook17[kCodebook17Size];
constexpr uint32_t kBandEndCode = 0x3114BA3;
constexpr int kBandEndBits = 26;

// --- companding (3.4) ---
extern const uint16_t kUncompand[256];  // decoder: codebook magnitude -> magnitude (255 -> 1023)
extern const uint8_t kCompand[1024];    // encoder: min(|q|, 1023) -> codebook magnitude

// --- encoder zero runs (3.4): index min(run, 3071) -> greedy composite codeword ---
struct ZeroRunEntry {
  uint16_t zerosCovered;
  uint8_t sizeBits;  // <= 31
  uint32_t code;
};
constexpr int kZeroRunTableSize = 3072;
extern const ZeroRunEntry kZeroRunTable[kZeroRunTableSize];

// --- log curves (2.6) ---
extern const uint16_t kEncoderLog12[4096];  // 12-bit linear -> 12-bit log
extern const uint16_t kDecoderLog16[4096];  // 12-bit log -> 16-bit linear

// --- quantization (5.1) ---
enum class Vc5Quality : int { kLow = 0, kMedium = 1, kHigh = 2, kFs1 = 3, kFsx = 4, kFs2 = 5 };
extern const uint16_t kQualityTables[6][10];  // [quality][subband]

}  // namespace leakproof::gpr
