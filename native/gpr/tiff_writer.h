// Little-endian classic TIFF writer: IFDs with sorted entries, out-of-line values, IFD links and image blobs.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "gpr/gpr_metadata.h"
#include "gpr/gpr_status.h"
#include "gpr/tiff_tags.h"

namespace leakproof::gpr {

class TiffWriter;

// One IFD under construction. Entries may be added in any order; they are sorted by tag when written.
// Not named TiffIfd: tiff_reader.h has a TiffIfd in this namespace, and two classes with one name break the ODR
// (the linker merged their std::vector instantiations; fuzz_tiff hit the heap overflow, native/fuzz/regressions/tiff/).
class TiffIfdBuilder {
 public:
  void AddBytes(uint16_t tag, uint16_t type, const uint8_t* data, size_t count);
  void AddByte(uint16_t tag, const std::vector<uint8_t>& v) { AddBytes(tag, kTiffByte, v.data(), v.size()); }
  void AddUndefined(uint16_t tag, const std::vector<uint8_t>& v) { AddBytes(tag, kTiffUndefined, v.data(), v.size()); }
  void AddAscii(uint16_t tag, const std::string& s);  // NUL-terminated
  void AddShorts(uint16_t tag, const std::vector<uint16_t>& v);
  void AddShort(uint16_t tag, uint16_t v) { AddShorts(tag, {v}); }
  void AddLongs(uint16_t tag, const std::vector<uint32_t>& v);
  void AddLong(uint16_t tag, uint32_t v) { AddLongs(tag, {v}); }
  void AddRationals(uint16_t tag, const std::vector<Rational>& v);
  void AddSRationals(uint16_t tag, const std::vector<SRational>& v);
  void AddDoubles(uint16_t tag, const std::vector<double>& v);
  void AddRaw(const RawTiffEntry& e);
  // LONG entry whose value is the file offset of IFD `ifd_index` (SubIFDs, ExifIFD, GPSInfo).
  void AddIfdPointer(uint16_t tag, size_t ifd_index);
  // LONG offset + LONG byte count entries for blob `blob_index` (StripOffsets/StripByteCounts, Tile...).
  void AddBlobPointer(uint16_t offset_tag, uint16_t count_tag, size_t blob_index);
  bool Has(uint16_t tag) const;

 private:
  friend class TiffWriter;
  struct Entry {
    uint16_t tag;
    uint16_t type;
    uint32_t count;
    std::vector<uint8_t> bytes;
    int ifd_ref = -1;        // value = offset of that IFD
    int blob_ref = -1;       // value = offset of that blob
    int blob_size_ref = -1;  // value = size of that blob
  };
  void Put(Entry e);
  std::vector<Entry> entries_;
};

// Builds a file: IFD 0 is the first IFD; other IFDs are reached through pointer entries. Layout: header,
// each IFD followed by its out-of-line values (in IFD order), then the blobs in order (4-byte aligned).
class TiffWriter {
 public:
  size_t NewIfd() {
    ifds_.emplace_back();
    return ifds_.size() - 1;
  }
  TiffIfdBuilder& ifd(size_t i) { return ifds_[i]; }
  // data == nullptr reserves `size` zero bytes, to be filled in place after Write (see blob_offsets).
  size_t AddBlob(const uint8_t* data, size_t size) {
    blobs_.push_back(Blob{data, size});
    return blobs_.size() - 1;
  }
  // Serializes into `out`; fails with kLimit if the file would exceed 4 GiB (classic TIFF offsets).
  // blob_offsets, when given, receives each blob's offset in `out` (4-byte aligned).
  Status Write(std::vector<uint8_t>* out, std::vector<uint64_t>* blob_offsets = nullptr) const;

 private:
  struct Blob {
    const uint8_t* data;
    size_t size;
  };
  std::vector<TiffIfdBuilder> ifds_;
  std::vector<Blob> blobs_;
};

}  // namespace leakproof::gpr
