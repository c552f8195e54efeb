// Baseline JPEG writer: colour conversion, 8x8 forward DCT (separable, float), quantisation and Huffman coding with
// the example tables of ITU-T T.81 Annex K, one scan, 4:4:4, no restart markers.
#include "gpr/jpeg_writer.h"

#include <cmath>
#include <string>

namespace leakproof::gpr {
namespace {

constexpr uint8_t kZigzag[64] = {0,  1,  8,  16, 9,  2,  3,  10, 17, 24, 32, 25, 18, 11, 4,  5,  12, 19, 26, 33, 40, 48,
                                 41, 34, 27, 20, 13, 6,  7,  14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23,
                                 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};

// Annex K.1 quantisation tables in natural (row-major) order.
constexpr uint8_t kLumaQ[64] = {16, 11, 10, 16, 24,  40,  51,  61,  12, 12, 14, 19, 26,  58,  60,  55,
                                14, 13, 16, 24, 40,  57,  69,  56,  14, 17, 22, 29, 51,  87,  80,  62,
                                18, 22, 37, 56, 68,  109, 103, 77,  24, 35, 55, 64, 81,  104, 113, 92,
                                49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};
constexpr uint8_t kChromaQ[64] = {17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
                                  24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
                                  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
                                  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99};

// Annex K.3 Huffman tables: code counts per length 1..16, then the symbols.
constexpr uint8_t kDcLumaBits[16] = {0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
constexpr uint8_t kDcLumaVals[12] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
constexpr uint8_t kDcChromaBits[16] = {0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0};
constexpr uint8_t kDcChromaVals[12] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
constexpr uint8_t kAcLumaBits[16] = {0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d};
constexpr uint8_t kAcLumaVals[162] = {
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71,
    0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72,
    0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36, 0x37,
    0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59,
    0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83,
    0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3,
    0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
    0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
    0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa};
constexpr uint8_t kAcChromaBits[16] = {0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77};
constexpr uint8_t kAcChromaVals[162] = {
    0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22,
    0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1,
    0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x35, 0x36,
    0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58,
    0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a,
    0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a,
    0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba,
    0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
    0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa};

struct HuffTable {
  uint16_t code[256] = {};
  uint8_t size[256] = {};
};

// Canonical codes from the counts per length (T.81 Annex C).
HuffTable BuildTable(const uint8_t* bits, const uint8_t* vals) {
  HuffTable t;
  uint16_t code = 0;
  size_t k = 0;
  for (int len = 1; len <= 16; ++len) {
    for (int i = 0; i < bits[len - 1]; ++i, ++k) {
      t.code[vals[k]] = code++;
      t.size[vals[k]] = static_cast<uint8_t>(len);
    }
    code <<= 1;
  }
  return t;
}

class BitSink {
 public:
  explicit BitSink(std::vector<uint8_t>* out) : out_(out) {}
  void Put(uint32_t bits, int n) {
    acc_ = (acc_ << n) | (bits & ((1u << n) - 1));
    count_ += n;
    while (count_ >= 8) {
      const uint8_t b = static_cast<uint8_t>(acc_ >> (count_ - 8));
      out_->push_back(b);
      if (b == 0xFF) out_->push_back(0);  // byte stuffing
      count_ -= 8;
    }
    acc_ &= (1u << count_) - 1;
  }
  void Flush() {
    if (count_ > 0) Put(0x7F, 8 - count_);  // pad with 1 bits
  }

 private:
  std::vector<uint8_t>* out_;
  uint32_t acc_ = 0;
  int count_ = 0;
};

// Number of bits of |v| (the JPEG magnitude category).
int Category(int v) {
  int a = v < 0 ? -v : v, n = 0;
  while (a) {
    ++n;
    a >>= 1;
  }
  return n;
}

void Marker(std::vector<uint8_t>* o, uint8_t m, uint16_t length) {
  o->insert(o->end(), {0xFF, m, static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length)});
}

// 1-D DCT-II of 8 samples (orthonormal, scaled by 1/2 per dimension as JPEG's FDCT).
struct Dct {
  float c[8][8];
  Dct() {
    for (int u = 0; u < 8; ++u) {
      const double cu = u == 0 ? std::sqrt(0.125) : 0.5;
      for (int x = 0; x < 8; ++x)
        c[u][x] = static_cast<float>(cu * std::cos((2 * x + 1) * u * 3.14159265358979323846 / 16));
    }
  }
  void Forward(const float* in, float* out) const {  // in, out: 8x8 row-major
    float tmp[64];
    for (int y = 0; y < 8; ++y)
      for (int u = 0; u < 8; ++u) {
        float s = 0;
        for (int x = 0; x < 8; ++x) s += c[u][x] * in[y * 8 + x];
        tmp[y * 8 + u] = s;
      }
    for (int u = 0; u < 8; ++u)
      for (int v = 0; v < 8; ++v) {
        float s = 0;
        for (int y = 0; y < 8; ++y) s += c[v][y] * tmp[y * 8 + u];
        out[v * 8 + u] = s;
      }
  }
};

void EncodeBlock(const float* coeffs, const float* qinv, int* prevDc, const HuffTable& dc, const HuffTable& ac,
                 BitSink* bits) {
  int q[64];
  for (int i = 0; i < 64; ++i) q[i] = static_cast<int>(std::lround(coeffs[kZigzag[i]] * qinv[kZigzag[i]]));
  const int diff = q[0] - *prevDc;
  *prevDc = q[0];
  int cat = Category(diff);
  bits->Put(dc.code[cat], dc.size[cat]);
  if (cat) bits->Put(diff < 0 ? diff - 1 : diff, cat);
  int run = 0;
  for (int i = 1; i < 64; ++i) {
    if (q[i] == 0) {
      ++run;
      continue;
    }
    while (run > 15) {
      bits->Put(ac.code[0xF0], ac.size[0xF0]);  // ZRL
      run -= 16;
    }
    cat = Category(q[i]);
    const int sym = (run << 4) | cat;
    bits->Put(ac.code[sym], ac.size[sym]);
    bits->Put(q[i] < 0 ? q[i] - 1 : q[i], cat);
    run = 0;
  }
  if (run) bits->Put(ac.code[0], ac.size[0]);  // EOB
}

void AppendHuffman(std::vector<uint8_t>* o, uint8_t cls, const uint8_t* bits, const uint8_t* vals, size_t nvals) {
  Marker(o, 0xC4, static_cast<uint16_t>(2 + 1 + 16 + nvals));
  o->push_back(cls);
  o->insert(o->end(), bits, bits + 16);
  o->insert(o->end(), vals, vals + nvals);
}

}  // namespace

Status EncodeJpeg(const uint8_t* rgb, uint32_t width, uint32_t height, int quality, std::vector<uint8_t>* out) {
  if (quality < 1 || quality > 100) return ArgumentError("jpegQuality must be 1..100, got " + std::to_string(quality));
  if (width == 0 || height == 0 || width > 65535 || height > 65535) {
    return ArgumentError("JPEG size " + std::to_string(width) + "x" + std::to_string(height) + " is out of range");
  }
  // IJG quality scaling of the Annex K tables.
  const int scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
  uint8_t qt[2][64];
  float qinv[2][64];
  for (int i = 0; i < 64; ++i) {
    for (int t = 0; t < 2; ++t) {
      const int base = t == 0 ? kLumaQ[i] : kChromaQ[i];
      int v = (base * scale + 50) / 100;
      v = v < 1 ? 1 : v > 255 ? 255 : v;
      qt[t][i] = static_cast<uint8_t>(v);
      qinv[t][i] = 1.0f / v;
    }
  }
  std::vector<uint8_t>& o = *out;
  o.reserve(o.size() + static_cast<size_t>(width) * height / 2 + 1024);
  o.insert(o.end(), {0xFF, 0xD8});  // SOI
  Marker(&o, 0xE0, 16);             // APP0 JFIF 1.1, no density, no thumbnail
  o.insert(o.end(), {'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0});
  for (int t = 0; t < 2; ++t) {
    Marker(&o, 0xDB, 67);
    o.push_back(static_cast<uint8_t>(t));
    for (int i = 0; i < 64; ++i) o.push_back(qt[t][kZigzag[i]]);
  }
  Marker(&o, 0xC0, 17);  // SOF0: 8-bit, 3 components, 1x1 sampling each
  o.insert(o.end(),
           {8, static_cast<uint8_t>(height >> 8), static_cast<uint8_t>(height), static_cast<uint8_t>(width >> 8),
            static_cast<uint8_t>(width), 3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1});
  AppendHuffman(&o, 0x00, kDcLumaBits, kDcLumaVals, sizeof kDcLumaVals);
  AppendHuffman(&o, 0x10, kAcLumaBits, kAcLumaVals, sizeof kAcLumaVals);
  AppendHuffman(&o, 0x01, kDcChromaBits, kDcChromaVals, sizeof kDcChromaVals);
  AppendHuffman(&o, 0x11, kAcChromaBits, kAcChromaVals, sizeof kAcChromaVals);
  Marker(&o, 0xDA, 12);  // SOS
  o.insert(o.end(), {3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0});

  static const HuffTable dcL = BuildTable(kDcLumaBits, kDcLumaVals), acL = BuildTable(kAcLumaBits, kAcLumaVals);
  static const HuffTable dcC = BuildTable(kDcChromaBits, kDcChromaVals), acC = BuildTable(kAcChromaBits, kAcChromaVals);
  static const Dct dct;
  BitSink bits(&o);
  int prev[3] = {0, 0, 0};
  float block[3][64], coeffs[64];
  for (uint32_t by = 0; by < height; by += 8) {
    for (uint32_t bx = 0; bx < width; bx += 8) {
      for (int y = 0; y < 8; ++y) {
        const uint32_t sy = by + y < height ? by + y : height - 1;  // edge blocks repeat the last row/column
        for (int x = 0; x < 8; ++x) {
          const uint32_t sx = bx + x < width ? bx + x : width - 1;
          const uint8_t* p = rgb + (static_cast<size_t>(sy) * width + sx) * 3;
          const float r = p[0], g = p[1], b = p[2];
          block[0][y * 8 + x] = 0.299f * r + 0.587f * g + 0.114f * b - 128.0f;
          block[1][y * 8 + x] = -0.168736f * r - 0.331264f * g + 0.5f * b;
          block[2][y * 8 + x] = 0.5f * r - 0.418688f * g - 0.081312f * b;
        }
      }
      for (int c = 0; c < 3; ++c) {
        dct.Forward(block[c], coeffs);
        EncodeBlock(coeffs, qinv[c ? 1 : 0], &prev[c], c ? dcC : dcL, c ? acC : acL, &bits);
      }
    }
  }
  bits.Flush();
  o.insert(o.end(), {0xFF, 0xD9});  // EOI
  return Status::Ok();
}

}  // namespace leakproof::gpr
