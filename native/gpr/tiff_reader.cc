// TIFF/DNG container parser: every offset, count and size is checked against the input before use.
#include "gpr/tiff_reader.h"

#include <algorithm>
#include <cstring>

#include "gpr/gpr_limits.h"
#include "gpr/tiff_tags.h"

namespace leakproof::gpr {

namespace {

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
    uint32_t ts = TiffTypeSize(e.type);
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
    if (sub->type != kTiffLong && sub->type != kTiffIfd)
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
    case kTiffByte:
    case kTiffUndefined:
      *out = data_[p + index];
      return true;
    case kTiffShort:
      *out = U16(p + size_t(index) * 2);
      return true;
    case kTiffLong:
    case kTiffIfd:
      *out = U32(p + size_t(index) * 4);
      return true;
    default:
      return false;
  }
}

bool TiffFile::GetRational(const TiffEntry& e, uint32_t index, Rational* out) const {
  if (index >= e.count || (e.type != kTiffRational && e.type != kTiffSRational)) return false;
  size_t p = e.valueOffset + size_t(index) * 8;
  out->num = U32(p);
  out->den = U32(p + 4);
  return true;
}

bool TiffFile::GetSRational(const TiffEntry& e, uint32_t index, SRational* out) const {
  if (index >= e.count || (e.type != kTiffRational && e.type != kTiffSRational)) return false;
  size_t p = e.valueOffset + size_t(index) * 8;
  out->num = static_cast<int32_t>(U32(p));
  out->den = static_cast<int32_t>(U32(p + 4));
  return true;
}

bool TiffFile::GetDouble(const TiffEntry& e, uint32_t index, double* out) const {
  if (index >= e.count) return false;
  size_t p = e.valueOffset;
  switch (e.type) {
    case kTiffDouble: {
      uint64_t hi = U32(p + size_t(index) * 8 + (bigEndian_ ? 0 : 4));
      uint64_t lo = U32(p + size_t(index) * 8 + (bigEndian_ ? 4 : 0));
      uint64_t bits = hi << 32 | lo;
      std::memcpy(out, &bits, 8);
      return true;
    }
    case kTiffFloat: {
      uint32_t bits = U32(p + size_t(index) * 4);
      float f;
      std::memcpy(&f, &bits, 4);
      *out = f;
      return true;
    }
    case kTiffRational: {
      Rational r;
      GetRational(e, index, &r);
      *out = r.den ? double(r.num) / r.den : 0.0;
      return true;
    }
    case kTiffSRational: {
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
  if (e.type != kTiffAscii && e.type != kTiffByte && e.type != kTiffUndefined) return std::string();
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
      case kTagImageDescription:
        m->imageDescription = t.GetAscii(e);
        break;
      case kTagMake:
        m->make = t.GetAscii(e);
        break;
      case kTagModel:
        m->model = t.GetAscii(e);
        break;
      case kTagOrientation:
        if (t.GetUint(e, 0, &u)) m->orientation = static_cast<uint16_t>(u);
        break;
      case kTagSoftware:
        m->software = t.GetAscii(e);
        break;
      case kTagDateTime:
        m->dateTime = t.GetAscii(e);
        break;
      case kTagXmp:
        m->xmp = t.GetBytes(e);
        break;
      case kTagCfaRepeatPatternDim:
        for (uint32_t i = 0; i < 2; i++)
          if (t.GetUint(e, i, &u)) m->cfaRepeatPatternDim[i] = static_cast<uint16_t>(u);
        break;
      case kTagCfaPattern:
        if (e.count == 4)
          for (uint32_t i = 0; i < 4; i++)
            if (t.GetUint(e, i, &u)) m->cfaPatternBytes[i] = static_cast<uint8_t>(u);
        break;
      case kTagDngVersion:
        for (uint32_t i = 0; i < 4; i++)
          if (t.GetUint(e, i, &u)) m->dngVersion[i] = static_cast<uint8_t>(u);
        break;
      case kTagDngBackwardVersion:
        for (uint32_t i = 0; i < 4; i++)
          if (t.GetUint(e, i, &u)) m->dngBackwardVersion[i] = static_cast<uint8_t>(u);
        break;
      case kTagUniqueCameraModel:
        m->uniqueCameraModel = t.GetAscii(e);
        break;
      case kTagLocalizedCameraModel:
        m->localizedCameraModel = t.GetAscii(e);
        break;
      case kTagBlackLevelRepeatDim:
        for (uint32_t i = 0; i < 2; i++)
          if (t.GetUint(e, i, &u)) m->blackLevelRepeatDim[i] = static_cast<uint16_t>(u);
        break;
      case kTagBlackLevel: {
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
      case kTagWhiteLevel:
        if (t.GetUint(e, 0, &u)) m->whiteLevel = u;
        break;
      case kTagDefaultScale:
        for (uint32_t i = 0; i < 2; i++) t.GetRational(e, i, &m->defaultScale[i]);
        break;
      case kTagDefaultCropOrigin:
        for (uint32_t i = 0; i < 2; i++) t.GetRational(e, i, &m->defaultCropOrigin[i]);
        break;
      case kTagDefaultCropSize:
        for (uint32_t i = 0; i < 2; i++) t.GetRational(e, i, &m->defaultCropSize[i]);
        break;
      case kTagColorMatrix1:
        if (e.count >= 9) {
          m->hasColorMatrix1 = true;
          for (uint32_t i = 0; i < 9; i++) t.GetSRational(e, i, &m->colorMatrix1[i]);
        }
        break;
      case kTagColorMatrix2:
        if (e.count >= 9) {
          m->hasColorMatrix2 = true;
          for (uint32_t i = 0; i < 9; i++) t.GetSRational(e, i, &m->colorMatrix2[i]);
        }
        break;
      case kTagAnalogBalance:
        if (e.count >= 3) {
          m->hasAnalogBalance = true;
          for (uint32_t i = 0; i < 3; i++) t.GetRational(e, i, &m->analogBalance[i]);
        }
        break;
      case kTagAsShotNeutral:
        if (e.count >= 3) {
          m->hasAsShotNeutral = true;
          for (uint32_t i = 0; i < 3; i++) t.GetRational(e, i, &m->asShotNeutral[i]);
        }
        break;
      case kTagBaselineExposure:
        t.GetSRational(e, 0, &m->baselineExposure);
        break;
      case kTagBaselineNoise:
        t.GetRational(e, 0, &m->baselineNoise);
        break;
      case kTagBaselineSharpness:
        t.GetRational(e, 0, &m->baselineSharpness);
        break;
      case kTagBayerGreenSplit:
        if (t.GetUint(e, 0, &u)) m->bayerGreenSplit = u;
        break;
      case kTagLinearResponseLimit:
        t.GetRational(e, 0, &m->linearResponseLimit);
        break;
      case kTagCameraSerialNumber:
        m->cameraSerialNumber = t.GetAscii(e);
        break;
      case kTagAntiAliasStrength:
        t.GetRational(e, 0, &m->antiAliasStrength);
        break;
      case kTagShadowScale:
        t.GetRational(e, 0, &m->shadowScale);
        break;
      case kTagDngPrivateData: {
        m->dngPrivateData = t.GetBytes(e);
        static const uint8_t kPrefix[6] = {'G', 'o', 'P', 'r', 'o', '\n'};
        if (m->dngPrivateData.size() >= 6 && std::memcmp(m->dngPrivateData.data(), kPrefix, 6) == 0)
          m->gpmf.assign(m->dngPrivateData.begin() + 6, m->dngPrivateData.end());
        break;
      }
      case kTagCalibrationIlluminant1:
        if (t.GetUint(e, 0, &u)) m->calibrationIlluminant1 = static_cast<uint16_t>(u);
        break;
      case kTagCalibrationIlluminant2:
        if (t.GetUint(e, 0, &u)) m->calibrationIlluminant2 = static_cast<uint16_t>(u);
        break;
      case kTagBestQualityScale:
        t.GetRational(e, 0, &m->bestQualityScale);
        break;
      case kTagOriginalRawFileName:
        m->originalRawFileName = t.GetAscii(e);
        break;
      case kTagActiveArea:
        if (e.count >= 4) {
          m->hasActiveArea = true;
          for (uint32_t i = 0; i < 4; i++) t.GetUint(e, i, &m->activeArea[i]);
        }
        break;
      case kTagProfileName:
        m->profileName = t.GetAscii(e);
        break;
      case kTagProfileEmbedPolicy:
        if (t.GetUint(e, 0, &u)) m->profileEmbedPolicy = u;
        break;
      case kTagOpcodeList2:
        m->opcodeList2 = t.GetBytes(e);
        break;
      case kTagOpcodeList3:
        m->opcodeList3 = t.GetBytes(e);
        break;
      case kTagNoiseProfile:
        if (e.count >= 2) {
          m->hasNoiseProfile = true;
          t.GetDouble(e, 0, &m->noiseProfile[0]);
          t.GetDouble(e, 1, &m->noiseProfile[1]);
        }
        break;
      case kTagNewRawImageDigest:
        if (e.valueBytes == 16) {
          m->hasNewRawImageDigest = true;
          std::memcpy(m->newRawImageDigest, t.data() + e.valueOffset, 16);
        }
        break;
      case kTagDefaultUserCrop:
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
      case kTagExposureTime:
        t.GetRational(e, 0, &m->exposureTime);
        break;
      case kTagFNumber:
        t.GetRational(e, 0, &m->fNumber);
        break;
      case kTagExposureProgram:
        u16(&m->exposureProgram);
        break;
      case kTagIsoSpeedRatings:
        if (t.GetUint(e, 0, &u)) m->iso = u;
        break;
      case kTagDateTimeOriginal:
        m->dateTimeOriginal = t.GetAscii(e);
        break;
      case kTagDateTimeDigitized:
        m->dateTimeDigitized = t.GetAscii(e);
        break;
      case kTagApertureValue:
        t.GetRational(e, 0, &m->apertureValue);
        break;
      case kTagExposureBiasValue:
        t.GetSRational(e, 0, &m->exposureBias);
        break;
      case kTagMaxApertureValue:
        t.GetRational(e, 0, &m->maxApertureValue);
        break;
      case kTagMeteringMode:
        u16(&m->meteringMode);
        break;
      case kTagLightSource:
        u16(&m->lightSource);
        break;
      case kTagFlash:
        u16(&m->flash);
        break;
      case kTagFocalLength:
        t.GetRational(e, 0, &m->focalLength);
        break;
      case kTagFocalPlaneXResolution:
        t.GetRational(e, 0, &m->focalPlaneXResolution);
        break;
      case kTagFocalPlaneYResolution:
        t.GetRational(e, 0, &m->focalPlaneYResolution);
        break;
      case kTagSensingMethod:
        u16(&m->sensingMethod);
        break;
      case kTagFileSource:
        if (t.GetUint(e, 0, &u)) m->fileSource = static_cast<uint8_t>(u);
        break;
      case kTagSceneType:
        if (t.GetUint(e, 0, &u)) m->sceneType = static_cast<uint8_t>(u);
        break;
      case kTagExposureMode:
        u16(&m->exposureMode);
        break;
      case kTagWhiteBalance:
        u16(&m->whiteBalance);
        break;
      case kTagDigitalZoomRatio:
        t.GetRational(e, 0, &m->digitalZoomRatio);
        break;
      case kTagFocalLengthIn35mmFilm:
        u16(&m->focalLengthIn35mmFilm);
        break;
      case kTagSceneCaptureType:
        u16(&m->sceneCaptureType);
        break;
      case kTagGainControl:
        u16(&m->gainControl);
        break;
      case kTagContrast:
        u16(&m->contrast);
        break;
      case kTagSaturation:
        u16(&m->saturation);
        break;
      case kTagSharpness:
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
    if (subType != kSubFileFullImage) continue;
    if (compression == kCompressionVc5) {
      raw = &ifds[i];
      rawIndex = i;
      break;
    }
    if (photometric == kPhotometricCfa && otherCompression == 0)
      otherCompression = compression ? compression : kCompressionNone;
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
  const TiffEntry* cfa = raw->Find(kTagCfaPattern);
  if (!cfa || cfa->count != 4)
    return CorruptError(std::string(where) + ": CFAPattern (tag 33422) missing or not 4 values");
  if (out->metadata.cfa == CfaPattern::kOther)
    return UnsupportedError(std::string(where) +
                            ": CFAPattern (tag 33422) is neither RGGB (0,1,1,2) nor GBRG (1,2,0,1)");
  return Status::Ok();
}

}  // namespace leakproof::gpr
