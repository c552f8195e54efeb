// TIFF/DNG container parser for GPR files: IFD0 chain, SubIFDs, EXIF and GPS IFDs, every offset bounds-checked;
// locates the VC-5 raw image in either layout (raw IFD0 as cameras write, or raw SubIFD after a JPEG preview IFD0).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "gpr/gpr_metadata.h"
#include "gpr/gpr_status.h"

namespace leakproof::gpr {

// One IFD entry; its value bytes are valid and lie inside the input (checked when the IFD was parsed).
struct TiffEntry {
  uint16_t tag = 0;
  uint16_t type = 0;
  uint32_t count = 0;
  uint32_t valueOffset = 0;  // absolute offset of the value bytes (inside the entry itself when they fit in 4 bytes)
  uint32_t valueBytes = 0;   // count * size of type (0 for unknown types, which are ignored)
};

struct TiffIfd {
  uint32_t offset = 0;
  std::vector<TiffEntry> entries;
  const TiffEntry* Find(uint16_t tag) const;
};

// A parsed TIFF: the input (not owned) and its IFDs.
class TiffFile {
 public:
  // Parses header, IFD0 and its chain, SubIFDs (one level), EXIF and GPS IFDs. `data` must outlive the object.
  static Status Parse(const uint8_t* data, size_t size, TiffFile* out);

  bool bigEndian() const { return bigEndian_; }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  // IFD0 chain first (index 0 = IFD0), then SubIFDs; EXIF/GPS kept apart.
  const std::vector<TiffIfd>& imageIfds() const { return imageIfds_; }
  const TiffIfd* exifIfd() const { return hasExif_ ? &exif_ : nullptr; }
  const TiffIfd* gpsIfd() const { return hasGps_ ? &gps_ : nullptr; }

  // Typed value access (false when the entry's type does not fit the request).
  bool GetUint(const TiffEntry& e, uint32_t index, uint32_t* out) const;  // BYTE, SHORT, LONG
  bool GetRational(const TiffEntry& e, uint32_t index, Rational* out) const;
  bool GetSRational(const TiffEntry& e, uint32_t index, SRational* out) const;
  bool GetDouble(const TiffEntry& e, uint32_t index, double* out) const;  // DOUBLE, FLOAT, RATIONAL, SRATIONAL
  std::string GetAscii(const TiffEntry& e) const;
  std::vector<uint8_t> GetBytes(const TiffEntry& e) const;
  uint16_t U16(size_t off) const;
  uint32_t U32(size_t off) const;

 private:
  Status ParseIfd(uint32_t offset, const char* what, TiffIfd* out, uint32_t* next);

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  bool bigEndian_ = false;
  std::vector<TiffIfd> imageIfds_;
  TiffIfd exif_;
  TiffIfd gps_;
  bool hasExif_ = false;
  bool hasGps_ = false;
  uint32_t ifdsVisited_ = 0;
  std::vector<uint32_t> visitedOffsets_;
};

enum class GprLayout { kIfd0 = 0, kSubIfd = 1 };

// The VC-5 raw image of a GPR file, located and validated.
struct GprContainer {
  GprLayout layout = GprLayout::kIfd0;
  uint32_t width = 0;
  uint32_t height = 0;
  uint32_t tileOffset = 0;  // VC-5 payload position in the input
  uint32_t tileBytes = 0;
  GprMetadata metadata;
};

// Parses a GPR file's container: FORMAT when it is not a TIFF with a VC-5 raw image, TRUNCATED/CORRUPT/LIMIT/
// UNSUPPORTED for damage, as documented in the README.
Status ParseGprContainer(const uint8_t* data, size_t size, GprContainer* out);

// Fills `meta` from IFD0 (shared DNG tags), the raw IFD (CFA, levels) and the EXIF/GPS IFDs.
void ReadGprMetadata(const TiffFile& tiff, const TiffIfd& rawIfd, GprMetadata* meta);

}  // namespace leakproof::gpr
