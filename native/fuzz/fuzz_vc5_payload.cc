// Fuzz target "vc5_payload": the VC-5 bitstream alone. The input is a bare payload (no TIFF around it); the
// harness reads the image size from the payload's own header and wraps it in a minimal hand-written container,
// so every mutation lands in the bitstream and the decoder's full pipeline runs on it.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "fuzz/fuzz_common.h"
#include "gpr/gpr_decoder.h"
#include "gpr/vc5_decoder.h"

using namespace leakproof::gpr;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Vc5Stream header;
  Status hs = ParseVc5Header(data, size, &header);
  Vc5Stream full;
  Status fs = ParseVc5Stream(data, size, &full);
  if (fs.ok() && !hs.ok()) leakproof::fuzz::OracleFailure("stream parses but its header does not");
  if (!hs.ok()) return 0;
  if (uint64_t(header.imageWidth) * header.imageHeight > leakproof::fuzz::kMaxDecodePixels) return 0;
  std::vector<uint8_t> file =
      leakproof::fuzz::WrapVc5Payload(data, size, header.imageWidth, header.imageHeight, size % 2 == 1);
  std::unique_ptr<GprDecoder> dec;
  if (!GprDecoder::Open(file.data(), file.size(), &dec).ok()) return 0;
  RawImage raw;
  dec->DecodeRaw(1, 1, &raw);
  RgbImage rgb;
  static const int kRes[4] = {2, 4, 8, 16};
  dec->DecodeRgb(kRes[(size / 4) % 4], 16, 1, &rgb);
  return 0;
}
