// TIFF, EXIF and DNG tag numbers, field types and the few tag values the codec tests: one name per number, shared by
// the reader (tiff_reader.cc, convert.cc) and the writers (dng_writer.cc, tiff_writer.cc).
#pragma once
#include <cstdint>

namespace leakproof::gpr {

// Field types (TIFF 6.0 section 2, plus IFD from TIFF Technical Note 1).
enum TiffType : uint16_t {
  kTiffByte = 1,
  kTiffAscii = 2,
  kTiffShort = 3,
  kTiffLong = 4,
  kTiffRational = 5,
  kTiffSByte = 6,
  kTiffUndefined = 7,
  kTiffSShort = 8,
  kTiffSLong = 9,
  kTiffSRational = 10,
  kTiffFloat = 11,
  kTiffDouble = 12,
  kTiffIfd = 13,
};

// Byte size of one value of a field type; 0 for unknown types (readers skip such entries).
constexpr uint32_t TiffTypeSize(uint16_t type) {
  switch (type) {
    case kTiffByte:
    case kTiffAscii:
    case kTiffSByte:
    case kTiffUndefined:
      return 1;
    case kTiffShort:
    case kTiffSShort:
      return 2;
    case kTiffLong:
    case kTiffSLong:
    case kTiffFloat:
    case kTiffIfd:
      return 4;
    case kTiffRational:
    case kTiffSRational:
    case kTiffDouble:
      return 8;
    default:
      return 0;
  }
}

// --- Baseline and extended TIFF (IFD0, raw and preview IFDs) ---
constexpr uint16_t kTagNewSubFileType = 254;
constexpr uint16_t kTagImageWidth = 256;
constexpr uint16_t kTagImageLength = 257;
constexpr uint16_t kTagBitsPerSample = 258;
constexpr uint16_t kTagCompression = 259;
constexpr uint16_t kTagPhotometric = 262;  // PhotometricInterpretation
constexpr uint16_t kTagImageDescription = 270;
constexpr uint16_t kTagMake = 271;
constexpr uint16_t kTagModel = 272;
constexpr uint16_t kTagStripOffsets = 273;
constexpr uint16_t kTagOrientation = 274;
constexpr uint16_t kTagSamplesPerPixel = 277;
constexpr uint16_t kTagRowsPerStrip = 278;
constexpr uint16_t kTagStripByteCounts = 279;
constexpr uint16_t kTagPlanarConfiguration = 284;
constexpr uint16_t kTagSoftware = 305;
constexpr uint16_t kTagDateTime = 306;
constexpr uint16_t kTagTileWidth = 322;
constexpr uint16_t kTagTileLength = 323;
constexpr uint16_t kTagTileOffsets = 324;
constexpr uint16_t kTagTileByteCounts = 325;
constexpr uint16_t kTagSubIfds = 330;
constexpr uint16_t kTagYCbCrCoefficients = 529;
constexpr uint16_t kTagYCbCrSubSampling = 530;
constexpr uint16_t kTagYCbCrPositioning = 531;
constexpr uint16_t kTagReferenceBlackWhite = 532;
constexpr uint16_t kTagXmp = 700;  // XMLPacket
constexpr uint16_t kTagCfaRepeatPatternDim = 33421;
constexpr uint16_t kTagCfaPattern = 33422;
constexpr uint16_t kTagExifIfd = 34665;
constexpr uint16_t kTagGpsIfd = 34853;  // GPSInfo

// --- EXIF IFD ---
constexpr uint16_t kTagExposureTime = 33434;
constexpr uint16_t kTagFNumber = 33437;
constexpr uint16_t kTagExposureProgram = 34850;
constexpr uint16_t kTagIsoSpeedRatings = 34855;  // PhotographicSensitivity in EXIF 2.3
constexpr uint16_t kTagDateTimeOriginal = 36867;
constexpr uint16_t kTagDateTimeDigitized = 36868;
constexpr uint16_t kTagApertureValue = 37378;
constexpr uint16_t kTagExposureBiasValue = 37380;
constexpr uint16_t kTagMaxApertureValue = 37381;
constexpr uint16_t kTagMeteringMode = 37383;
constexpr uint16_t kTagLightSource = 37384;
constexpr uint16_t kTagFlash = 37385;
constexpr uint16_t kTagFocalLength = 37386;
constexpr uint16_t kTagInteroperabilityIfd = 40965;
constexpr uint16_t kTagFocalPlaneXResolution = 41486;
constexpr uint16_t kTagFocalPlaneYResolution = 41487;
constexpr uint16_t kTagSensingMethod = 41495;
constexpr uint16_t kTagFileSource = 41728;
constexpr uint16_t kTagSceneType = 41729;
constexpr uint16_t kTagExposureMode = 41986;
constexpr uint16_t kTagWhiteBalance = 41987;
constexpr uint16_t kTagDigitalZoomRatio = 41988;
constexpr uint16_t kTagFocalLengthIn35mmFilm = 41989;
constexpr uint16_t kTagSceneCaptureType = 41990;
constexpr uint16_t kTagGainControl = 41991;
constexpr uint16_t kTagContrast = 41992;
constexpr uint16_t kTagSaturation = 41993;
constexpr uint16_t kTagSharpness = 41994;

// --- DNG ---
constexpr uint16_t kTagDngVersion = 50706;
constexpr uint16_t kTagDngBackwardVersion = 50707;
constexpr uint16_t kTagUniqueCameraModel = 50708;
constexpr uint16_t kTagLocalizedCameraModel = 50709;
constexpr uint16_t kTagCfaPlaneColor = 50710;
constexpr uint16_t kTagCfaLayout = 50711;
constexpr uint16_t kTagBlackLevelRepeatDim = 50713;
constexpr uint16_t kTagBlackLevel = 50714;
constexpr uint16_t kTagWhiteLevel = 50717;
constexpr uint16_t kTagDefaultScale = 50718;
constexpr uint16_t kTagDefaultCropOrigin = 50719;
constexpr uint16_t kTagDefaultCropSize = 50720;
constexpr uint16_t kTagColorMatrix1 = 50721;
constexpr uint16_t kTagColorMatrix2 = 50722;
constexpr uint16_t kTagAnalogBalance = 50727;
constexpr uint16_t kTagAsShotNeutral = 50728;
constexpr uint16_t kTagBaselineExposure = 50730;
constexpr uint16_t kTagBaselineNoise = 50731;
constexpr uint16_t kTagBaselineSharpness = 50732;
constexpr uint16_t kTagBayerGreenSplit = 50733;
constexpr uint16_t kTagLinearResponseLimit = 50734;
constexpr uint16_t kTagCameraSerialNumber = 50735;
constexpr uint16_t kTagAntiAliasStrength = 50738;
constexpr uint16_t kTagShadowScale = 50739;
constexpr uint16_t kTagDngPrivateData = 50740;
constexpr uint16_t kTagCalibrationIlluminant1 = 50778;
constexpr uint16_t kTagCalibrationIlluminant2 = 50779;
constexpr uint16_t kTagBestQualityScale = 50780;
constexpr uint16_t kTagOriginalRawFileName = 50827;
constexpr uint16_t kTagActiveArea = 50829;
constexpr uint16_t kTagProfileName = 50936;
constexpr uint16_t kTagProfileEmbedPolicy = 50941;
constexpr uint16_t kTagOpcodeList2 = 51009;
constexpr uint16_t kTagOpcodeList3 = 51022;
constexpr uint16_t kTagNoiseProfile = 51041;
constexpr uint16_t kTagNewRawImageDigest = 51111;
constexpr uint16_t kTagDefaultUserCrop = 51125;

// --- Tag values the codec reads or writes ---
constexpr uint32_t kSubFileFullImage = 0;     // NewSubFileType: the main image
constexpr uint32_t kSubFileReducedImage = 1;  // NewSubFileType: a preview
constexpr uint16_t kCompressionNone = 1;
constexpr uint16_t kCompressionJpeg = 7;
constexpr uint16_t kCompressionVc5 = 9;  // GoPro's VC-5 (what makes a DNG a GPR)
constexpr uint16_t kPhotometricYCbCr = 6;
constexpr uint16_t kPhotometricCfa = 32803;

}  // namespace leakproof::gpr
