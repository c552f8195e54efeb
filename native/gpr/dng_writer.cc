// GPR/DNG writer: which tags go to the raw IFD and which are shared, EXIF and GPS IFDs, GPMF private data.
#include "gpr/dng_writer.h"

#include <string>

#include "gpr/gpr_limits.h"
#include "gpr/tiff_tags.h"
#include "gpr/tiff_writer.h"

namespace leakproof::gpr {
namespace {

constexpr uint8_t kGoProPrefix[6] = {'G', 'o', 'P', 'r', 'o', '\n'};

bool Valid(const Rational& r) { return r.den != 0; }
bool Valid(const SRational& r) { return r.den != 0; }

Rational R(uint32_t n, uint32_t d) { return Rational{n, d}; }

void WriteExif(const GprMetadata& md, TiffIfdBuilder& exif) {
  if (Valid(md.exposureTime)) exif.AddRationals(kTagExposureTime, {md.exposureTime});
  if (Valid(md.fNumber)) exif.AddRationals(kTagFNumber, {md.fNumber});
  exif.AddShort(kTagExposureProgram, md.exposureProgram);
  if (md.iso <= 0xFFFF) {
    exif.AddShort(kTagIsoSpeedRatings, static_cast<uint16_t>(md.iso));
  } else {
    exif.AddLong(kTagIsoSpeedRatings, md.iso);
  }
  if (!md.dateTimeOriginal.empty()) exif.AddAscii(kTagDateTimeOriginal, md.dateTimeOriginal);
  if (!md.dateTimeDigitized.empty()) exif.AddAscii(kTagDateTimeDigitized, md.dateTimeDigitized);
  if (Valid(md.apertureValue)) exif.AddRationals(kTagApertureValue, {md.apertureValue});
  if (Valid(md.exposureBias)) exif.AddSRationals(kTagExposureBiasValue, {md.exposureBias});
  if (Valid(md.maxApertureValue)) exif.AddRationals(kTagMaxApertureValue, {md.maxApertureValue});
  exif.AddShort(kTagMeteringMode, md.meteringMode);
  exif.AddShort(kTagLightSource, md.lightSource);
  exif.AddShort(kTagFlash, md.flash);
  if (Valid(md.focalLength)) exif.AddRationals(kTagFocalLength, {md.focalLength});
  if (Valid(md.focalPlaneXResolution)) exif.AddRationals(kTagFocalPlaneXResolution, {md.focalPlaneXResolution});
  if (Valid(md.focalPlaneYResolution)) exif.AddRationals(kTagFocalPlaneYResolution, {md.focalPlaneYResolution});
  if (md.sensingMethod) exif.AddShort(kTagSensingMethod, md.sensingMethod);
  if (md.fileSource) exif.AddUndefined(kTagFileSource, {md.fileSource});
  if (md.sceneType) exif.AddUndefined(kTagSceneType, {md.sceneType});
  exif.AddShort(kTagExposureMode, md.exposureMode);
  exif.AddShort(kTagWhiteBalance, md.whiteBalance);
  if (Valid(md.digitalZoomRatio)) exif.AddRationals(kTagDigitalZoomRatio, {md.digitalZoomRatio});
  exif.AddShort(kTagFocalLengthIn35mmFilm, md.focalLengthIn35mmFilm);
  exif.AddShort(kTagSceneCaptureType, md.sceneCaptureType);
  exif.AddShort(kTagGainControl, md.gainControl);
  exif.AddShort(kTagContrast, md.contrast);
  exif.AddShort(kTagSaturation, md.saturation);
  exif.AddShort(kTagSharpness, md.sharpness);
  // Tags we do not model are carried verbatim, but never ones that would point into the old file.
  for (const RawTiffEntry& e : md.otherExifEntries) {
    if (e.tag == kTagInteroperabilityIfd || exif.Has(e.tag)) continue;
    exif.AddRaw(e);
  }
}

// Tags that describe the stored raw image (marked R in doc 1.2).
void WriteRawImageTags(const GprMetadata& md, const DngRawImage& img, size_t blob, TiffIfdBuilder& ifd) {
  ifd.AddLong(kTagNewSubFileType, kSubFileFullImage);
  ifd.AddLong(kTagImageWidth, img.width);
  ifd.AddLong(kTagImageLength, img.height);
  ifd.AddShort(kTagBitsPerSample, 16);
  ifd.AddShort(kTagCompression, img.storage == RawStorage::kVc5 ? kCompressionVc5 : kCompressionNone);
  ifd.AddShort(kTagPhotometric, kPhotometricCfa);
  ifd.AddShort(kTagSamplesPerPixel, 1);
  ifd.AddShort(kTagPlanarConfiguration, 1);
  if (img.storage == RawStorage::kVc5) {
    ifd.AddLong(kTagTileWidth, img.width);
    ifd.AddLong(kTagTileLength, img.height);
    ifd.AddBlobPointer(kTagTileOffsets, kTagTileByteCounts, blob);
  } else {
    ifd.AddBlobPointer(kTagStripOffsets, kTagStripByteCounts, blob);
    ifd.AddLong(kTagRowsPerStrip, img.height);
  }
  ifd.AddShorts(kTagCfaRepeatPatternDim, {md.cfaRepeatPatternDim[0], md.cfaRepeatPatternDim[1]});
  ifd.AddByte(kTagCfaPattern,
              {md.cfaPatternBytes[0], md.cfaPatternBytes[1], md.cfaPatternBytes[2], md.cfaPatternBytes[3]});
  ifd.AddByte(kTagCfaPlaneColor, {0, 1, 2});
  ifd.AddShort(kTagCfaLayout, 1);
  std::vector<Rational> black = md.blackLevel;
  uint16_t bdim[2] = {md.blackLevelRepeatDim[0], md.blackLevelRepeatDim[1]};
  if (black.empty() || black.size() != static_cast<size_t>(bdim[0]) * bdim[1]) {
    if (black.size() == 4) {
      bdim[0] = bdim[1] = 2;
    } else if (black.size() == 1) {
      bdim[0] = bdim[1] = 1;
    } else {
      black.assign(4, R(0, 256));
      bdim[0] = bdim[1] = 2;
    }
  }
  ifd.AddShorts(kTagBlackLevelRepeatDim, {bdim[0], bdim[1]});
  ifd.AddRationals(kTagBlackLevel, black);
  if (md.whiteLevel > 0xFFFF) {
    ifd.AddLong(kTagWhiteLevel, md.whiteLevel);
  } else {
    ifd.AddShort(kTagWhiteLevel, static_cast<uint16_t>(md.whiteLevel ? md.whiteLevel : 16383));
  }
  const bool scale_ok = Valid(md.defaultScale[0]) && Valid(md.defaultScale[1]);
  ifd.AddRationals(kTagDefaultScale, scale_ok ? std::vector<Rational>{md.defaultScale[0], md.defaultScale[1]}
                                              : std::vector<Rational>{R(1, 1), R(1, 1)});
  // Crop values are kept only when they still fit the image (a RAW input may have another size).
  auto val = [](const Rational& r) { return r.den ? static_cast<double>(r.num) / r.den : -1.0; };
  const bool crop_ok = Valid(md.defaultCropOrigin[0]) && Valid(md.defaultCropOrigin[1]) &&
                       Valid(md.defaultCropSize[0]) && Valid(md.defaultCropSize[1]) &&
                       val(md.defaultCropOrigin[0]) + val(md.defaultCropSize[0]) <= img.width &&
                       val(md.defaultCropOrigin[1]) + val(md.defaultCropSize[1]) <= img.height &&
                       val(md.defaultCropSize[0]) > 0 && val(md.defaultCropSize[1]) > 0;
  if (crop_ok) {
    ifd.AddRationals(kTagDefaultCropOrigin, {md.defaultCropOrigin[0], md.defaultCropOrigin[1]});
    ifd.AddRationals(kTagDefaultCropSize, {md.defaultCropSize[0], md.defaultCropSize[1]});
  } else {
    ifd.AddRationals(kTagDefaultCropOrigin, {R(0, 1), R(0, 1)});
    ifd.AddRationals(kTagDefaultCropSize, {R(img.width, 1), R(img.height, 1)});
  }
  ifd.AddLong(kTagBayerGreenSplit, md.bayerGreenSplit);
  if (Valid(md.antiAliasStrength)) ifd.AddRationals(kTagAntiAliasStrength, {md.antiAliasStrength});
  if (Valid(md.bestQualityScale)) ifd.AddRationals(kTagBestQualityScale, {md.bestQualityScale});
  if (md.hasActiveArea && md.activeArea[2] <= img.height && md.activeArea[3] <= img.width &&
      md.activeArea[0] < md.activeArea[2] && md.activeArea[1] < md.activeArea[3]) {
    ifd.AddLongs(kTagActiveArea, {md.activeArea[0], md.activeArea[1], md.activeArea[2], md.activeArea[3]});
  }
  if (!md.opcodeList2.empty()) ifd.AddUndefined(kTagOpcodeList2, md.opcodeList2);
  if (!md.opcodeList3.empty()) ifd.AddUndefined(kTagOpcodeList3, md.opcodeList3);
  if (md.hasDefaultUserCrop) {
    ifd.AddRationals(kTagDefaultUserCrop,
                     {md.defaultUserCrop[0], md.defaultUserCrop[1], md.defaultUserCrop[2], md.defaultUserCrop[3]});
  }
}

// Tags shared by the whole file (IFD0 in both layouts).
void WriteSharedTags(const GprMetadata& md, TiffWriter& w, TiffIfdBuilder& ifd0) {
  const std::string make = md.make.empty() ? "GoPro" : md.make;
  const std::string model = md.model.empty() ? "HERO6 Black" : md.model;
  if (!md.imageDescription.empty()) ifd0.AddAscii(kTagImageDescription, md.imageDescription);
  ifd0.AddAscii(kTagMake, make);
  ifd0.AddAscii(kTagModel, model);
  ifd0.AddShort(kTagOrientation, md.orientation >= 1 && md.orientation <= 8 ? md.orientation : 1);
  if (!md.software.empty()) ifd0.AddAscii(kTagSoftware, md.software);
  if (!md.dateTime.empty()) ifd0.AddAscii(kTagDateTime, md.dateTime);
  if (!md.xmp.empty()) ifd0.AddByte(kTagXmp, md.xmp);
  ifd0.AddByte(kTagDngVersion, {md.dngVersion[0], md.dngVersion[1], md.dngVersion[2], md.dngVersion[3]});
  ifd0.AddByte(kTagDngBackwardVersion, {md.dngBackwardVersion[0], md.dngBackwardVersion[1], md.dngBackwardVersion[2],
                                        md.dngBackwardVersion[3]});
  ifd0.AddAscii(kTagUniqueCameraModel, md.uniqueCameraModel.empty() ? make + " " + model : md.uniqueCameraModel);
  if (!md.localizedCameraModel.empty()) ifd0.AddAscii(kTagLocalizedCameraModel, md.localizedCameraModel);
  if (md.hasColorMatrix1)
    ifd0.AddSRationals(kTagColorMatrix1, std::vector<SRational>(md.colorMatrix1, md.colorMatrix1 + 9));
  if (md.hasColorMatrix2)
    ifd0.AddSRationals(kTagColorMatrix2, std::vector<SRational>(md.colorMatrix2, md.colorMatrix2 + 9));
  if (md.hasAnalogBalance)
    ifd0.AddRationals(kTagAnalogBalance, std::vector<Rational>(md.analogBalance, md.analogBalance + 3));
  if (md.hasAsShotNeutral)
    ifd0.AddRationals(kTagAsShotNeutral, std::vector<Rational>(md.asShotNeutral, md.asShotNeutral + 3));
  if (Valid(md.baselineExposure)) ifd0.AddSRationals(kTagBaselineExposure, {md.baselineExposure});
  if (Valid(md.baselineNoise)) ifd0.AddRationals(kTagBaselineNoise, {md.baselineNoise});
  if (Valid(md.baselineSharpness)) ifd0.AddRationals(kTagBaselineSharpness, {md.baselineSharpness});
  if (Valid(md.linearResponseLimit)) ifd0.AddRationals(kTagLinearResponseLimit, {md.linearResponseLimit});
  if (!md.cameraSerialNumber.empty()) ifd0.AddAscii(kTagCameraSerialNumber, md.cameraSerialNumber);
  if (Valid(md.shadowScale)) ifd0.AddRationals(kTagShadowScale, {md.shadowScale});
  // GPMF goes back with exactly one "GoPro\n" prefix (the reference doubles it, doc 1.6).
  if (!md.gpmf.empty()) {
    std::vector<uint8_t> priv(kGoProPrefix, kGoProPrefix + 6);
    priv.insert(priv.end(), md.gpmf.begin(), md.gpmf.end());
    ifd0.AddByte(kTagDngPrivateData, priv);
  } else if (!md.dngPrivateData.empty()) {
    ifd0.AddByte(kTagDngPrivateData, md.dngPrivateData);
  }
  if (md.calibrationIlluminant1) ifd0.AddShort(kTagCalibrationIlluminant1, md.calibrationIlluminant1);
  if (md.calibrationIlluminant2) ifd0.AddShort(kTagCalibrationIlluminant2, md.calibrationIlluminant2);
  if (!md.originalRawFileName.empty()) ifd0.AddAscii(kTagOriginalRawFileName, md.originalRawFileName);
  if (!md.profileName.empty()) {
    ifd0.AddAscii(kTagProfileName, md.profileName);
    ifd0.AddLong(kTagProfileEmbedPolicy, md.profileEmbedPolicy);
  }
  if (md.hasNoiseProfile) ifd0.AddDoubles(kTagNoiseProfile, {md.noiseProfile[0], md.noiseProfile[1]});
  if (md.hasExif) {
    const size_t exif = w.NewIfd();
    WriteExif(md, w.ifd(exif));
    w.ifd(0).AddIfdPointer(kTagExifIfd, exif);
  }
  if (md.hasGps && !md.gpsEntries.empty()) {
    const size_t gps = w.NewIfd();
    for (const RawTiffEntry& e : md.gpsEntries) w.ifd(gps).AddRaw(e);
    w.ifd(0).AddIfdPointer(kTagGpsIfd, gps);
  }
}

}  // namespace

GprMetadata DefaultGprMetadata(int bitDepth) {
  GprMetadata md;
  md.make = "GoPro";
  md.model = "HERO6 Black";
  md.uniqueCameraModel = "GoPro HERO6 Black";
  md.software = "leakproof";
  md.orientation = 1;
  md.hasExif = true;
  md.exposureTime = R(1, 60);
  md.fNumber = R(2800, 1000);
  md.apertureValue = R(2970, 1000);
  md.iso = 232;
  md.flash = 32;
  md.focalLength = R(3, 1);
  md.focalPlaneXResolution = R(72, 1);
  md.focalPlaneYResolution = R(72, 1);
  md.sensingMethod = 2;
  md.fileSource = 3;
  md.sceneType = 1;
  md.digitalZoomRatio = R(1, 1);
  md.focalLengthIn35mmFilm = 15;
  md.exposureBias = SRational{0, 1};
  md.blackLevel.assign(4, R(0, 256));
  md.whiteLevel = bitDepth == 14 ? 16383 : 4095;
  md.defaultScale[0] = md.defaultScale[1] = R(1, 1);
  // HERO6 colour calibration (the reference's defaults, doc 1.5), tungsten and D50.
  const int32_t cm1[9] = {18331, -8166, -2478, 1391, 8961, -367, 822, 662, 2597};
  const int32_t cm2[9] = {10344, -4210, -620, -2315, 10625, 1948, 93, 1058, 5541};
  md.hasColorMatrix1 = md.hasColorMatrix2 = true;
  for (int i = 0; i < 9; ++i) {
    md.colorMatrix1[i] = SRational{cm1[i], 10000};
    md.colorMatrix2[i] = SRational{cm2[i], 10000};
  }
  md.calibrationIlluminant1 = 3;
  md.calibrationIlluminant2 = 23;
  // AsShotNeutral = 1 / the default white-balance gains R 6273/4096, G 1, B 8371/4096.
  md.hasAsShotNeutral = true;
  md.asShotNeutral[0] = R(652973, 1000000);
  md.asShotNeutral[1] = R(1000000, 1000000);
  md.asShotNeutral[2] = R(489308, 1000000);
  md.hasAnalogBalance = true;
  for (auto& a : md.analogBalance) a = R(1000000, 1000000);
  md.baselineExposure = SRational{0, 100};
  md.baselineNoise = R(100, 100);
  md.baselineSharpness = R(100, 100);
  md.linearResponseLimit = R(100, 100);
  md.shadowScale = R(1, 1);
  md.antiAliasStrength = R(100, 100);
  md.bestQualityScale = R(1, 1);
  return md;
}

Status WriteDng(const GprMetadata& md, const DngRawImage& img, std::vector<uint8_t>* out) {
  if (img.data == nullptr) return ArgumentError("no raw image to write");
  return WriteDng(md, img, out, nullptr);
}

Status WriteDng(const GprMetadata& md, const DngRawImage& img, std::vector<uint8_t>* out, size_t* raw_offset) {
  if (img.width == 0 || img.height == 0 || (img.data == nullptr && raw_offset == nullptr)) {
    return ArgumentError("no raw image to write");
  }
  if (img.storage == RawStorage::kUncompressed16 && img.size != static_cast<size_t>(img.width) * img.height * 2) {
    return ArgumentError("uncompressed raw image has " + std::to_string(img.size) + " bytes, expected " +
                         std::to_string(static_cast<size_t>(img.width) * img.height * 2));
  }
  if (img.storage == RawStorage::kVc5 && (img.size == 0 || img.size % 4 != 0 || img.size > kMaxVc5PayloadBytes)) {
    return ArgumentError("VC-5 payload size " + std::to_string(img.size) + " is not a valid tile size");
  }
  TiffWriter w;
  const size_t ifd0 = w.NewIfd();
  const bool preview = img.previewJpeg != nullptr && img.previewSize > 0;
  size_t preview_blob = 0;
  if (preview) preview_blob = w.AddBlob(img.previewJpeg, img.previewSize);
  const size_t raw_blob = w.AddBlob(img.data, img.size);
  if (preview) {
    const size_t raw_ifd = w.NewIfd();
    TiffIfdBuilder& p = w.ifd(ifd0);
    p.AddLong(kTagNewSubFileType, kSubFileReducedImage);
    p.AddLong(kTagImageWidth, img.previewWidth);
    p.AddLong(kTagImageLength, img.previewHeight);
    p.AddShorts(kTagBitsPerSample, {8, 8, 8});
    p.AddShort(kTagCompression, kCompressionJpeg);
    p.AddShort(kTagPhotometric, kPhotometricYCbCr);
    p.AddBlobPointer(kTagStripOffsets, kTagStripByteCounts, preview_blob);
    p.AddShort(kTagSamplesPerPixel, 3);
    p.AddLong(kTagRowsPerStrip, img.previewHeight);
    p.AddShort(kTagPlanarConfiguration, 1);
    p.AddRationals(kTagYCbCrCoefficients, {R(299, 1000), R(587, 1000), R(114, 1000)});
    p.AddShorts(kTagYCbCrSubSampling, {1, 1});
    p.AddShort(kTagYCbCrPositioning, 2);
    p.AddRationals(kTagReferenceBlackWhite, {R(0, 1), R(255, 1), R(128, 1), R(255, 1), R(128, 1), R(255, 1)});
    p.AddIfdPointer(kTagSubIfds, raw_ifd);
    WriteRawImageTags(md, img, raw_blob, w.ifd(raw_ifd));
  } else {
    WriteRawImageTags(md, img, raw_blob, w.ifd(ifd0));
  }
  WriteSharedTags(md, w, w.ifd(ifd0));
  std::vector<uint64_t> offsets;
  GPR_RETURN_IF_ERROR(w.Write(out, &offsets));
  if (raw_offset) *raw_offset = static_cast<size_t>(offsets[raw_blob]);
  return Status::Ok();
}

}  // namespace leakproof::gpr
