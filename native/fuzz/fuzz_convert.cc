// Fuzz target "convert": GPR -> DNG conversion (and, for uncompressed DNG inputs, DNG -> DNG / RAW / GPR).
// Oracles: the DNG we write is read back by our DNG reader with the same size, samples, make/model and GPMF,
// and every conversion of one input agrees on the image size.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "fuzz/fuzz_common.h"
#include "gpr/convert.h"
#include "gpr/gpr_decoder.h"

using namespace leakproof::gpr;
using leakproof::fuzz::OracleFailure;

namespace {

void CheckDngMatches(const std::vector<uint8_t>& dng, const RawMosaic& expect) {
  RawMosaic back;
  Status st = ReadUncompressedDng(dng.data(), dng.size(), &back);
  if (!st.ok()) {
    fprintf(stderr, "%s\n", st.message().c_str());
    OracleFailure("our DNG reader refuses the DNG we wrote");
  }
  if (back.width != expect.width || back.height != expect.height) OracleFailure("DNG size differs from its source");
  if (back.samples != expect.samples) OracleFailure("DNG samples differ from its source");
  if (back.metadata.gpmf != expect.metadata.gpmf) OracleFailure("GPMF changed in conversion");
  // The writer fills an absent make/model with the SDK's defaults (DefaultGprMetadata); present ones must survive.
  if ((!expect.metadata.make.empty() && back.metadata.make != expect.metadata.make) ||
      (!expect.metadata.model.empty() && back.metadata.model != expect.metadata.model))
    OracleFailure("make/model changed in conversion");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  GprContainer c;
  const bool isGpr = ParseGprContainer(data, size, &c).ok();
  if (isGpr && uint64_t(c.width) * c.height > leakproof::fuzz::kMaxDecodePixels) return 0;
  ConvertOptions o;
  o.to = ConvertTarget::kDng;
  std::vector<uint8_t> dng;
  uint32_t w = 0, h = 0;
  Status st = ConvertImage(data, size, isGpr, o, &dng, &w, &h);
  if (!st.ok()) return 0;
  RawMosaic source;
  Status rs = isGpr ? ReadGprMosaic(data, size, 1, &source) : ReadUncompressedDng(data, size, &source);
  if (!rs.ok()) OracleFailure("conversion succeeded but reading its source again failed");
  if (source.width != w || source.height != h) OracleFailure("conversion reports a size other than its source's");
  CheckDngMatches(dng, source);
  o.to = ConvertTarget::kRaw;
  std::vector<uint8_t> raw;
  if (!ConvertImage(data, size, isGpr, o, &raw, &w, &h).ok() || raw.size() != size_t(w) * h * 2)
    OracleFailure("RAW conversion disagrees with DNG conversion");
  if (!isGpr && uint64_t(w) * h <= 65536) {
    // DNG -> GPR: refused (sample range, CFA, sizes) or a GPR our decoder opens at the same size.
    o.to = ConvertTarget::kGpr;
    std::vector<uint8_t> gpr;
    if (ConvertImage(data, size, false, o, &gpr, &w, &h).ok()) {
      std::unique_ptr<GprDecoder> dec;
      if (!GprDecoder::Open(gpr.data(), gpr.size(), &dec).ok())
        OracleFailure("our decoder cannot open a GPR we converted");
      if (dec->info().width != w || dec->info().height != h) OracleFailure("converted GPR has the wrong size");
    }
  }
  if (isGpr) {
    o.to = ConvertTarget::kPpm;
    o.resolution = (size % 2) ? 4 : 16;
    o.bits = (size % 4) < 2 ? 8 : 16;
    std::vector<uint8_t> ppm;
    ConvertImage(data, size, true, o, &ppm, &w, &h);
  }
  return 0;
}
