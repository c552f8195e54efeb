// Fuzz target "vc5_file": the whole decoder on a whole GPR file: container, VC-5 segment walk, band decoding,
// inverse wavelet, Bayer and RGB preview output. Oracles: a decode that succeeds once must succeed with any
// thread count and give identical samples.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "fuzz/fuzz_common.h"
#include "gpr/gpr_decoder.h"

using namespace leakproof::gpr;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::unique_ptr<GprDecoder> dec;
  if (!GprDecoder::Open(data, size, &dec).ok()) return 0;
  const GprInfo& info = dec->info();
  if (uint64_t(info.width) * info.height > leakproof::fuzz::kMaxDecodePixels) return 0;
  RawImage one;
  Status st = dec->DecodeRaw(1, 1, &one);
  if (st.ok()) {
    if (one.data.size() != size_t(info.width) * info.height) leakproof::fuzz::OracleFailure("RAW size mismatch");
    if (info.width * info.height <= 65536) {
      RawImage four;
      if (!dec->DecodeRaw(1, 4, &four).ok()) leakproof::fuzz::OracleFailure("decode fails with 4 threads only");
      if (four.data != one.data) leakproof::fuzz::OracleFailure("4-thread decode differs from 1-thread decode");
    }
  }
  // One preview per input; resolution and bit depth follow from the input size so any input reproduces.
  static const int kRes[4] = {2, 4, 8, 16};
  RgbImage rgb;
  dec->DecodeRgb(kRes[size % 4], (size / 4) % 2 ? 8 : 16, 1 + int(size % 3), &rgb);
  return 0;
}
