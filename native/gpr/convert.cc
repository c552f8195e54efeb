// Native conversions: uncompressed-DNG reading and GPR/DNG writing around a mosaic (see convert.h).
#include "gpr/convert.h"

#include <cstdint>
#include <memory>
#include <string>

#include "gpr/bit_writer.h"
#include "gpr/dng_writer.h"
#include "gpr/gpr_decoder.h"
#include "gpr/gpr_limits.h"
#include "gpr/jpeg_writer.h"
#include "gpr/tiff_reader.h"
#include "gpr/tiff_tags.h"

namespace leakproof::gpr {

namespace {

// ReadUncompressedDng's work. With `view`, samples that can be used where they lie in `data` (little-endian, one
// contiguous run of strips, 2-byte aligned) are not copied: *view points at them and out->samples stays empty;
// otherwise they are copied as usual and *view = out->samples.data().
Status ReadDng(const uint8_t* data, size_t size, RawMosaic* out, const uint16_t** view) {
  *out = RawMosaic();
  TiffFile tiff;
  GPR_RETURN_IF_ERROR(TiffFile::Parse(data, size, &tiff));
  const TiffIfd* raw = nullptr;
  for (const TiffIfd& ifd : tiff.imageIfds()) {
    uint32_t sub = 0, photometric = 0;
    if (const TiffEntry* e = ifd.Find(kTagNewSubFileType)) tiff.GetUint(*e, 0, &sub);
    if (const TiffEntry* e = ifd.Find(kTagPhotometric)) tiff.GetUint(*e, 0, &photometric);
    if (sub == kSubFileFullImage && photometric == kPhotometricCfa) {
      raw = &ifd;
      break;
    }
  }
  if (!raw) return FormatError("no CFA raw image (NewSubFileType 0, PhotometricInterpretation 32803) in this TIFF");
  const std::string where = "raw IFD at offset " + std::to_string(raw->offset);
  uint32_t w = 0, h = 0, compression = kCompressionNone, bits = 0, spp = 1;
  const TiffEntry* e;
  if ((e = raw->Find(kTagImageWidth))) tiff.GetUint(*e, 0, &w);
  if ((e = raw->Find(kTagImageLength))) tiff.GetUint(*e, 0, &h);
  if ((e = raw->Find(kTagCompression))) tiff.GetUint(*e, 0, &compression);
  if ((e = raw->Find(kTagBitsPerSample))) tiff.GetUint(*e, 0, &bits);
  if ((e = raw->Find(kTagSamplesPerPixel))) tiff.GetUint(*e, 0, &spp);
  if (compression == kCompressionVc5)
    return FormatError(where + ": the raw image is VC-5 (a GPR), not an uncompressed DNG");
  if (compression != kCompressionNone) {
    return UnsupportedError(where + ": Compression " + std::to_string(compression) +
                            " (only uncompressed 16-bit DNG raw data can be read)");
  }
  if (bits != 16 || spp != 1) {
    return UnsupportedError(where + ": BitsPerSample " + std::to_string(bits) + " x " + std::to_string(spp) +
                            " (only 16-bit single-sample CFA data can be read)");
  }
  if (w == 0 || h == 0 || w > kMaxImageWidth || h > kMaxImageHeight || static_cast<uint64_t>(w) * h > kMaxImagePixels) {
    return LimitError(where + ": image " + std::to_string(w) + "x" + std::to_string(h) + " is outside the limits");
  }
  const TiffEntry* offs = raw->Find(kTagStripOffsets);
  const TiffEntry* counts = raw->Find(kTagStripByteCounts);
  if (!offs || !counts || offs->count != counts->count || offs->count == 0) {
    if (raw->Find(kTagTileOffsets)) return UnsupportedError(where + ": tiled uncompressed raw data is not supported");
    return CorruptError(where + ": StripOffsets/StripByteCounts (273/279) missing or inconsistent");
  }
  const uint64_t expected = static_cast<uint64_t>(w) * h * 2;
  // First pass: every strip is readable and inside the input, and together they hold the whole image, so a small file
  // that declares a large image is refused before the image buffer is allocated.
  uint64_t filled = 0;
  for (uint32_t i = 0; i < offs->count && filled < expected; ++i) {
    uint32_t o = 0, n = 0;
    if (!tiff.GetUint(*offs, i, &o) || !tiff.GetUint(*counts, i, &n)) {
      return CorruptError(where + ": unreadable strip " + std::to_string(i));
    }
    if (static_cast<uint64_t>(o) + n > size) {
      return TruncatedError(where + ": strip " + std::to_string(i) + " at offset " + std::to_string(o) + " (+" +
                            std::to_string(n) + " bytes) ends past the end of the input (" + std::to_string(size) +
                            ")");
    }
    filled += n < expected - filled ? n : expected - filled;
  }
  if (filled < expected) {
    return TruncatedError(where + ": strips hold " + std::to_string(filled) + " bytes, " + std::to_string(expected) +
                          " needed for " + std::to_string(w) + "x" + std::to_string(h) + " 16-bit samples");
  }
  if (view) {
    bool contiguous = !tiff.bigEndian();
    uint32_t first = 0, next = 0;
    uint64_t covered = 0;
    for (uint32_t i = 0; contiguous && i < offs->count && covered < expected; ++i) {
      uint32_t o = 0, n = 0;
      tiff.GetUint(*offs, i, &o);  // checked in the first pass
      tiff.GetUint(*counts, i, &n);
      if (i == 0)
        first = o;
      else
        contiguous = o == next;
      next = o + n;
      covered += n;
    }
    if (contiguous && reinterpret_cast<uintptr_t>(data + first) % alignof(uint16_t) == 0) {
      *view = reinterpret_cast<const uint16_t*>(data + first);
      out->width = w;
      out->height = h;
      ReadGprMetadata(tiff, *raw, &out->metadata);
      return Status::Ok();
    }
  }
  out->samples.resize(static_cast<size_t>(w) * h);
  uint8_t* dst = reinterpret_cast<uint8_t*>(out->samples.data());
  uint64_t copied = 0;
  for (uint32_t i = 0; i < offs->count && copied < expected; ++i) {
    uint32_t o = 0, n = 0;
    tiff.GetUint(*offs, i, &o);  // checked in the first pass
    tiff.GetUint(*counts, i, &n);
    const uint64_t take = n < expected - copied ? n : expected - copied;
    std::copy(data + o, data + o + take, dst + copied);
    copied += take;
  }
  if (tiff.bigEndian()) {
    for (auto& s : out->samples) s = static_cast<uint16_t>((s >> 8) | (s << 8));
  }
  out->width = w;
  out->height = h;
  ReadGprMetadata(tiff, *raw, &out->metadata);
  if (view) *view = out->samples.data();
  return Status::Ok();
}

Status ChooseBitDepth(const uint16_t* samples, size_t n, const GprMetadata& md, int* bitDepth) {
  uint16_t max = 0;
  for (size_t i = 0; i < n; ++i) max = samples[i] > max ? samples[i] : max;
  if (max > 16383) {
    return ArgumentError("sample value " + std::to_string(max) + " exceeds 14 bits: GPR stores at most 14-bit data");
  }
  const bool twelve = max <= 4095 && md.whiteLevel != 0 && md.whiteLevel <= 4095;
  *bitDepth = twelve ? 12 : 14;
  return Status::Ok();
}

// A GPR from w x h samples wherever they are (a mosaic's vector, or a DNG's strip in the caller's input).
// `n`: the samples there (EncodeVc5 checks that they cover w x h).
Status WriteGprFromSamples(const uint16_t* samples, size_t n, uint32_t w, uint32_t h, const GprMetadata& md,
                           EncodeQuality quality, int threads, std::vector<uint8_t>* out) {
  int bitDepth = 14;
  GPR_RETURN_IF_ERROR(ChooseBitDepth(samples, n, md, &bitDepth));
  Vc5EncodeOptions o;
  o.width = w;
  o.height = h;
  o.bitDepth = bitDepth;
  o.quality = quality;
  o.threads = threads;
  if (md.cfa == CfaPattern::kGbrg)
    o.cfa = CfaPattern::kGbrg;
  else if (md.cfa != CfaPattern::kRggb)
    return UnsupportedError("only RGGB and GBRG mosaics can be encoded");
  return EncodeGprFile(samples, n, o, md, out);
}

// DNG input to GPR bytes, encoding from the DNG's own strip when it can be used in place.
Status GprFromDng(const uint8_t* data, size_t size, EncodeQuality quality, int threads, std::vector<uint8_t>* out,
                  uint32_t* w, uint32_t* h) {
  RawMosaic m;
  const uint16_t* samples = nullptr;
  GPR_RETURN_IF_ERROR(ReadDng(data, size, &m, &samples));
  if (w) *w = m.width;
  if (h) *h = m.height;
  return WriteGprFromSamples(samples, static_cast<size_t>(m.width) * m.height, m.width, m.height, m.metadata, quality,
                             threads, out);
}

}  // namespace

Status ReadUncompressedDng(const uint8_t* data, size_t size, RawMosaic* out) {
  return ReadDng(data, size, out, nullptr);
}

Status ChooseEncodeBitDepth(const RawMosaic& m, int* bitDepth) {
  return ChooseBitDepth(m.samples.data(), m.samples.size(), m.metadata, bitDepth);
}

Status WriteGprFromMosaic(const RawMosaic& m, EncodeQuality quality, int threads, std::vector<uint8_t>* out) {
  return WriteGprFromSamples(m.samples.data(), m.samples.size(), m.width, m.height, m.metadata, quality, threads, out);
}

Status EncodeGprFile(const uint16_t* raw, size_t raw_samples, const Vc5EncodeOptions& opts, const GprMetadata& metadata,
                     std::vector<uint8_t>* out) {
  std::unique_ptr<BitWriter> payload;  // read in place: no copy of the payload before the container
  GPR_RETURN_IF_ERROR(EncodeVc5(raw, raw_samples, opts, &payload, nullptr));
  DngRawImage img;
  img.width = opts.width;
  img.height = opts.height;
  img.storage = RawStorage::kVc5;
  img.data = payload->data();
  img.size = payload->size();
  return WriteDng(metadata, img, out);
}

Status WriteDngFromMosaic(const RawMosaic& m, std::vector<uint8_t>* out) {
  if (m.samples.size() != static_cast<size_t>(m.width) * m.height || m.width == 0 || m.height == 0) {
    return ArgumentError("mosaic has " + std::to_string(m.samples.size()) + " samples for " + std::to_string(m.width) +
                         "x" + std::to_string(m.height));
  }
  DngRawImage img;
  img.width = m.width;
  img.height = m.height;
  img.storage = RawStorage::kUncompressed16;
  img.data = reinterpret_cast<const uint8_t*>(m.samples.data());
  img.size = m.samples.size() * 2;
  return WriteDng(m.metadata, img, out);
}

// The metadata that goes with a GPR's decoded samples: a 14-bit decode of a file whose levels say 12 bits states
// WhiteLevel 16383 (or x4 + 3) and black levels x4 (reference behaviour).
static GprMetadata DecodedMetadata(const GprDecoder& dec) {
  GprMetadata md = dec.metadata();
  if (dec.info().bitDepth == 14 && (md.whiteLevel == 0 || md.whiteLevel <= 4095)) {
    md.whiteLevel = md.whiteLevel == 0 ? 16383 : md.whiteLevel * 4 + 3;
    for (Rational& b : md.blackLevel) b.num *= 4;
  }
  return md;
}

Status ReadGprMosaic(const uint8_t* data, size_t size, int threads, RawMosaic* out) {
  *out = RawMosaic();
  std::unique_ptr<GprDecoder> dec;
  GPR_RETURN_IF_ERROR(GprDecoder::Open(data, size, &dec));
  RawImage raw;
  GPR_RETURN_IF_ERROR(dec->DecodeRaw(1, threads, &raw));
  out->width = raw.width;
  out->height = raw.height;
  out->samples = std::move(raw.data);
  out->metadata = DecodedMetadata(*dec);
  return Status::Ok();
}

namespace {

void AppendPpmHeader(uint32_t w, uint32_t h, int bits, std::vector<uint8_t>* out) {
  const std::string head =
      "P6\n" + std::to_string(w) + " " + std::to_string(h) + "\n" + (bits == 16 ? "65535" : "255") + "\n";
  out->insert(out->end(), head.begin(), head.end());
}

Status PreviewFromGpr(const uint8_t* data, size_t size, const ConvertOptions& o, std::vector<uint8_t>* out, uint32_t* w,
                      uint32_t* h) {
  std::unique_ptr<GprDecoder> dec;
  GPR_RETURN_IF_ERROR(GprDecoder::Open(data, size, &dec));
  const int bits = o.to == ConvertTarget::kRgb8 || o.to == ConvertTarget::kJpeg ? 8 : o.bits;
  if (o.to == ConvertTarget::kPpm) {
    // Decoded straight into the file image after its header (no second buffer); 16-bit samples are then turned
    // big-endian in place, which needs them 2-byte aligned (the header length decides; else the path below).
    GPR_RETURN_IF_ERROR(dec->RgbSize(o.resolution, w, h));
    out->clear();
    AppendPpmHeader(*w, *h, bits, out);
    const size_t head = out->size(), samples = size_t(*w) * *h * 3;
    if (bits == 8 || head % 2 == 0) {
      out->resize(head + samples * (bits == 8 ? 1 : 2));
      GPR_RETURN_IF_ERROR(dec->DecodeRgbInto(o.resolution, bits, o.threads, out->data() + head, samples));
      if (bits == 16) {
        uint16_t* p = reinterpret_cast<uint16_t*>(out->data() + head);
        for (size_t i = 0; i < samples; ++i) p[i] = static_cast<uint16_t>((p[i] >> 8) | (p[i] << 8));
      }
      return Status::Ok();
    }
  }
  RgbImage rgb;
  GPR_RETURN_IF_ERROR(dec->DecodeRgb(o.resolution, bits, o.threads, &rgb));
  *w = rgb.width;
  *h = rgb.height;
  out->clear();
  if (o.to == ConvertTarget::kJpeg) return EncodeJpeg(rgb.data8.data(), rgb.width, rgb.height, o.jpegQuality, out);
  if (o.to == ConvertTarget::kRgb8) {
    out->swap(rgb.data8);
    return Status::Ok();
  }
  if (o.to == ConvertTarget::kPpm) AppendPpmHeader(rgb.width, rgb.height, bits, out);
  if (bits == 8) {
    out->insert(out->end(), rgb.data8.begin(), rgb.data8.end());
  } else {
    out->reserve(out->size() + rgb.data16.size() * 2);
    for (uint16_t v : rgb.data16) {
      out->push_back(static_cast<uint8_t>(v >> 8));
      out->push_back(static_cast<uint8_t>(v));
    }
  }
  return Status::Ok();
}

}  // namespace

Status ConvertImage(const uint8_t* data, size_t size, bool isGpr, const ConvertOptions& o, std::vector<uint8_t>* out,
                    uint32_t* w, uint32_t* h) {
  if (o.to == ConvertTarget::kPpm || o.to == ConvertTarget::kRgb8 || o.to == ConvertTarget::kJpeg) {
    if (o.to == ConvertTarget::kPpm && o.bits != 8 && o.bits != 16) {
      return ArgumentError("bits must be 8 or 16, got " + std::to_string(o.bits));
    }
    if (isGpr) return PreviewFromGpr(data, size, o, out, w, h);
    std::vector<uint8_t> gpr;
    GPR_RETURN_IF_ERROR(GprFromDng(data, size, EncodeQuality::kFs1, o.threads, &gpr, nullptr, nullptr));
    return PreviewFromGpr(gpr.data(), gpr.size(), o, out, w, h);
  }
  if (isGpr && o.to == ConvertTarget::kRaw) {
    // Decoded straight into the output bytes (host-order uint16 = little-endian RAW): no mosaic buffer and no copy
    // of 24 MB for a 12 MP file.
    std::unique_ptr<GprDecoder> dec;
    GPR_RETURN_IF_ERROR(GprDecoder::Open(data, size, &dec));
    GPR_RETURN_IF_ERROR(dec->RawSize(1, w, h));
    const size_t samples = size_t(*w) * *h;
    out->clear();
    out->resize(samples * 2);  // operator new memory: aligned for uint16_t
    Status st = dec->DecodeRawInto(1, o.threads, reinterpret_cast<uint16_t*>(out->data()), samples);
    if (!st.ok()) out->clear();
    return st;
  }
  if (isGpr && o.to == ConvertTarget::kDng) {
    // The DNG is laid out first with its image area reserved, then the samples are decoded into it: no mosaic
    // buffer and no copy (the same bytes as WriteDngFromMosaic of the decoded mosaic).
    std::unique_ptr<GprDecoder> dec;
    GPR_RETURN_IF_ERROR(GprDecoder::Open(data, size, &dec));
    GPR_RETURN_IF_ERROR(dec->RawSize(1, w, h));
    const size_t samples = size_t(*w) * *h;
    DngRawImage img;
    img.width = *w;
    img.height = *h;
    img.storage = RawStorage::kUncompressed16;
    img.size = samples * 2;
    size_t offset = 0;
    GPR_RETURN_IF_ERROR(WriteDng(DecodedMetadata(*dec), img, out, &offset));
    Status st = dec->DecodeRawInto(1, o.threads, reinterpret_cast<uint16_t*>(out->data() + offset), samples);
    if (!st.ok()) out->clear();
    return st;
  }
  // DNG -> GPR encodes from the DNG's strip in place when it can (no 24 MB mosaic copy).
  if (!isGpr && o.to == ConvertTarget::kGpr) return GprFromDng(data, size, o.quality, o.threads, out, w, h);
  RawMosaic m;
  if (isGpr) {
    GPR_RETURN_IF_ERROR(ReadGprMosaic(data, size, o.threads, &m));
  } else {
    GPR_RETURN_IF_ERROR(ReadUncompressedDng(data, size, &m));
  }
  *w = m.width;
  *h = m.height;
  switch (o.to) {
    case ConvertTarget::kGpr:
      return WriteGprFromMosaic(m, o.quality, o.threads, out);
    case ConvertTarget::kDng:
      return WriteDngFromMosaic(m, out);
    case ConvertTarget::kRaw: {
      const uint8_t* p = reinterpret_cast<const uint8_t*>(m.samples.data());
      out->assign(p, p + m.samples.size() * 2);
      return Status::Ok();
    }
    default:
      return ArgumentError("unknown conversion target");
  }
}

}  // namespace leakproof::gpr
