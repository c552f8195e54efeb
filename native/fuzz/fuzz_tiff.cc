// Fuzz target "tiff": the TIFF/DNG container parser. Parses the input, reads every entry through every typed
// accessor (the accessors trust the bounds checked at parse time, so this is where a missed check would show),
// then runs the two container consumers: the GPR locator and the uncompressed-DNG reader.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_common.h"
#include "gpr/convert.h"
#include "gpr/tiff_reader.h"

using namespace leakproof::gpr;

namespace {

// Touches every value of every entry; returns a checksum so the reads cannot be optimized away.
uint64_t ReadAll(const TiffFile& t, const TiffIfd& ifd) {
  uint64_t sum = 0;
  for (const TiffEntry& e : ifd.entries) {
    // Every entry the parser kept must lie inside the input.
    if (uint64_t(e.valueOffset) + e.valueBytes > t.size())
      leakproof::fuzz::OracleFailure("entry value outside the input");
    const uint32_t n = e.count < 256 ? e.count : 256;
    for (uint32_t i = 0; i <= n; i++) {  // one past the end on purpose: must be refused, not read
      uint32_t u = 0;
      Rational r;
      SRational s;
      double d = 0;
      if (t.GetUint(e, i, &u)) sum += u;
      if (t.GetRational(e, i, &r)) sum += r.num ^ r.den;
      if (t.GetSRational(e, i, &s)) sum += static_cast<uint32_t>(s.num);
      if (t.GetDouble(e, i, &d)) sum += d == d ? 1 : 0;
    }
    sum += t.GetAscii(e).size();
    if (e.valueBytes <= 65536) sum += t.GetBytes(e).size();
  }
  return sum;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  TiffFile tiff;
  if (TiffFile::Parse(data, size, &tiff).ok()) {
    volatile uint64_t sink = 0;
    for (const TiffIfd& ifd : tiff.imageIfds()) sink = sink + ReadAll(tiff, ifd);
    if (const TiffIfd* e = tiff.exifIfd()) sink = sink + ReadAll(tiff, *e);
    if (const TiffIfd* g = tiff.gpsIfd()) sink = sink + ReadAll(tiff, *g);
    if (!tiff.imageIfds().empty()) {
      GprMetadata meta;
      ReadGprMetadata(tiff, tiff.imageIfds().back(), &meta);
      sink = sink + meta.make.size() + meta.xmp.size() + meta.gpmf.size();
    }
  }
  GprContainer container;
  Status st = ParseGprContainer(data, size, &container);
  if (st.ok()) {
    if (uint64_t(container.tileOffset) + container.tileBytes > size)
      leakproof::fuzz::OracleFailure("tile outside the input");
  } else if (st.message().empty()) {
    leakproof::fuzz::OracleFailure("error without a message");
  }
  RawMosaic mosaic;
  st = ReadUncompressedDng(data, size, &mosaic);
  if (st.ok() && mosaic.samples.size() != size_t(mosaic.width) * mosaic.height)
    leakproof::fuzz::OracleFailure("DNG mosaic size mismatch");
  return 0;
}
