// Classic little-endian TIFF serialization (two passes: lay out offsets, then write bytes).
#include "gpr/tiff_writer.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "gpr/gpr_limits.h"

namespace leakproof::gpr {
namespace {

void Put16(std::vector<uint8_t>& b, uint16_t v) {
  b.push_back(static_cast<uint8_t>(v));
  b.push_back(static_cast<uint8_t>(v >> 8));
}
void Put32(std::vector<uint8_t>& b, uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void Set32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

}  // namespace

void TiffIfdBuilder::Put(Entry e) {
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(), [&](const Entry& x) { return x.tag == e.tag; }),
                 entries_.end());
  entries_.push_back(std::move(e));
}

bool TiffIfdBuilder::Has(uint16_t tag) const {
  return std::any_of(entries_.begin(), entries_.end(), [&](const Entry& x) { return x.tag == tag; });
}

void TiffIfdBuilder::AddBytes(uint16_t tag, uint16_t type, const uint8_t* data, size_t count) {
  Entry e{tag, type, static_cast<uint32_t>(count), std::vector<uint8_t>(data, data + count)};
  Put(std::move(e));
}

void TiffIfdBuilder::AddAscii(uint16_t tag, const std::string& s) {
  std::vector<uint8_t> b(s.begin(), s.end());
  b.push_back(0);
  Put(Entry{tag, kTiffAscii, static_cast<uint32_t>(b.size()), std::move(b)});
}

void TiffIfdBuilder::AddShorts(uint16_t tag, const std::vector<uint16_t>& v) {
  std::vector<uint8_t> b;
  for (uint16_t x : v) Put16(b, x);
  Put(Entry{tag, kTiffShort, static_cast<uint32_t>(v.size()), std::move(b)});
}

void TiffIfdBuilder::AddLongs(uint16_t tag, const std::vector<uint32_t>& v) {
  std::vector<uint8_t> b;
  for (uint32_t x : v) Put32(b, x);
  Put(Entry{tag, kTiffLong, static_cast<uint32_t>(v.size()), std::move(b)});
}

void TiffIfdBuilder::AddRationals(uint16_t tag, const std::vector<Rational>& v) {
  std::vector<uint8_t> b;
  for (const Rational& r : v) {
    Put32(b, r.num);
    Put32(b, r.den);
  }
  Put(Entry{tag, kTiffRational, static_cast<uint32_t>(v.size()), std::move(b)});
}

void TiffIfdBuilder::AddSRationals(uint16_t tag, const std::vector<SRational>& v) {
  std::vector<uint8_t> b;
  for (const SRational& r : v) {
    Put32(b, static_cast<uint32_t>(r.num));
    Put32(b, static_cast<uint32_t>(r.den));
  }
  Put(Entry{tag, kTiffSRational, static_cast<uint32_t>(v.size()), std::move(b)});
}

void TiffIfdBuilder::AddDoubles(uint16_t tag, const std::vector<double>& v) {
  std::vector<uint8_t> b;
  for (double d : v) {
    uint64_t u;
    std::memcpy(&u, &d, 8);
    Put32(b, static_cast<uint32_t>(u));
    Put32(b, static_cast<uint32_t>(u >> 32));
  }
  Put(Entry{tag, kTiffDouble, static_cast<uint32_t>(v.size()), std::move(b)});
}

void TiffIfdBuilder::AddRaw(const RawTiffEntry& e) { Put(Entry{e.tag, e.type, e.count, e.bytes}); }

void TiffIfdBuilder::AddIfdPointer(uint16_t tag, size_t ifd_index) {
  Entry e{tag, kTiffLong, 1, std::vector<uint8_t>(4, 0)};
  e.ifd_ref = static_cast<int>(ifd_index);
  Put(std::move(e));
}

void TiffIfdBuilder::AddBlobPointer(uint16_t offset_tag, uint16_t count_tag, size_t blob_index) {
  Entry off{offset_tag, kTiffLong, 1, std::vector<uint8_t>(4, 0)};
  off.blob_ref = static_cast<int>(blob_index);
  Put(std::move(off));
  Entry cnt{count_tag, kTiffLong, 1, std::vector<uint8_t>(4, 0)};
  cnt.blob_size_ref = static_cast<int>(blob_index);
  Put(std::move(cnt));
}

Status TiffWriter::Write(std::vector<uint8_t>* out, std::vector<uint64_t>* blob_offsets) const {
  // Pass 1: positions. Each IFD: 2 + 12n + 4 bytes, then its values larger than 4 bytes (even offsets).
  std::vector<uint64_t> ifd_pos(ifds_.size());
  std::vector<std::vector<TiffIfdBuilder::Entry>> sorted(ifds_.size());
  uint64_t pos = 8;
  for (size_t i = 0; i < ifds_.size(); ++i) {
    sorted[i] = ifds_[i].entries_;
    std::sort(sorted[i].begin(), sorted[i].end(),
              [](const TiffIfdBuilder::Entry& a, const TiffIfdBuilder::Entry& b) { return a.tag < b.tag; });
    ifd_pos[i] = pos;
    pos += 2 + 12 * sorted[i].size() + 4;
    // The reader's limits (gpr_limits.h) bind the writer too: a file we cannot open again must not be written.
    if (sorted[i].size() > kMaxIfdEntries)
      return LimitError("IFD " + std::to_string(i) + " would have " + std::to_string(sorted[i].size()) +
                        " entries (limit " + std::to_string(kMaxIfdEntries) + ")");
    for (const auto& e : sorted[i]) {
      if (e.bytes.size() > kMaxMetadataBlockBytes)
        return LimitError("tag " + std::to_string(e.tag) + " would hold " + std::to_string(e.bytes.size()) +
                          " bytes (metadata block limit " + std::to_string(kMaxMetadataBlockBytes) + ")");
      if (e.bytes.size() > 4) pos += e.bytes.size() + (e.bytes.size() & 1);
    }
  }
  std::vector<uint64_t> blob_pos(blobs_.size());
  for (size_t i = 0; i < blobs_.size(); ++i) {
    pos = (pos + 3) & ~uint64_t{3};
    blob_pos[i] = pos;
    pos += blobs_[i].size;
  }
  if (pos > 0xFFFFFFFFull) return LimitError("file would exceed the 4 GiB limit of classic TIFF");

  // Pass 2: bytes.
  out->clear();
  out->reserve(static_cast<size_t>(pos));
  out->insert(out->end(), {0x49, 0x49, 0x2A, 0x00});
  Put32(*out, ifds_.empty() ? 0 : 8);
  for (size_t i = 0; i < ifds_.size(); ++i) {
    const auto& entries = sorted[i];
    Put16(*out, static_cast<uint16_t>(entries.size()));
    uint64_t value_pos = ifd_pos[i] + 2 + 12 * entries.size() + 4;
    std::vector<const TiffIfdBuilder::Entry*> deferred;
    for (const auto& e : entries) {
      Put16(*out, e.tag);
      Put16(*out, e.type);
      Put32(*out, e.count);
      uint8_t field[4] = {0, 0, 0, 0};
      if (e.ifd_ref >= 0) {
        Set32(field, static_cast<uint32_t>(ifd_pos[static_cast<size_t>(e.ifd_ref)]));
      } else if (e.blob_ref >= 0) {
        Set32(field, static_cast<uint32_t>(blob_pos[static_cast<size_t>(e.blob_ref)]));
      } else if (e.blob_size_ref >= 0) {
        Set32(field, static_cast<uint32_t>(blobs_[static_cast<size_t>(e.blob_size_ref)].size));
      } else if (e.bytes.size() <= 4) {
        std::copy(e.bytes.begin(), e.bytes.end(), field);
      } else {
        Set32(field, static_cast<uint32_t>(value_pos));
        value_pos += e.bytes.size() + (e.bytes.size() & 1);
        deferred.push_back(&e);
      }
      out->insert(out->end(), field, field + 4);
    }
    Put32(*out, 0);  // no chained IFD: other IFDs are reached through pointer entries
    for (const auto* e : deferred) {
      out->insert(out->end(), e->bytes.begin(), e->bytes.end());
      if (e->bytes.size() & 1) out->push_back(0);
    }
  }
  for (size_t i = 0; i < blobs_.size(); ++i) {
    out->resize(static_cast<size_t>(blob_pos[i]), 0);
    if (blobs_[i].data == nullptr) {
      out->resize(out->size() + blobs_[i].size, 0);
    } else {
      out->insert(out->end(), blobs_[i].data, blobs_[i].data + blobs_[i].size);
    }
  }
  if (blob_offsets) *blob_offsets = blob_pos;
  return Status::Ok();
}

}  // namespace leakproof::gpr
