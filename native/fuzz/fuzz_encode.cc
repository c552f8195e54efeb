// Fuzz target "encode": the VC-5 encoder with fuzzed sizes, options and pixel data. The first 8 bytes choose
// width, height and options; the rest are pixel values, repeated to fill the image. Oracles: out-of-range
// requests fail with a status (never a crash), an encode that succeeds is identical for 1 and 4 threads and
// is read back by our own decoder at the right size.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "fuzz/fuzz_common.h"
#include "gpr/gpr_decoder.h"
#include "gpr/vc5_encode.h"

using namespace leakproof::gpr;
using leakproof::fuzz::OracleFailure;

namespace {
// Largest image the harness really fills and encodes (about 0.1 s under ASan); larger requests are still
// made, with a too-short buffer, to exercise validation.
constexpr uint64_t kMaxEncodePixels = 256 * 256;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  leakproof::fuzz::ByteReader in(data, size);
  const uint16_t wcode = in.U16(), hcode = in.U16();
  const uint8_t flags = in.U8();
  const uint8_t pitchExtra = in.U8();
  const uint8_t fill = in.U8();
  in.U8();  // reserved
  Vc5EncodeOptions o;
  const bool rawSizes = flags & 0x80;  // sizes as given (any 16-bit value), else mapped into the valid range
  o.width = rawSizes ? wcode : 42 + 2 * (wcode % 108);  // 42..256
  o.height = rawSizes ? hcode : 42 + 2 * (hcode % 108);
  o.bitDepth = flags & 1 ? 14 : 12;
  o.quality = flags & 2 ? EncodeQuality::kFast : EncodeQuality::kFs1;
  o.cfa = flags & 4 ? CfaPattern::kGbrg : CfaPattern::kRggb;
  if ((flags & 0x60) == 0x60) o.cfa = CfaPattern::kOther;  // must be refused
  if (flags & 0x10) o.bitDepth = flags & 1 ? 16 : 10;      // must be refused
  o.pitch = flags & 8 ? size_t(o.width) + pitchExtra : 0;
  if (rawSizes && (flags & 8)) o.pitch = pitchExtra;  // may be below the width: must be refused
  const bool allowOverflow = fill & 1;                // keep sample values as given, so some exceed the bit depth
  const size_t pitch = o.pitch ? o.pitch : o.width;
  const uint64_t needed = o.height ? uint64_t(pitch) * (o.height - 1) + o.width : 0;

  std::vector<uint8_t> payload;
  Vc5Thumbnail thumb;
  if (needed == 0 || uint64_t(o.width) * o.height > kMaxEncodePixels || needed > 4 * kMaxEncodePixels) {
    // Too big to fill: hand over a short buffer. The encoder must refuse it (size, limit or length check).
    std::vector<uint16_t> few(64, 0);
    Status st = EncodeVc5(few.data(), few.size(), o, &payload, &thumb);
    if (st.ok()) OracleFailure("encoder accepted a buffer shorter than the image");
    return 0;
  }
  std::vector<uint16_t> raw(needed);
  const uint16_t mask = allowOverflow ? 0xFFFF : (o.bitDepth == 14 ? 0x3FFF : 0x0FFF);
  const uint8_t* px = in.rest();
  const size_t pn = in.remaining() / 2;
  for (size_t i = 0; i < raw.size(); i++) {
    uint16_t v =
        pn ? static_cast<uint16_t>(px[2 * (i % pn)] | px[2 * (i % pn) + 1] << 8) : static_cast<uint16_t>(i * 37);
    raw[i] = v & mask;
  }
  Status st = EncodeVc5(raw.data(), raw.size(), o, &payload, (flags & 0x20) ? &thumb : nullptr);
  Status valid = ValidateVc5EncodeOptions(o);
  if (!valid.ok()) {
    if (st.ok()) OracleFailure("encode succeeded with options ValidateVc5EncodeOptions refuses");
    return 0;
  }
  if (!st.ok()) {
    if (st.code() != StatusCode::kArgument && st.code() != StatusCode::kLimit)
      OracleFailure("unexpected encode error code");
    return 0;
  }
  if (payload.empty() || payload.size() % 4) OracleFailure("payload is not a whole number of segments");
  Vc5EncodeOptions o4 = o;
  o4.threads = 4;
  std::vector<uint8_t> payload4;
  if (!EncodeVc5(raw.data(), raw.size(), o4, &payload4, nullptr).ok() || payload4 != payload)
    OracleFailure("4-thread encode differs from 1-thread encode");
  std::vector<uint8_t> file =
      leakproof::fuzz::WrapVc5Payload(payload.data(), payload.size(), o.width, o.height, o.cfa == CfaPattern::kGbrg);
  std::unique_ptr<GprDecoder> dec;
  Status ds = GprDecoder::Open(file.data(), file.size(), &dec);
  if (!ds.ok()) {
    fprintf(stderr, "%s\n", ds.message().c_str());
    OracleFailure("our decoder cannot open our own encode");
  }
  RawImage back;
  ds = dec->DecodeRaw(1, 1, &back);
  if (!ds.ok()) {
    fprintf(stderr, "%s\n", ds.message().c_str());
    OracleFailure("our decoder cannot decode our own encode");
  }
  if (back.width != o.width || back.height != o.height) OracleFailure("decoded size differs from the encoded size");
  return 0;
}
