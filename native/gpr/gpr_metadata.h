// The metadata of a GPR/DNG file as a plain struct: what the decoder reports and what a DNG/GPR writer preserves.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace leakproof::gpr {

struct Rational {
  uint32_t num = 0;
  uint32_t den = 0;
};

struct SRational {
  int32_t num = 0;
  int32_t den = 0;
};

// One TIFF entry kept verbatim (type, count and the value bytes in little-endian order, as in a GPR file).
// Used for tags a writer must carry through without interpreting them (GPS IFD, unknown EXIF tags).
struct RawTiffEntry {
  uint16_t tag = 0;
  uint16_t type = 0;
  uint32_t count = 0;
  std::vector<uint8_t> bytes;
};

enum class CfaPattern : uint8_t {
  kRggb = 0,  // CFAPattern 0,1,1,2 (HERO6/7/9, Fusion): decodes to 14-bit samples
  kGbrg = 1,  // CFAPattern 1,2,0,1 (HERO10+ reported): decodes to 12-bit samples
  kOther = 2,
};

struct GprMetadata {
  // --- identification (IFD0 ASCII tags; empty when absent) ---
  std::string make;                  // 271
  std::string model;                 // 272
  std::string software;              // 305
  std::string dateTime;              // 306 "YYYY:MM:DD hh:mm:ss"
  std::string imageDescription;      // 270
  std::string uniqueCameraModel;     // 50708
  std::string localizedCameraModel;  // 50709
  std::string cameraSerialNumber;    // 50735
  std::string originalRawFileName;   // 50827
  std::string profileName;           // 50936
  uint16_t orientation = 1;          // 274 (TIFF code; GoPro files say 2 = mirrored)
  uint32_t profileEmbedPolicy = 0;   // 50941

  // --- EXIF IFD (34665) ---
  bool hasExif = false;
  Rational exposureTime;                       // 33434
  Rational fNumber;                            // 33437
  uint16_t exposureProgram = 0;                // 34850
  uint32_t iso = 0;                            // 34855
  std::string dateTimeOriginal;                // 36867
  std::string dateTimeDigitized;               // 36868
  Rational apertureValue;                      // 37378
  SRational exposureBias;                      // 37380
  Rational maxApertureValue;                   // 37381
  uint16_t meteringMode = 0;                   // 37383
  uint16_t lightSource = 0;                    // 37384
  uint16_t flash = 0;                          // 37385
  Rational focalLength;                        // 37386
  Rational focalPlaneXResolution;              // 41486
  Rational focalPlaneYResolution;              // 41487
  uint16_t sensingMethod = 0;                  // 41495
  uint8_t fileSource = 0;                      // 41728
  uint8_t sceneType = 0;                       // 41729
  uint16_t exposureMode = 0;                   // 41986
  uint16_t whiteBalance = 0;                   // 41987
  Rational digitalZoomRatio;                   // 41988
  uint16_t focalLengthIn35mmFilm = 0;          // 41989
  uint16_t sceneCaptureType = 0;               // 41990
  uint16_t gainControl = 0;                    // 41991
  uint16_t contrast = 0;                       // 41992
  uint16_t saturation = 0;                     // 41993
  uint16_t sharpness = 0;                      // 41994
  std::vector<RawTiffEntry> otherExifEntries;  // EXIF tags not listed above, verbatim

  // --- GPS IFD (34853), verbatim ---
  bool hasGps = false;
  std::vector<RawTiffEntry> gpsEntries;

  // --- raw image / CFA (raw IFD) ---
  CfaPattern cfa = CfaPattern::kRggb;
  uint8_t cfaPatternBytes[4] = {0, 1, 1, 2};  // 33422 as stored
  uint16_t cfaRepeatPatternDim[2] = {2, 2};   // 33421
  uint16_t blackLevelRepeatDim[2] = {2, 2};   // 50713
  std::vector<Rational> blackLevel;           // 50714 as stored (4 or 1 values, usually x/256)
  uint32_t whiteLevel = 0;                    // 50717 (0 when absent)
  Rational defaultScale[2];                   // 50718
  Rational defaultCropOrigin[2];              // 50719
  Rational defaultCropSize[2];                // 50720
  uint32_t activeArea[4] = {0, 0, 0, 0};      // 50829 top, left, bottom, right
  bool hasActiveArea = false;
  Rational defaultUserCrop[4];  // 51125
  bool hasDefaultUserCrop = false;
  uint32_t bayerGreenSplit = 0;  // 50733
  Rational antiAliasStrength;    // 50738
  Rational bestQualityScale;     // 50780

  // --- DNG colour (shared metadata) ---
  uint8_t dngVersion[4] = {1, 3, 0, 0};          // 50706
  uint8_t dngBackwardVersion[4] = {1, 1, 0, 0};  // 50707
  bool hasColorMatrix1 = false;
  bool hasColorMatrix2 = false;
  SRational colorMatrix1[9];            // 50721
  SRational colorMatrix2[9];            // 50722
  uint16_t calibrationIlluminant1 = 0;  // 50778
  uint16_t calibrationIlluminant2 = 0;  // 50779
  bool hasAsShotNeutral = false;
  Rational asShotNeutral[3];  // 50728 (1 / white-balance gain)
  bool hasAnalogBalance = false;
  Rational analogBalance[3];     // 50727
  SRational baselineExposure;    // 50730
  Rational baselineNoise;        // 50731
  Rational baselineSharpness;    // 50732
  Rational linearResponseLimit;  // 50734
  Rational shadowScale;          // 50739
  bool hasNoiseProfile = false;
  double noiseProfile[2] = {0, 0};     // 51041 scale, offset
  uint8_t newRawImageDigest[16] = {};  // 51111
  bool hasNewRawImageDigest = false;

  // --- opaque blocks, passed through by writers ---
  std::vector<uint8_t> xmp;             // 700
  std::vector<uint8_t> opcodeList2;     // 51009 (GainMap opcodes, big-endian DNG opcode list)
  std::vector<uint8_t> opcodeList3;     // 51022 (WarpRectilinear)
  std::vector<uint8_t> dngPrivateData;  // 50740 whole block as stored
  std::vector<uint8_t> gpmf;            // 50740 minus the "GoPro\n" prefix (empty when absent or not GoPro)
};

}  // namespace leakproof::gpr
