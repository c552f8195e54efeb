// VC-5 bitstream decoding for GPR: segment walk, codebook-17 run/value decoding, dequantization (format doc 2, 3, 5).
#include "gpr/vc5_decoder.h"

#include <cstring>
#include <mutex>
#include <string>

#include "gpr/bit_reader.h"
#include "gpr/gpr_limits.h"

namespace leakproof::gpr {

namespace {

std::string Band(int channel, int subband) {
  return "channel " + std::to_string(channel) + " subband " + std::to_string(subband);
}

std::string At(size_t byteOffset) { return " at payload offset " + std::to_string(byteOffset); }

bool IsHeaderTag(int tag) {
  switch (tag) {
    case vc5tag::kChannelCount:
    case vc5tag::kImageWidth:
    case vc5tag::kImageHeight:
    case vc5tag::kImageFormat:
    case vc5tag::kPatternWidth:
    case vc5tag::kPatternHeight:
    case vc5tag::kComponentsPerSample:
    case vc5tag::kMaxBitsPerComponent:
      return true;
    default:
      return false;
  }
}

uint32_t Ceil2(uint32_t n) { return (n + 1) / 2; }

// Walks segments; stops after the header when headerOnly, else after the last codeblock.
class StreamWalker {
 public:
  StreamWalker(const uint8_t* p, size_t bytes, Vc5Stream* out) : p_(p), bytes_(bytes), s_(out) {}

  Status Run(bool headerOnly) {
    *s_ = Vc5Stream();
    if (bytes_ < 4) return CorruptError("VC-5 payload of " + std::to_string(bytes_) + " bytes has no start marker");
    if (Word(0) != kVc5StartMarker) return CorruptError("VC-5 start marker 0x56432D35 missing at payload offset 0");
    size_t pos = 4;
    while (pos + 4 <= bytes_) {
      uint32_t word = Word(pos);
      size_t segOff = pos;
      pos += 4;
      int tag = static_cast<int16_t>(word >> 16);
      uint32_t value = word & 0xFFFF;
      bool optional = tag < 0;
      if (optional) tag = -tag;
      if (tag & vc5tag::kChunkMask) {
        if ((tag & vc5tag::kChunkMask) == vc5tag::kChunkMask) {
          GPR_RETURN_IF_ERROR(EndHeader(segOff));
          uint64_t segs = (uint64_t(tag & 0xFF) << 16) | value;
          GPR_RETURN_IF_ERROR(Codeblock(segOff, pos, segs));
          pos += segs * 4;
          if (++blocksSeen_ == s_->channelCount * kVc5SubbandCount) return Status::Ok();
        } else if (tag & vc5tag::kSmallChunkBit) {
          uint64_t segs = value;
          if (pos + segs * 4 > bytes_)
            return CorruptError("small chunk 0x" + HexTag(tag) + " of " + std::to_string(segs) +
                                " segments runs past the payload end" + At(segOff));
          if (tag == vc5tag::kInverseTransform16)
            return UnsupportedError("InverseTransform16 chunk" + At(segOff) + " is not supported");
          if (tag == vc5tag::kUniqueImageIdentifier && segs != 9)
            return CorruptError("UniqueImageIdentifier chunk has " + std::to_string(segs) + " segments, expected 9" +
                                At(segOff));
          if ((tag == vc5tag::kInverseTransform || tag == vc5tag::kInversePermutation) && optional)
            return CorruptError("inverse transform/permutation chunk must be required" + At(segOff));
          pos += segs * 4;
        } else {
          // Section headers (and other large chunks) are transparent: their payload is the following syntax.
          GPR_RETURN_IF_ERROR(EndHeader(segOff));
        }
      } else {
        GPR_RETURN_IF_ERROR(Scalar(tag, value, optional, segOff));
      }
      if (headerOnly && headerDone_) return Status::Ok();
    }
    if (!headerDone_) return CorruptError("VC-5 payload ends inside the bitstream header" + At(pos));
    if (headerOnly) return Status::Ok();
    return CorruptError("VC-5 payload ends after " + std::to_string(blocksSeen_) + " of " +
                        std::to_string(s_->channelCount * kVc5SubbandCount) +
                        " codeblocks (next expected: " + Band(channel_, subband_) + ")" + At(pos));
  }

 private:
  uint32_t Word(size_t off) const {
    return uint32_t(p_[off]) << 24 | uint32_t(p_[off + 1]) << 16 | uint32_t(p_[off + 2]) << 8 | p_[off + 3];
  }

  static std::string HexTag(int tag) {
    char b[16];
    snprintf(b, sizeof b, "%04X", tag & 0xFFFF);
    return b;
  }

  Status Scalar(int tag, uint32_t value, bool optional, size_t segOff) {
    if (IsHeaderTag(tag)) {
      if (optional) return CorruptError("header tag " + std::to_string(tag) + " marked optional" + At(segOff));
      if (headerDone_) return CorruptError("header tag " + std::to_string(tag) + " after the header" + At(segOff));
      uint32_t bit = 0;
      switch (tag) {
        case vc5tag::kChannelCount:
          bit = 1;
          channelCount_ = value;
          break;
        case vc5tag::kImageWidth:
          bit = 2;
          s_->imageWidth = value;
          break;
        case vc5tag::kImageHeight:
          bit = 4;
          s_->imageHeight = value;
          break;
        case vc5tag::kImageFormat:
          bit = 8;
          imageFormat_ = value;
          break;
        case vc5tag::kPatternWidth:
          bit = 16;
          patternWidth_ = value;
          break;
        case vc5tag::kPatternHeight:
          bit = 32;
          patternHeight_ = value;
          break;
        case vc5tag::kComponentsPerSample:
          bit = 64;
          components_ = value;
          break;
        case vc5tag::kMaxBitsPerComponent:
          bit = 128;
          s_->maxBitsPerComponent = static_cast<int>(value);
          break;
      }
      if (headerSeen_ & bit) return CorruptError("header tag " + std::to_string(tag) + " appears twice" + At(segOff));
      headerSeen_ |= bit;
      return Status::Ok();
    }
    switch (tag) {
      case vc5tag::kPrescaleShift: {
        if (prescaleSeen_ && value != s_->prescaleShift)
          return UnsupportedError("PrescaleShift changes from 0x" + HexTag(s_->prescaleShift) + " to 0x" +
                                  HexTag(value) + At(segOff));
        for (int k = 0; k < 3; k++) {
          int v = (value >> (14 - 2 * k)) & 3;
          if (v != 0 && v != 2)
            return UnsupportedError("PrescaleShift 0x" + HexTag(value) + ": wavelet " + std::to_string(k) +
                                    " prescale " + std::to_string(v) + " (only 0 and 2 exist)" + At(segOff));
          s_->prescale[k] = v;
        }
        s_->prescaleShift = static_cast<uint16_t>(value);
        prescaleSeen_ = true;
        return Status::Ok();
      }
      case vc5tag::kChannelNumber:
        GPR_RETURN_IF_ERROR(EndHeader(segOff));
        if (value >= static_cast<uint32_t>(s_->channelCount))
          return CorruptError("ChannelNumber " + std::to_string(value) + " >= ChannelCount" + At(segOff));
        channel_ = static_cast<int>(value);
        return Status::Ok();
      case vc5tag::kSubbandNumber:
        GPR_RETURN_IF_ERROR(EndHeader(segOff));
        if (value >= kVc5SubbandCount)
          return CorruptError("SubbandNumber " + std::to_string(value) + " >= 10" + At(segOff));
        subband_ = static_cast<int>(value);
        return Status::Ok();
      case vc5tag::kQuantization:
        GPR_RETURN_IF_ERROR(EndHeader(segOff));
        quantization_ = static_cast<uint16_t>(value);
        return Status::Ok();
      case vc5tag::kLowpassPrecision:
        GPR_RETURN_IF_ERROR(EndHeader(segOff));
        if (value < 8 || value > 32)
          return CorruptError("LowpassPrecision " + std::to_string(value) + " outside 8..32" + At(segOff));
        lowpassPrecision_ = static_cast<uint16_t>(value);
        return Status::Ok();
      case vc5tag::kBitsPerComponent:
        GPR_RETURN_IF_ERROR(EndHeader(segOff));
        return Status::Ok();
      case vc5tag::kChannelWidth:
      case vc5tag::kChannelHeight:
      case vc5tag::kSubbandCount:
        if (optional) return Status::Ok();
        return CorruptError("tag " + std::to_string(tag) + " is not allowed in an image-format VC-5 stream" +
                            At(segOff));
      default:
        if (optional) return Status::Ok();  // unknown optional elements may be skipped
        return CorruptError("unknown required tag " + std::to_string(tag) + " (value " + std::to_string(value) + ")" +
                            At(segOff));
    }
  }

  // The first non-header segment ends the header: validate it and derive the band sizes.
  Status EndHeader(size_t segOff) {
    if (headerDone_) return Status::Ok();
    headerDone_ = true;
    if ((headerSeen_ & 6) != 6)
      return CorruptError("VC-5 header lacks ImageWidth/ImageHeight (before" + At(segOff) + ")");
    if (!(headerSeen_ & 1)) return CorruptError("VC-5 header lacks ChannelCount (before" + At(segOff) + ")");
    uint32_t w = s_->imageWidth, h = s_->imageHeight;
    if (w > kMaxImageWidth || h > kMaxImageHeight || uint64_t(w) * h > kMaxImagePixels)
      return LimitError("VC-5 header declares " + std::to_string(w) + "x" + std::to_string(h) + " (limit " +
                        std::to_string(kMaxImageWidth) + "x" + std::to_string(kMaxImageHeight) + ")");
    if (w < kMinImageDimension || h < kMinImageDimension || w % 2 || h % 2)
      return UnsupportedError("VC-5 header declares " + std::to_string(w) + "x" + std::to_string(h) +
                              " (width and height must be even and >= 42)");
    if (channelCount_ != kVc5ChannelCount)
      return UnsupportedError("VC-5 ChannelCount " + std::to_string(channelCount_) + " (GPR uses 4)");
    if ((headerSeen_ & 8) && imageFormat_ != kVc5ImageFormatRaw)
      return UnsupportedError("VC-5 ImageFormat " + std::to_string(imageFormat_) + " (only 4 = RAW is supported)");
    if (((headerSeen_ & 16) && patternWidth_ != 2) || ((headerSeen_ & 32) && patternHeight_ != 2))
      return UnsupportedError("VC-5 pattern " + std::to_string(patternWidth_) + "x" + std::to_string(patternHeight_) +
                              " (GPR uses 2x2)");
    if ((headerSeen_ & 64) && components_ != 1)
      return UnsupportedError("VC-5 ComponentsPerSample " + std::to_string(components_) + " (GPR uses 1)");
    if ((headerSeen_ & (8 | 16 | 32 | 64)) != (8 | 16 | 32 | 64))
      return CorruptError("VC-5 header lacks ImageFormat/PatternWidth/PatternHeight/ComponentsPerSample (before" +
                          At(segOff) + ")");
    s_->channelCount = static_cast<int>(channelCount_);
    s_->channelWidth = w / 2;
    s_->channelHeight = h / 2;
    s_->levelWidth[0] = Ceil2(s_->channelWidth);
    s_->levelHeight[0] = Ceil2(s_->channelHeight);
    for (int k = 1; k < 3; k++) {
      s_->levelWidth[k] = Ceil2(s_->levelWidth[k - 1]);
      s_->levelHeight[k] = Ceil2(s_->levelHeight[k - 1]);
    }
    return Status::Ok();
  }

  Status Codeblock(size_t segOff, size_t payloadPos, uint64_t segs) {
    if (!prescaleSeen_) return CorruptError("codeblock before any PrescaleShift" + At(segOff));
    int c = channel_, sb = subband_;
    if (c >= s_->channelCount || sb >= kVc5SubbandCount)
      return CorruptError("codeblock for " + Band(c, sb) + " is out of range" + At(segOff));
    Vc5Codeblock& b = s_->blocks[c][sb];
    if (b.present) return CorruptError("second codeblock for " + Band(c, sb) + At(segOff));
    if (payloadPos + segs * 4 > bytes_)
      return CorruptError("codeblock for " + Band(c, sb) + " (" + std::to_string(segs) +
                          " segments) runs past the payload end" + At(segOff));
    if (sb > 0 && quantization_ == 0) return CorruptError("quantization 0 for " + Band(c, sb) + At(segOff));
    b.present = true;
    b.payloadOffset = static_cast<uint32_t>(payloadPos);
    b.payloadBytes = static_cast<uint32_t>(segs * 4);
    b.quantization = quantization_;
    b.lowpassPrecision = lowpassPrecision_;
    if (++subband_ == kVc5SubbandCount) {
      subband_ = 0;
      channel_++;
    }
    return Status::Ok();
  }

  const uint8_t* p_;
  size_t bytes_;
  Vc5Stream* s_;
  bool headerDone_ = false;
  bool prescaleSeen_ = false;
  uint32_t headerSeen_ = 0;
  uint32_t channelCount_ = 0, imageFormat_ = 0, patternWidth_ = 0, patternHeight_ = 0, components_ = 0;
  int channel_ = 0, subband_ = 0, blocksSeen_ = 0;
  uint16_t quantization_ = 0;
  uint16_t lowpassPrecision_ = 16;
};

// --- codebook 17 lookup: 12-bit primary table, 14-bit secondary tables for the few longer prefixes ---
struct LutEntry {
  uint8_t len = 0;  // codeword length; 0 = no codeword (secondary table or invalid)
  uint8_t sub = 0;  // 1 + secondary table index when len == 0
  uint16_t run = 0;
  uint16_t value = 0;
};

struct CodebookLut {
  LutEntry primary[4096];
  std::vector<LutEntry> secondary;  // 16384 entries per table
};

const CodebookLut& Lut() {
  static const CodebookLut* lut = [] {
    auto* t = new CodebookLut();
    for (int i = 0; i < kCodebook17Size; i++) {
      const CodebookEntry& e = kCodebook17[i];
      if (e.sizeBits <= 12) {
        uint32_t first = e.code << (12 - e.sizeBits);
        for (uint32_t j = 0; j < (1u << (12 - e.sizeBits)); j++)
          t->primary[first + j] = LutEntry{e.sizeBits, 0, e.run, e.value};
      } else {
        uint32_t prefix = e.code >> (e.sizeBits - 12);
        LutEntry& p = t->primary[prefix];
        if (p.sub == 0) {
          t->secondary.resize(t->secondary.size() + 16384);
          p.sub = static_cast<uint8_t>(t->secondary.size() / 16384);
        }
        LutEntry* sec = &t->secondary[(p.sub - 1) * 16384];
        uint32_t rest = e.sizeBits - 12;
        uint32_t low = e.code & ((1u << rest) - 1);
        uint32_t first = low << (14 - rest);
        for (uint32_t j = 0; j < (1u << (14 - rest)); j++) sec[first + j] = LutEntry{e.sizeBits, 0, e.run, e.value};
      }
    }
    return t;
  }();
  return *lut;
}

Status DecodeLowpass(const uint8_t* padded, const Vc5Codeblock& b, uint32_t n, int channel, int16_t* out) {
  uint64_t bits = uint64_t(n) * b.lowpassPrecision;
  uint64_t avail = uint64_t(b.payloadBytes) * 8;
  if (bits > avail)
    return CorruptError("lowpass " + Band(channel, 0) + " needs " + std::to_string(bits) + " bits, its codeblock has " +
                        std::to_string(avail));
  if (((bits + 31) & ~uint64_t(31)) != avail)
    return CorruptError("lowpass " + Band(channel, 0) + " codeblock length " + std::to_string(b.payloadBytes) +
                        " bytes does not match its " + std::to_string(n) + " coefficients");
  const uint8_t* p = padded + b.payloadOffset;
  if (b.lowpassPrecision == 16) {
    for (uint32_t i = 0; i < n; i++) out[i] = static_cast<int16_t>(uint16_t(p[2 * i] << 8 | p[2 * i + 1]));
    return Status::Ok();
  }
  BitReader br(padded, size_t(b.payloadOffset) * 8, size_t(b.payloadOffset + b.payloadBytes) * 8);
  for (uint32_t i = 0; i < n; i++) out[i] = static_cast<int16_t>(static_cast<uint16_t>(br.Read(b.lowpassPrecision)));
  return Status::Ok();
}

// Fast path table over the next 12 bits: codewords that fit together with their sign bit (or zero runs that fit).
// Entry: length in bits (0 = take the slow path), run, signed companded value.
struct FastEntry {
  uint8_t len = 0;
  uint16_t run = 0;
  int16_t value = 0;
};

const FastEntry* FastLut() {
  static const FastEntry* lut = [] {
    auto* t = new FastEntry[4096]();
    for (int k = 0; k < kCodebook17Size; k++) {
      const CodebookEntry& e = kCodebook17[k];
      if (e.run == 0) continue;
      if (e.value == 0) {
        if (e.sizeBits > 12) continue;
        uint32_t first = e.code << (12 - e.sizeBits);
        for (uint32_t j = 0; j < (1u << (12 - e.sizeBits)); j++) t[first + j] = FastEntry{e.sizeBits, e.run, 0};
      } else {
        int len = e.sizeBits + 1;
        if (len > 12) continue;
        for (uint32_t sign = 0; sign < 2; sign++) {
          uint32_t first = ((e.code << 1) | sign) << (12 - len);
          int16_t v = static_cast<int16_t>(sign ? -int(e.value) : int(e.value));
          for (uint32_t j = 0; j < (1u << (12 - len)); j++)
            t[first + j] = FastEntry{static_cast<uint8_t>(len), e.run, v};
        }
      }
    }
    // A 0 bit at a codeword boundary is always the single-zero codeword (no other codeword starts with 0), so zero
    // bits that follow a codeword inside the window are absorbed into its entry as extra zero coefficients.
    for (uint32_t idx = 0; idx < 4096; idx++) {
      FastEntry& e = t[idx];
      if (e.len == 0 || e.len >= 12) continue;
      uint32_t rest = 12 - e.len;
      uint32_t tail = idx & ((1u << rest) - 1);
      uint32_t k = 0;
      while (k < rest && !(tail & (1u << (rest - 1 - k)))) k++;
      e.len = static_cast<uint8_t>(e.len + k);
      e.run = static_cast<uint16_t>(e.run + k);
    }
    return t;
  }();
  return lut;
}

Status DecodeHighpass(const uint8_t* padded, const Vc5Codeblock& b, uint32_t n, int channel, int subband,
                      int16_t* out) {
  const CodebookLut& lut = Lut();
  // Dequantization table for companded values -255..255: sat16(sign * UNCOMPAND[|d|] * q), no rounding offset.
  int16_t deq[511];
  for (int d = -255; d <= 255; d++) {
    int32_t v = int32_t(kUncompand[d < 0 ? -d : d]) * b.quantization;
    if (d < 0) v = -v;
    deq[d + 255] = static_cast<int16_t>(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
  }
  // This band's fast table: length | run << 5 | dequantized value << 16, one load per codeword.
  uint32_t fast[4096];
  {
    const FastEntry* base = FastLut();
    for (int k = 0; k < 4096; k++) {
      const FastEntry& e = base[k];
      fast[k] = e.len ? (uint32_t(e.len) | uint32_t(e.run) << 5 | uint32_t(uint16_t(deq[e.value + 255])) << 16) : 0;
    }
  }
  // Bit buffer: `buf` holds `cnt` valid bits MSB-first, the bytes before `ptr` have been loaded. One branch-free
  // refill per codeword keeps >= 56 bits available (the longest step consumes 56). `padded` has 16 zero bytes after
  // the payload, and the loop stops once `ptr` passes the codeblock end + 8, so loads stay inside it.
  const uint8_t* const base = padded + b.payloadOffset;
  const uint8_t* const end = base + b.payloadBytes;
  const uint8_t* ptr = base;
  uint64_t buf = 0;
  uint32_t cnt = 0;
  auto refill = [&] {
    uint64_t w;
    std::memcpy(&w, ptr, 8);
    buf |= __builtin_bswap64(w) >> cnt;
    ptr += (63 - cnt) >> 3;
    cnt |= 56;
  };
  auto consumedBits = [&] { return size_t(ptr - base) * 8 - cnt; };
  // Zero the band once so zero runs (most codewords) only advance the index.
  std::memset(out, 0, size_t(n) * 2);
  uint32_t i = 0;
  while (i < n) {
    if (ptr > end + 8)
      return CorruptError("band data of " + Band(channel, subband) + " overruns its codeblock at coefficient " +
                          std::to_string(i) + " of " + std::to_string(n));
    refill();
    if (!(buf >> 63)) {
      // Every codeword except the 1-bit single-zero run starts with a 1 bit, so leading zero bits are that many
      // zero coefficients (at most 56 of the >= 56 valid bits).
      uint32_t z = buf ? static_cast<uint32_t>(__builtin_clzll(buf)) : 64u;
      if (z > 56) z = 56;
      i += z;
      buf <<= z;
      cnt -= z;
      continue;
    }
    uint32_t f = fast[buf >> 52];
    if (f) {
      // Zero runs store value 0, so the store is harmless; i < n holds here, overflow is checked after the loop.
      out[i] = static_cast<int16_t>(f >> 16);
      i += (f >> 5) & 0x7FF;
      buf <<= (f & 31);
      cnt -= (f & 31);
      continue;
    }
    const LutEntry* e = &lut.primary[buf >> 52];
    if (e->len == 0) {
      if (e->sub == 0) return CorruptError("invalid codeword in " + Band(channel, subband));
      e = &lut.secondary[(e->sub - 1) * 16384 + ((buf >> 38) & 0x3FFF)];
      if (e->len == 0) return CorruptError("invalid codeword in " + Band(channel, subband));
    }
    uint32_t run = e->run;
    if (run == 0)
      return CorruptError("band-end codeword inside " + Band(channel, subband) + " at coefficient " +
                          std::to_string(i) + " of " + std::to_string(n) + " (bit " + std::to_string(consumedBits()) +
                          " of the codeblock)");
    uint32_t len = e->len;
    if (e->value == 0) {
      i += run;
    } else {
      uint32_t sign = static_cast<uint32_t>(buf >> (63 - len)) & 1;
      out[i++] = deq[255 + (sign ? -int(e->value) : int(e->value))];
      len += 1;
    }
    buf <<= len;
    cnt -= len;
  }
  if (i > n)
    return CorruptError("a zero run overflows " + Band(channel, subband) + " (" + std::to_string(i) + " of " +
                        std::to_string(n) + " coefficients)");
  const size_t limit = size_t(b.payloadBytes) * 8;
  if (ptr > end + 8 || consumedBits() + kBandEndBits > limit)
    return CorruptError(Band(channel, subband) + ": no room for the band-end codeword in its codeblock");
  refill();
  if ((buf >> (64 - kBandEndBits)) != kBandEndCode)
    return CorruptError(Band(channel, subband) + ": band-end codeword missing after " + std::to_string(n) +
                        " coefficients (bit " + std::to_string(consumedBits()) + " of the codeblock)");
  cnt -= kBandEndBits;
  const size_t aligned = (consumedBits() + 31) & ~size_t(31);  // the codeblock starts on a segment boundary
  if (aligned != limit)
    return CorruptError(Band(channel, subband) + ": band data ends at byte " + std::to_string(aligned / 8) + " of a " +
                        std::to_string(b.payloadBytes) + "-byte codeblock");
  return Status::Ok();
}

}  // namespace

Status ParseVc5Header(const uint8_t* payload, size_t bytes, Vc5Stream* out) {
  return StreamWalker(payload, bytes, out).Run(true);
}

Status ParseVc5Stream(const uint8_t* payload, size_t bytes, Vc5Stream* out) {
  return StreamWalker(payload, bytes, out).Run(false);
}

Status DecodeVc5Band(const uint8_t* padded, const Vc5Stream& stream, int channel, int subband, int16_t* out) {
  const Vc5Codeblock& b = stream.blocks[channel][subband];
  if (!b.present) return CorruptError("missing codeblock for " + Band(channel, subband));
  uint32_t w = 0, h = 0;
  SubbandSize(stream, subband, &w, &h);
  uint32_t n = w * h;
  if (subband == 0) return DecodeLowpass(padded, b, n, channel, out);
  return DecodeHighpass(padded, b, n, channel, subband, out);
}

}  // namespace leakproof::gpr
