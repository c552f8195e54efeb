// TIFF/DNG container parser: every offset, count and size is checked against the input before use.
#include "gpr/tiff_reader.h"

#include <algorithm>
#include <cstring>

#include "gpr/gpr_limits.h"

namespace leakproof::gpr {

namespace {

constexpr uint16_t kTagNewSubFileType = 254;
constexpr uint16_t kTagImageWidth = 256;
constexpr uint16_t kTagImageLength = 257;
constexpr uint16_t kTagCompression = 259;
constexpr uint16_t kTagPhotometric = 262;
constexpr uint16_t kTagStripOffsets = 273;
constexpr uint16_t kTagStripByteCounts = 279;
constexpr uint16_t kTagTileWidth = 322;
constexpr uint16_t kTagTileLength = 323;
constexpr uint16_t kTagTileOffsets = 324;
constexpr uint16_t kTagTileByteCounts = 325;
constexpr uint16_t kTagSubIfds = 330;
constexpr uint16_t kTagExifIfd = 34665;
constexpr uint16_t kTagGpsIfd = 34853;
constexpr uint16_t kCompressionVc5 = 9;

// Byte size of one value of a TIFF type; 0 for unknown types.
uint32_t TypeSize(uint16_t type) {
  switch (type) {
    case 1:
    case 2:
    case 6:
    case 7:
      return 1;  // BYTE ASCII SBYTE UNDEFINED
    case 3:
    case 8:
      return 2;  // SHORT SSHORT
    case 4:
    case 9:
    case 11:
    case 13:
      return 4;  // LONG SLONG FLOAT IFD
    case 5:
    case 10:
    case 12:
      return 8;  // RATIONAL SRATIONAL DOUBLE
    default:
      return 0;
  }
}

std::string TagName(uint16_t tag) { return "tag " + std::to_string(tag); }

}  // namespace

const TiffEntry* TiffIfd::Find(uint16_t tag) const {
  for (const TiffEntry& e : entries)
    if (e.tag == tag) return &e;
  return nullptr;
}

uint16_t TiffFile::U16(size_t off) const {
  const uint8_t* p = data_ + off;
  return bigEndian_ ? static_cast<uint16_t>(p[0] << 8 | p[1]) : static_cast<uint16_t>(p[1] << 8 | p[0]);
}

uint32_t TiffFile::U32(size_t off) const {
  const uint8_t* p = data_ + off;
  if (bigEndian_) return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
  return uint32_t(p[3]) << 24 | uint32_t(p[2]) << 16 | uint32_t(p[1]) << 8 | p[0];
}

Status TiffFile::ParseIfd(uint32_t offset, const char* what, TiffIfd* out, uint32_t* next) {
  if (++ifdsVisited_ > kMaxIfdCount)
    return LimitError(std::string("more than ") + std::to_string(kMaxIfdCount) + " IFDs (at " + what + ")");
  if (std::find(visitedOffsets_.begin(), visitedOffsets_.end(), offset) != visitedOffsets_.end())
    return CorruptError(std::string(what) + " at offset " + std::to_string(offset) + " is visited twice (IFD loop)");
  visitedOffsets_.push_back(offset);
  if (offset < 8)
    return CorruptError(std::string(what) + " offset " + std::to_string(offset) + " points into the TIFF header");
  if (uint64_t(offset) + 2 > size_)
    return TruncatedError(std::string(what) + " offset " + std::to_string(offset) + " is past the end of the input (" +
                          std::to_string(size_) + " bytes)");
  uint32_t n = U16(offset);
  if (n == 0) return CorruptError(std::string(what) + " at offset " + std::to_string(offset) + " has no entries");
  if (n > kMaxIfdEntries)
    return LimitError(std::string(what) + " at offset " + std::to_string(offset) + " declares " + std::to_string(n) +
                      " entries (limit " + std::to_string(kMaxIfdEntries) + ")");
  uint64_t end = uint64_t(offset) + 2 + uint64_t(n) * 12 + 4;
  if (end > size_)
    return TruncatedError(std::string(what) + " at offset " + std::to_string(offset) + " with " + std::to_string(n) +
                          " entries runs past the end of the input");
  out->offset = offset;
  out->entries.clear();
  out->entries.reserve(n);
  for (uint32_t i = 0; i < n; i++) {
    size_t eo = offset + 2 + size_t(i) * 12;
    TiffEntry e;
    e.tag = U16(eo);
    e.type = U16(eo + 2);
    e.count = U32(eo + 4);
    uint32_t ts = TypeSize(e.type);
    if (ts == 0) continue;  // unknown type: TIFF readers ignore the entry
    uint64_t bytes = uint64_t(ts) * e.count;
    if (bytes > kMaxMetadataBlockBytes)
      return LimitError(TagName(e.tag) + " in " + what + " (entry at offset " + std::to_string(eo) + ") declares " +
                        std::to_string(bytes) + " bytes of data (limit " + std::to_string(kMaxMetadataBlockBytes) +
                        ")");
    e.valueBytes = static_cast<uint32_t>(bytes);
    if (bytes <= 4) {
      e.valueOffset = static_cast<uint32_t>(eo + 8);
    } else {
      e.valueOffset = U32(eo + 8);
      if (uint64_t(e.valueOffset) + bytes > size_)
        return TruncatedError(TagName(e.tag) + " in " + what + ": data at offset " + std::to_string(e.valueOffset) +
                              " (+" + std::to_string(bytes) + " bytes) runs past the end of the input (" +
                              std::to_string(size_) + " bytes)");
    }
    out->entries.push_back(e);
  }
  *next = U32(offset + 2 + size_t(n) * 12);
  return Status::Ok();
}

Status TiffFile::Parse(const uint8_t* data, size_t size, TiffFile* out) {
  *out = TiffFile();
  out->data_ = data;
  out->size_ = size;
  if (size == 0) return FormatError("empty input: not a GPR/DNG file");
  if (size > kMaxInputBytes)
    return LimitError("input of " + std::to_string(size) + " bytes exceeds the limit of " +
                      std::to_string(kMaxInputBytes));
  static const uint8_t kII[4] = {'I', 'I', 42, 0};
  static const uint8_t kMM[4] = {'M', 'M', 0, 42};
  size_t cmp = std::min<size_t>(size, 4);
  bool ii = std::memcmp(data, kII, cmp) == 0;
  bool mm = std::memcmp(data, kMM, cmp) == 0;
  if (!ii && !mm) {
    if (size >= 4 &&
        ((data[0] == 'I' && data[1] == 'I' && data[2] == 43) || (data[0] == 'M' && data[1] == 'M' && data[3] == 43)))
      return FormatError("BigTIFF header (magic 43) at offset 2: GPR files are classic TIFF (magic 42)");
    return FormatError("not a TIFF/DNG file: header bytes at offset 0 are not 'II*\\0' or 'MM\\0*'");
  }
  if (size < 8) return TruncatedError("TIFF header needs 8 bytes, the input has " + std::to_string(size));
  out->bigEndian_ = mm;
  uint32_t ifd = out->U32(4);
  // Offset 0 ends the IFD chain at once: without this check IFD0 would be read from an empty list (SEGV found
  // by fuzz_tiff, native/fuzz/regressions/tiff/ifd0-offset-zero.tif).
  if (ifd == 0) return CorruptError("IFD0 offset at offset 4 is 0: the TIFF has no image directory");
  // IFD0 and its chain.
  uint32_t next = ifd;
  const char* names[] = {"IFD0", "IFD1", "IFD2", "IFD3"};
  for (int k = 0; next != 0; k++) {
    if (k >= 4) break;  // further chained IFDs are never raw images in DNG; ignore them
    TiffIfd t;
    uint32_t nn = 0;
    GPR_RETURN_IF_ERROR(out->ParseIfd(next, names[k], &t, &nn));
    out->imageIfds_.push_back(std::move(t));
    next = nn;
  }
  // SubIFDs of IFD0 (one level, as DNG uses them).
  size_t chainCount = out->imageIfds_.size();
  for (size_t k = 0; k < chainCount; k++) {
    const TiffEntry* sub = out->imageIfds_[k].Find(kTagSubIfds);
    if (!sub) continue;
    if (sub->type != 4 && sub->type != 13)
      return CorruptError("SubIFDs (tag 330) has type " + std::to_string(sub->type) + ", expected LONG or IFD");
    for (uint32_t i = 0; i < sub->count; i++) {
      uint32_t off = 0;
      out->GetUint(*sub, i, &off);
      TiffIfd t;
      uint32_t nn = 0;
      GPR_RETURN_IF_ERROR(out->ParseIfd(off, "SubIFD", &t, &nn));
      out->imageIfds_.push_back(std::move(t));
    }
  }
  // EXIF and GPS of IFD0.
  const TiffIfd& ifd0 = out->imageIfds_[0];
  if (const TiffEntry* e = ifd0.Find(kTagExifIfd)) {
    uint32_t off = 0;
    if (!out->GetUint(*e, 0, &off)) return CorruptError("ExifIFD (tag 34665) has type " + std::to_string(e->type));
    uint32_t nn = 0;
    GPR_RETURN_IF_ERROR(out->ParseIfd(off, "EXIF IFD", &out->exif_, &nn));
    out->hasExif_ = true;
  }
  if (const TiffEntry* e = ifd0.Find(kTagGpsIfd)) {
    uint32_t off = 0;
    if (!out->GetUint(*e, 0, &off)) return CorruptError("GPSInfo (tag 34853) has type " + std::to_string(e->type));
    uint32_t nn = 0;
    GPR_RETURN_IF_ERROR(out->ParseIfd(off, "GPS IFD", &out->gps_, &nn));
    out->hasGps_ = true;
  }
  return Status::Ok();
}

bool TiffFile::GetUint(const TiffEntry& e, uint32_t index, uint32_t* out) const {
  if (index >= e.count) return false;
  size_t p = e.valueOffset;
  switch (e.type) {
    case 1:
    case 7:
      *out = data_[p + index];
      return true;
    case 3:
      *out = U16(p + size_t(index) * 2);
      return true;
    case 4:
    case 13:
      *out = U32(p + size_t(index) * 4);
      return true;
    default:
      return false;
  }
}

bool TiffFile::GetRational(const TiffEntry& e, uint32_t index, Rational* out) const {
  if (index >= e.count || (e.type != 5 && e.type != 10)) return false;
  size_t p = e.valueOffset + size_t(index) * 8;
  out->num = U32(p);
  out->den = U32(p + 4);
  return true;
}

bool TiffFile::GetSRational(const TiffEntry& e, uint32_t index, SRational* out) const {
  if (index >= e.count || (e.type != 5 && e.type != 10)) return false;
  size_t p = e.valueOffset + size_t(index) * 8;
  out->num = static_cast<int32_t>(U32(p));
  out->den = static_cast<int32_t>(U32(p + 4));
  return true;
}

bool TiffFile::GetDouble(const TiffEntry& e, uint32_t index, double* out) const {
  if (index >= e.count) return false;
  size_t p = e.valueOffset;
  switch (e.type) {
    case 12: {
      uint64_t hi = U32(p + size_t(index) * 8 + (bigEndian_ ? 0 : 4));
      uint64_t lo = U32(p + size_t(index) * 8 + (bigEndian_ ? 4 : 0));
      uint64_t bits = hi << 32 | lo;
      std::memcpy(out, &bits, 8);
      return true;
    }
    case 11: {
      uint32_t bits = U32(p + size_t(index) * 4);
      float f;
      std::memcpy(&f, &bits, 4);
      *out = f;
      return true;
    }
    case 5: {
      Rational r;
      GetRational(e, index, &r);
      *out = r.den ? double(r.num) / r.den : 0.0;
      return true;
    }
    case 10: {
      SRational r;
      GetSRational(e, index, &r);
      *out = r.den ? double(r.num) / r.den : 0.0;
      return true;
    }
    default:
      return false;
  }
}

std::string TiffFile::GetAscii(const TiffEntry& e) const {
  if (e.type != 2 && e.type != 1 && e.type != 7) return std::string();
  const char* p = reinterpret_cast<const char*>(data_ + e.valueOffset);
  size_t n = e.count;
  size_t len = 0;
  while (len < n && p[len] != '\0') len++;
  return std::string(p, len);
}

std::vector<uint8_t> TiffFile::GetBytes(const TiffEntry& e) const {
  return std::vector<uint8_t>(data_ + e.valueOffset, data_ + e.valueOffset + e.valueBytes);
}

namespace {

// Reads one IFD's metadata tags into `m` (later calls overwrite earlier values).
void ReadIfdTags(const TiffFile& t, const TiffIfd& ifd, GprMetadata* m) {
  for (const TiffEntry& e : ifd.entries) {
    uint32_t u = 0;
    switch (e.tag) {
      case 270:
        m->imageDescription = t.GetAscii(e);
        break;
      case 271:
        m->make = t.GetAscii(e);
        break;
      case 272:
        m->model = t.GetAscii(e);
        break;
      case 274:
        if (t.GetUint(e, 0, &u)) m->orientation = static_cast<uint16_t>(u);
        break;
      case 305:
        m->software = t.GetAscii(e);
        break;
      case 306:
        m->dateTime = t.GetAscii(e);
        break;
      case 700:
        m->xmp = t.GetBytes(e);
        break;
      case 33421:
        for (uint32_t i = 0; i < 2; i++)
          if (t.GetUint(e, i, &u)) m->cfaRepeatPatternDim[i] = static_cast<uint16_t>(u);
        break;
      case 33422:
        if (e.count == 4)
          for (uint32_t i = 0; i < 4; i++)
            if (t.GetUint(e, i, &u)) m->cfaPatternBytes[i] = static_cast<uint8_t>(u);
        break;
      case 50706:
        for (uint32_t i = 0; i < 4; i++)
          if (t.GetUint(e, i, &u)) m->dngVersion[i] = static_cast<uint8_t>(u);
        break;
      case 50707:
        for (uint32_t i = 0; i < 4; i++)
          if (t.GetUint(e, i, &u)) m->dngBackwardVersion[i] = static_cast<uint8_t>(u);
        break;
      case 50708:
        m->uniqueCameraModel = t.GetAscii(e);
        break;
      case 50709:
        m->localizedCameraModel = t.GetAscii(e);
        break;
      case 50713:
        for (uint32_t i = 0; i < 2; i++)
          if (t.GetUint(e, i, &u)) m->blackLevelRepeatDim[i] = static_cast<uint16_t>(u);
        break;
      case 50714: {
        m->blackLevel.clear();
        for (uint32_t i = 0; i < e.count && i < 16; i++) {
          Rational r;
          if (t.GetRational(e, i, &r))
            m->blackLevel.push_back(r);
          else if (t.GetUint(e, i, &u))
            m->blackLevel.push_back(Rational{u, 1});
        }
        break;
      }
      case 50717:
        if (t.GetUint(e, 0, &u)) m->whiteLevel = u;
        break;
      case 50718:
        for (uint32_t i = 0; i < 2; i++) t.GetRational(e, i, &m->defaultScale[i]);
        break;
      case 50719:
        for (uint32_t i = 0; i < 2; i++) t.GetRational(e, i, &m->defaultCropOrigin[i]);
        break;
      case 50720:
        for (uint32_t i = 0; i < 2; i++) t.GetRational(e, i, &m->defaultCropSize[i]);
        break;
      case 50721:
        if (e.count >= 9) {
          m->hasColorMatrix1 = true;
          for (uint32_t i = 0; i < 9; i++) t.GetSRational(e, i, &m->colorMatrix1[i]);
        }
        break;
      case 50722:
        if (e.count >= 9) {
          m->hasColorMatrix2 = true;
          for (uint32_t i = 0; i < 9; i++) t.GetSRational(e, i, &m->colorMatrix2[i]);
        }
        break;
      case 50727:
        if (e.count >= 3) {
          m->hasAnalogBalance = true;
          for (uint32_t i = 0; i < 3; i++) t.GetRational(e, i, &m->analogBalance[i]);
        }
        break;
      case 50728:
        if (e.count >= 3) {
          m->hasAsShotNeutral = true;
          for (uint32_t i = 0; i < 3; i++) t.GetRational(e, i, &m->asShotNeutral[i]);
        }
        break;
      case 50730:
        t.GetSRational(e, 0, &m->baselineExposure);
        break;
      case 50731:
        t.GetRational(e, 0, &m->baselineNoise);
        break;
      case 50732:
        t.GetRational(e, 0, &m->baselineSharpness);
        break;
      case 50733:
        if (t.GetUint(e, 0, &u)) m->bayerGreenSplit = u;
        break;
      case 50734:
        t.GetRational(e, 0, &m->linearResponseLimit);
        break;
      case 50735:
        m->cameraSerialNumber = t.GetAscii(e);
        break;
      case 50738:
        t.GetRational(e, 0, &m->antiAliasStrength);
        break;
      case 50739:
        t.GetRational(e, 0, &m->shadowScale);
        break;
      case 50740: {
        m->dngPrivateData = t.GetBytes(e);
        static const uint8_t kPrefix[6] = {'G', 'o', 'P', 'r', 'o', '\n'};
        if (m->dngPrivateData.size() >= 6 && std::memcmp(m->dngPrivateData.data(), kPrefix, 6) == 0)
          m->gpmf.assign(m->dngPrivateData.begin() + 6, m->dngPrivateData.end());
        break;
      }
      case 50778:
        if (t.GetUint(e, 0, &u)) m->calibrationIlluminant1 = static_cast<uint16_t>(u);
        break;
      case 50779:
        if (t.GetUint(e, 0, &u)) m->calibrationIlluminant2 = static_cast<uint16_t>(u);
        break;
      case 50780:
        t.GetRational(e, 0, &m->bestQualityScale);
        break;
      case 50827:
        m->originalRawFileName = t.GetAscii(e);
        break;
      case 50829:
        if (e.count >= 4) {
          m->hasActiveArea = true;
          for (uint32_t i = 0; i < 4; i++) t.GetUint(e, i, &m->activeArea[i]);
        }
        break;
      case 50936:
        m->profileName = t.GetAscii(e);
        break;
      case 50941:
        if (t.GetUint(e, 0, &u)) m->profileEmbedPolicy = u;
        break;
      case 51009:
        m->opcodeList2 = t.GetBytes(e);
        break;
      case 51022:
        m->opcodeList3 = t.GetBytes(e);
        break;
      case 51041:
        if (e.count >= 2) {
          m->hasNoiseProfile = true;
          t.GetDouble(e, 0, &m->noiseProfile[0]);
          t.GetDouble(e, 1, &m->noiseProfile[1]);
        }
        break;
      case 51111:
        if (e.valueBytes == 16) {
          m->hasNewRawImageDigest = true;
          std::memcpy(m->newRawImageDigest, t.data() + e.valueOffset, 16);
        }
        break;
      case 51125:
        if (e.count >= 4) {
          m->hasDefaultUserCrop = true;
          for (uint32_t i = 0; i < 4; i++) t.GetRational(e, i, &m->defaultUserCrop[i]);
        }
        break;
      default:
        break;
    }
  }
}

RawTiffEntry Verbatim(const TiffFile& t, const TiffEntry& e) {
  RawTiffEntry r;
  r.tag = e.tag;
  r.type = e.type;
  r.count = e.count;
  r.bytes = t.GetBytes(e);
  return r;
}

void ReadExifTags(const TiffFile& t, const TiffIfd& ifd, GprMetadata* m) {
  m->hasExif = true;
  for (const TiffEntry& e : ifd.entries) {
    uint32_t u = 0;
    auto u16 = [&](uint16_t* dst) {
      if (t.GetUint(e, 0, &u)) *dst = static_cast<uint16_t>(u);
    };
    switch (e.tag) {
      case 33434:
        t.GetRational(e, 0, &m->exposureTime);
        break;
      case 33437:
        t.GetRational(e, 0, &m->fNumber);
        break;
      case 34850:
        u16(&m->exposureProgram);
        break;
      case 34855:
        if (t.GetUint(e, 0, &u)) m->iso = u;
        break;
      case 36867:
        m->dateTimeOriginal = t.GetAscii(e);
        break;
      case 36868:
        m->dateTimeDigitized = t.GetAscii(e);
        break;
      case 37378:
        t.GetRational(e, 0, &m->apertureValue);
        break;
      case 37380:
        t.GetSRational(e, 0, &m->exposureBias);
        break;
      case 37381:
        t.GetRational(e, 0, &m->maxApertureValue);
        break;
      case 37383:
        u16(&m->meteringMode);
        break;
      case 37384:
        u16(&m->lightSource);
        break;
      case 37385:
        u16(&m->flash);
        break;
      case 37386:
        t.GetRational(e, 0, &m->focalLength);
        break;
      case 41486:
        t.GetRational(e, 0, &m->focalPlaneXResolution);
        break;
      case 41487:
        t.GetRational(e, 0, &m->focalPlaneYResolution);
        break;
      case 41495:
        u16(&m->sensingMethod);
        break;
      case 41728:
        if (t.GetUint(e, 0, &u)) m->fileSource = static_cast<uint8_t>(u);
        break;
      case 41729:
        if (t.GetUint(e, 0, &u)) m->sceneType = static_cast<uint8_t>(u);
        break;
      case 41986:
        u16(&m->exposureMode);
        break;
      case 41987:
        u16(&m->whiteBalance);
        break;
      case 41988:
        t.GetRational(e, 0, &m->digitalZoomRatio);
        break;
      case 41989:
        u16(&m->focalLengthIn35mmFilm);
        break;
      case 41990:
        u16(&m->sceneCaptureType);
        break;
      case 41991:
        u16(&m->gainControl);
        break;
      case 41992:
        u16(&m->contrast);
        break;
      case 41993:
        u16(&m->saturation);
        break;
      case 41994:
        u16(&m->sharpness);
        break;
      default:
        m->otherExifEntries.push_back(Verbatim(t, e));
        break;
    }
  }
}

}  // namespace

void ReadGprMetadata(const TiffFile& tiff, const TiffIfd& rawIfd, GprMetadata* meta) {
  *meta = GprMetadata();
  ReadIfdTags(tiff, tiff.imageIfds()[0], meta);
  if (&rawIfd != &tiff.imageIfds()[0]) ReadIfdTags(tiff, rawIfd, meta);
  static const uint8_t kRggb[4] = {0, 1, 1, 2};
  static const uint8_t kGbrg[4] = {1, 2, 0, 1};
  if (std::memcmp(meta->cfaPatternBytes, kRggb, 4) == 0)
    meta->cfa = CfaPattern::kRggb;
  else if (std::memcmp(meta->cfaPatternBytes, kGbrg, 4) == 0)
    meta->cfa = CfaPattern::kGbrg;
  else
    meta->cfa = CfaPattern::kOther;
  if (const TiffIfd* exif = tiff.exifIfd()) ReadExifTags(tiff, *exif, meta);
  if (const TiffIfd* gps = tiff.gpsIfd()) {
    meta->hasGps = true;
    for (const TiffEntry& e : gps->entries) meta->gpsEntries.push_back(Verbatim(tiff, e));
  }
}

Status ParseGprContainer(const uint8_t* data, size_t size, GprContainer* out) {
  *out = GprContainer();
  TiffFile tiff;
  GPR_RETURN_IF_ERROR(TiffFile::Parse(data, size, &tiff));
  const auto& ifds = tiff.imageIfds();
  const TiffIfd* raw = nullptr;
  size_t rawIndex = 0;
  uint32_t otherCompression = 0;
  for (size_t i = 0; i < ifds.size(); i++) {
    uint32_t subType = 0, compression = 0, photometric = 0;
    if (const TiffEntry* e = ifds[i].Find(kTagNewSubFileType)) tiff.GetUint(*e, 0, &subType);
    if (const TiffEntry* e = ifds[i].Find(kTagCompression)) tiff.GetUint(*e, 0, &compression);
    if (const TiffEntry* e = ifds[i].Find(kTagPhotometric)) tiff.GetUint(*e, 0, &photometric);
    if (subType != 0) continue;
    if (compression == kCompressionVc5) {
      raw = &ifds[i];
      rawIndex = i;
      break;
    }
    if (photometric == 32803 && otherCompression == 0) otherCompression = compression ? compression : 1;
  }
  if (!raw) {
    if (otherCompression)
      return UnsupportedError("the raw image (CFA IFD) uses Compression " + std::to_string(otherCompression) +
                              ", not 9 (VC-5): this is a DNG but not a GPR");
    return FormatError("no VC-5 raw image (IFD with NewSubFileType 0 and Compression 9): not a GPR file");
  }
  const char* where = rawIndex == 0 ? "IFD0" : "raw SubIFD";
  out->layout = rawIndex == 0 ? GprLayout::kIfd0 : GprLayout::kSubIfd;
  uint32_t w = 0, h = 0;
  const TiffEntry* ew = raw->Find(kTagImageWidth);
  const TiffEntry* eh = raw->Find(kTagImageLength);
  if (!ew || !eh || !tiff.GetUint(*ew, 0, &w) || !tiff.GetUint(*eh, 0, &h))
    return CorruptError(std::string(where) + ": ImageWidth/ImageLength (tags 256/257) missing or not integers");
  if (w == 0 || h == 0)
    return CorruptError(std::string(where) + ": image size " + std::to_string(w) + "x" + std::to_string(h) +
                        " (tags 256/257) is empty");
  if (w > kMaxImageWidth || h > kMaxImageHeight || uint64_t(w) * h > kMaxImagePixels)
    return LimitError(std::string(where) + ": image size " + std::to_string(w) + "x" + std::to_string(h) +
                      " (tags 256/257) exceeds the limit of " + std::to_string(kMaxImageWidth) + "x" +
                      std::to_string(kMaxImageHeight) + " / " + std::to_string(kMaxImagePixels) + " pixels");
  if (w % 2 || h % 2 || w < kMinImageDimension || h < kMinImageDimension)
    return UnsupportedError(
        std::string(where) + ": image size " + std::to_string(w) + "x" + std::to_string(h) +
        " is not supported (width and height must be even and >= " + std::to_string(kMinImageDimension) + ")");
  // One tile covering the image (TileOffsets/TileByteCounts), or one strip.
  const TiffEntry* eo = raw->Find(kTagTileOffsets);
  const TiffEntry* ec = raw->Find(kTagTileByteCounts);
  const char* offName = "TileOffsets (tag 324)";
  const char* cntName = "TileByteCounts (tag 325)";
  if (!eo && !ec) {
    eo = raw->Find(kTagStripOffsets);
    ec = raw->Find(kTagStripByteCounts);
    offName = "StripOffsets (tag 273)";
    cntName = "StripByteCounts (tag 279)";
  } else {
    uint32_t tw = w, tl = h;
    if (const TiffEntry* e = raw->Find(kTagTileWidth)) tiff.GetUint(*e, 0, &tw);
    if (const TiffEntry* e = raw->Find(kTagTileLength)) tiff.GetUint(*e, 0, &tl);
    if (tw != w || tl != h)
      return UnsupportedError(std::string(where) + ": tile size " + std::to_string(tw) + "x" + std::to_string(tl) +
                              " differs from the image size " + std::to_string(w) + "x" + std::to_string(h) +
                              " (only single-tile VC-5 images exist)");
  }
  if (!eo || !ec) return CorruptError(std::string(where) + ": the VC-5 tile's offset or byte count tag is missing");
  if (eo->count != 1 || ec->count != 1)
    return UnsupportedError(std::string(where) + ": " + std::to_string(eo->count) +
                            " tiles/strips; GPR has exactly one");
  uint32_t off = 0, cnt = 0;
  if (!tiff.GetUint(*eo, 0, &off) || !tiff.GetUint(*ec, 0, &cnt))
    return CorruptError(std::string(where) + ": " + offName + " / " + cntName + " are not integers");
  if (uint64_t(off) + cnt > size)
    return TruncatedError(std::string(where) + ": VC-5 tile at offset " + std::to_string(off) + " (" + offName +
                          ") with " + std::to_string(cnt) + " bytes (" + cntName +
                          ") runs past the end of the input (" + std::to_string(size) + " bytes)");
  if (cnt > kMaxVc5PayloadBytes)
    return LimitError(std::string(where) + ": VC-5 tile of " + std::to_string(cnt) + " bytes exceeds the limit of " +
                      std::to_string(kMaxVc5PayloadBytes));
  if (cnt < 8 || cnt % 4 != 0)
    return CorruptError(std::string(where) + ": VC-5 tile byte count " + std::to_string(cnt) + " (" + cntName +
                        ") is not a positive multiple of 4");
  out->width = w;
  out->height = h;
  out->tileOffset = off;
  out->tileBytes = cnt;
  ReadGprMetadata(tiff, *raw, &out->metadata);
  const TiffEntry* cfa = raw->Find(33422);
  if (!cfa || cfa->count != 4)
    return CorruptError(std::string(where) + ": CFAPattern (tag 33422) missing or not 4 values");
  if (out->metadata.cfa == CfaPattern::kOther)
    return UnsupportedError(std::string(where) +
                            ": CFAPattern (tag 33422) is neither RGGB (0,1,1,2) nor GBRG (1,2,0,1)");
  return Status::Ok();
}

}  // namespace leakproof::gpr
