// VC-5 encoder: component transform, three forward wavelet levels, quantization, entropy coding and the exact
// segment/section sequence of the reference encoder (format doc 2.4, 2.6, 3.4, 3.5, 4.3, 5.2).
#include "gpr/vc5_encode.h"

#include <algorithm>
#include <array>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "gpr/bit_writer.h"
#include "gpr/gpr_limits.h"
#include "gpr/simd_clones.h"
#include "gpr/vc5_tables.h"
#include "gpr/wavelet_forward.h"

namespace leakproof::gpr {
namespace {

constexpr int kLevels = 3;
constexpr int kPrescale[kLevels] = {0, 2, 2};

struct MagnitudeCode {
  uint32_t code;  // codeword shifted left by one (sign bit 0)
  uint32_t bits;  // including the trailing sign bit
};

// Codeword per magnitude min(|q|, 1023): companding folded into codebook 17's run-1 entries, so coding a
// coefficient is one lookup.
const MagnitudeCode* MagnitudeCodes() {
  static const std::array<MagnitudeCode, 1024> table = [] {
    std::array<MagnitudeCode, 256> by_companded{};
    for (const CodebookEntry& e : kCodebook17) {
      if (e.run == 1 && e.value > 0 && e.value < 256) {
        by_companded[e.value] = MagnitudeCode{e.code << 1, static_cast<uint32_t>(e.sizeBits + 1)};
      }
    }
    std::array<MagnitudeCode, 1024> t{};
    for (int m = 1; m < 1024; ++m) t[m] = by_companded[kCompand[m]];
    return t;
  }();
  return table.data();
}

// Bytes EmitZeros(n) may write: runs of 3071 or more take the longest entry repeatedly, the rest at most
// `short_steps` codewords (found once from the table), each codeword at most 31 bits.
size_t ZeroRunBytesBound(size_t n) {
  static const size_t short_steps = [] {
    size_t worst = 0;
    for (size_t r = 1; r < kZeroRunTableSize; ++r) {
      size_t steps = 0;
      for (size_t m = r; m > 0; m -= kZeroRunTable[m].zerosCovered) ++steps;
      worst = steps > worst ? steps : worst;
    }
    return worst;
  }();
  return 4 * (n / kZeroRunTable[kZeroRunTableSize - 1].zerosCovered + 1 + short_steps);
}

// Caller guarantees ZeroRunBytesBound(n) bytes of room.
inline void EmitZeros(BitWriter& bw, size_t n) {
  while (n > 0) {
    const ZeroRunEntry& e = kZeroRunTable[n < 3071 ? n : 3071];
    bw.PutBitsUnchecked(e.code, e.sizeBits);
    n -= e.zerosCovered;
  }
}

// Highpass band coder: raster order, zero runs continuing across rows, then the band-end codeword and padding to
// a segment (doc 3.4). Fed row by row while the wavelet produces the band, so the band itself is never stored.
class HighpassBandCoder {
 public:
  explicit HighpassBandCoder(BitWriter& out) : bw_(out) {}

  void AddRow(const int16_t* data, size_t count) {
    const MagnitudeCode* codes = MagnitudeCodes();
    size_t pending = pending_;
    size_t i = 0;
    // A coefficient of this row costs at most 32 bits, as a magnitude codeword or as one more zero-run codeword,
    // on top of the run pending from earlier rows, so one check covers the row.
    bw_.EnsureSpace(count * 4 + ZeroRunBytesBound(pending));
#if defined(__SSE2__)
    // Highpass bands are mostly zeros: find the nonzero coefficients 16 at a time from a bit mask instead of a
    // hard-to-predict branch per coefficient. Same codewords in the same order as the scalar loop below.
    const __m128i zero = _mm_setzero_si128();
    for (; i + 16 <= count; i += 16) {
      const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
      const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i + 8));
      const __m128i zeros = _mm_packs_epi16(_mm_cmpeq_epi16(lo, zero), _mm_cmpeq_epi16(hi, zero));
      uint32_t nonzero = ~static_cast<uint32_t>(_mm_movemask_epi8(zeros)) & 0xFFFFu;
      uint32_t pos = 0;
      while (nonzero) {
        const uint32_t j = static_cast<uint32_t>(__builtin_ctz(nonzero));
        nonzero &= nonzero - 1;
        pending += j - pos;
        pos = j + 1;
        PutRunAndCoefficient(codes, pending, data[i + j]);
        pending = 0;
      }
      pending += 16 - pos;
    }
#endif
    for (; i < count; ++i) {
      const int32_t c = data[i];
      if (c == 0) {
        ++pending;
        continue;
      }
      PutRunAndCoefficient(codes, pending, c);
      pending = 0;
    }
    pending_ = pending;
  }

  // Ends the codeblock payload (segment aligned).
  void Finish() {
    bw_.EnsureSpace(ZeroRunBytesBound(pending_));
    EmitZeros(bw_, pending_);
    pending_ = 0;
    bw_.PutBits(kBandEndCode, kBandEndBits);
    bw_.AlignSegment();
  }

 private:
  // A run of `run` zeros, then nonzero coefficient c. Runs shorter than kShortRun are coded as that many 0 bits
  // (zero-run table), so when the total fits one PutBits they become leading zeros of the coefficient's codeword.
  static constexpr size_t kShortRun = 12;
  inline void PutRunAndCoefficient(const MagnitudeCode* codes, size_t run, int32_t c) {
    int32_t m = c < 0 ? -c : c;
    if (m > 1023) m = 1023;
    const MagnitudeCode& mc = codes[m];
    const uint32_t code = mc.code | (c < 0 ? 1u : 0u);
    if (run < kShortRun && run + mc.bits <= 32) {
      bw_.PutBitsUnchecked(code, static_cast<int>(run + mc.bits));
    } else {
      EmitZeros(bw_, run);
      bw_.PutBitsUnchecked(code, static_cast<int>(mc.bits));
    }
  }

  BitWriter& bw_;
  size_t pending_ = 0;
};

// Lowpass band: 16-bit two's-complement fields, raster order, pad to a segment (doc 3.5).
void EncodeLowpassBand(BitWriter& bw, const int16_t* data, size_t count) {
  for (size_t i = 0; i < count; ++i) bw.PutBits(static_cast<uint16_t>(data[i]), 16);
  bw.AlignSegment();
}

// A chunk header written as -(base) and back-patched with its payload length when closed (doc 2.2).
class Chunk {
 public:
  Chunk(BitWriter& bw, int base) : bw_(bw), base_(base), pos_(bw.WordPosition()) { bw.PutSegment(-base, 0); }
  void Close() {
    const uint32_t len = static_cast<uint32_t>(bw_.WordPosition() - pos_ - 1);
    const int tag = -(base_ | static_cast<int>((len >> 16) & 0xFF));
    bw_.PatchWord(pos_, (static_cast<uint32_t>(tag) & 0xFFFFu) << 16 | (len & 0xFFFFu));
  }

 private:
  BitWriter& bw_;
  int base_;
  size_t pos_;
};

inline void PutState(BitWriter& bw, int channel, int subband) {
  bw.PutSegment(vc5tag::kChannelNumber, static_cast<uint32_t>(channel));
  bw.PutSegment(vc5tag::kSubbandNumber, static_cast<uint32_t>(subband));
  bw.PutSegment(vc5tag::kLowpassPrecision, kVc5LowpassPrecision);
}

// One channel's sections; `last_q` is the encoder's running "last written quantization" (updated).
void EncodeChannelSections(BitWriter& bw, int c, const ForwardLevel (&lv)[kLevels],
                           const BitWriter (&coded)[kVc5SubbandCount], const uint16_t* q, int* last_q) {
  PutState(bw, c, 0);
  bw.PutSegment(vc5tag::kQuantization, static_cast<uint32_t>(*last_q));
  bw.PutSegment(vc5tag::kPrescaleShift, kVc5PrescaleShiftGpr);
  Chunk channel(bw, vc5tag::kChannelSection);
  PutState(bw, c, 0);
  Chunk* wavelet = new Chunk(bw, vc5tag::kWaveletSection);
  for (int s = 0; s < kVc5SubbandCount; ++s) {
    if (s == 4 || s == 7) {
      wavelet->Close();
      delete wavelet;
      PutState(bw, c, s);
      wavelet = new Chunk(bw, vc5tag::kWaveletSection);
    }
    PutState(bw, c, s);
    bw.PutSegment(vc5tag::kQuantization, static_cast<uint32_t>(*last_q));
    Chunk subband(bw, vc5tag::kSubbandSection);
    if (s > 0 && q[s] != *last_q) {
      bw.PutSegment(vc5tag::kQuantization, q[s]);
      *last_q = q[s];
    }
    Chunk codeblock(bw, vc5tag::kLargeCodeblock);
    if (s == 0) {
      const WaveletBand& ll = lv[2].ll;
      EncodeLowpassBand(bw, ll.data(), ll.size());
    } else {
      bw.AppendWords(coded[s]);
    }
    codeblock.Close();
    subband.Close();
  }
  wavelet->Close();
  delete wavelet;
  channel.Close();
}

// Every sample must fit the bit depth: the reference indexes its log table without a check (manifest
// size_constraints), we refuse instead and say where.
Status CheckSampleRange(const uint16_t* raw, const Vc5EncodeOptions& o, size_t pitch) {
  const uint16_t max_value = o.bitDepth == 14 ? 16383 : 4095;
  for (uint32_t y = 0; y < o.height; ++y) {
    const uint16_t* row = raw + static_cast<size_t>(y) * pitch;
    uint16_t row_max = 0;
    for (uint32_t x = 0; x < o.width; ++x) row_max = row[x] > row_max ? row[x] : row_max;
    if (row_max <= max_value) continue;
    for (uint32_t x = 0; x < o.width; ++x) {
      if (row[x] > max_value) {
        return ArgumentError("sample " + std::to_string(row[x]) + " at x=" + std::to_string(x) +
                             ", y=" + std::to_string(y) + " exceeds the " + std::to_string(o.bitDepth) +
                             "-bit range 0.." + std::to_string(max_value));
      }
    }
  }
  return Status::Ok();
}

// Row y of all four component channels (0 GS, 1 RG, 2 BG, 3 GD; 12-bit log-coded, doc 2.6) from mosaic rows 2y and
// 2y+1, each mosaic sample looked up in the log table once. Computed on demand, so no full-size component arrays are
// stored, and the mosaic is read once per worker rather than once per channel.
template <bool kGbrg, int kShift>
GPR_SIMD_CLONES void ComponentRows(const uint16_t* raw, size_t pitch, uint32_t cw, uint32_t y, int16_t* gs_out,
                                   int16_t* rg_out, int16_t* bg_out, int16_t* gd_out) {
  const uint16_t* top = raw + static_cast<size_t>(2 * y) * pitch;
  const uint16_t* bottom = top + pitch;
  // RGGB: R G1 / G2 B.  GBRG: G1 B / R G2.
  const uint16_t* rp = kGbrg ? bottom : top;
  const uint16_t* g1p = top;
  const uint16_t* g2p = bottom;
  const uint16_t* bp = kGbrg ? top : bottom;
  const int ro = 0, g1o = kGbrg ? 0 : 1, g2o = kGbrg ? 1 : 0, bo = 1;
  auto clamp12 = [](int32_t v) { return static_cast<int16_t>(v < 0 ? 0 : (v > 4095 ? 4095 : v)); };
  const uint16_t* L = kEncoderLog12;
  for (uint32_t x = 0; x < cw; ++x) {
    const int32_t r = L[rp[2 * x + ro] >> kShift];
    const int32_t g1 = L[g1p[2 * x + g1o] >> kShift];
    const int32_t g2 = L[g2p[2 * x + g2o] >> kShift];
    const int32_t b = L[bp[2 * x + bo] >> kShift];
    const int32_t gs = (g1 + g2) >> 1;
    gs_out[x] = clamp12(gs);
    rg_out[x] = clamp12((r - gs + 4096) >> 1);
    bg_out[x] = clamp12((b - gs + 4096) >> 1);
    gd_out[x] = clamp12((g1 - g2 + 4096) >> 1);
  }
}

using ComponentRowsFn = void (*)(const uint16_t*, size_t, uint32_t, uint32_t, int16_t*, int16_t*, int16_t*, int16_t*);

ComponentRowsFn SelectComponentRows(const Vc5EncodeOptions& o) {
  const bool gbrg = o.cfa == CfaPattern::kGbrg;
  return o.bitDepth == 14 ? (gbrg ? ComponentRows<true, 2> : ComponentRows<false, 2>)
                          : (gbrg ? ComponentRows<true, 0> : ComponentRows<false, 0>);
}

// One channel's transform state: its three levels (only LL bands stored) and the coded highpass subbands.
struct ChannelCoding {
  ForwardLevel lv[kLevels];
  BitWriter coded[kVc5SubbandCount];  // coded[s] = codeblock payload of subband s (1..9)
};

// All three levels of the channels in `channels`, in lockstep from one pass over the mosaic: each component row
// feeds its channel's level-0 stream, whose LL rows feed level 1 and then level 2 (only level 2's LL is stored), and
// every quantized highpass row is entropy coded as it appears. Nothing full-size is allocated, which also keeps
// page faults out of the encode.
GPR_SIMD_CLONES uint16_t RowMax(const uint16_t* p, uint32_t n) {
  uint16_t m = 0;
  for (uint32_t i = 0; i < n; ++i) m = p[i] > m ? p[i] : m;
  return m;
}

// The component rows shared by several workers, so that each row is computed once, not once per worker (which
// made a second thread gain little: the component stage is about a quarter of an encode). Cell rows go in blocks of
// kRows; block j is computed by worker j % workers into ring slot j % slots, and every worker reads every block for
// its own channels. A slot is reused once all workers have read it; `slots` >= 2 * workers keeps producers ahead.
class ComponentPipe {
 public:
  static constexpr int kRows = 8;
  ComponentPipe(int workers, uint32_t cw, int cell_rows)
      : workers_(workers),
        slots_(2 * workers),
        cw_(cw),
        blocks_((cell_rows + kRows - 1) / kRows),
        buf_(new int16_t[static_cast<size_t>(slots_) * kRows * 4 * cw]),
        block_in_(slots_, -1),
        readers_left_(slots_, 0) {}
  int blocks() const { return blocks_; }
  int workers() const { return workers_; }
  // Row r (0..kRows-1) of channel c in the slot of block j.
  int16_t* Row(int j, int r, int c) {
    return buf_.get() + ((static_cast<size_t>(j % slots_) * kRows + r) * 4 + c) * cw_;
  }
  // Producer of block j: waits until its slot's previous block has been read by everyone. False = stop (bad input).
  bool WaitWritable(int j) {
    std::unique_lock<std::mutex> lock(m_);
    const int slot = j % slots_;
    cv_.wait(lock, [&] { return bad_ || readers_left_[slot] == 0; });
    return !bad_;
  }
  void Publish(int j, bool bad) {
    {
      std::lock_guard<std::mutex> lock(m_);
      const int slot = j % slots_;
      block_in_[slot] = j;
      readers_left_[slot] = workers_;
      if (bad) bad_ = true;
    }
    cv_.notify_all();
  }
  // Reader of block j: waits until it is there. False = stop (a producer found a sample out of range).
  bool WaitReadable(int j) {
    std::unique_lock<std::mutex> lock(m_);
    cv_.wait(lock, [&] { return bad_ || block_in_[j % slots_] == j; });
    return !bad_;
  }
  // Stops every worker waiting on the pipe (they return false): a worker failed or could not be started.
  void Abort() {
    {
      std::lock_guard<std::mutex> lock(m_);
      bad_ = true;
    }
    cv_.notify_all();
  }
  void DoneReading(int j) {
    bool last;
    {
      std::lock_guard<std::mutex> lock(m_);
      last = --readers_left_[j % slots_] == 0;
    }
    if (last) cv_.notify_all();
  }

 private:
  const int workers_, slots_;
  const uint32_t cw_;
  const int blocks_;
  std::unique_ptr<int16_t[]> buf_;
  std::mutex m_;
  std::condition_variable cv_;
  std::vector<int> block_in_;      // per slot: the block it holds (-1: none yet)
  std::vector<int> readers_left_;  // per slot: workers that have not read it yet
  bool bad_ = false;
};

// Returns false, having stopped early, at the first mosaic row with a sample above the bit depth's range (checked
// here, while the rows are in cache, rather than in a separate pass; before the log table is indexed with them).
// With `pipe`, worker `t` computes its share of the component rows into it and takes all rows from it.
bool TransformChannels(const uint16_t* raw, size_t pitch, const Vc5EncodeOptions& o, const uint16_t* q,
                       const std::vector<int>& channels, ChannelCoding* state, std::unique_ptr<HugeArena>* arena,
                       ComponentPipe* pipe = nullptr, int t = 0) {
  const int w = static_cast<int>(o.width / 2), h = static_cast<int>(o.height / 2);
  const size_t n = channels.size();
  // Level input sizes: level 0 is the channel, each next level's input the previous LL band, ceil(w/2) x ceil(h/2).
  int lw[kLevels], lh[kLevels];
  lw[0] = w;
  lh[0] = h;
  for (int l = 1; l < kLevels; ++l) {
    lw[l] = (lw[l - 1] + 1) / 2;
    lh[l] = (lh[l - 1] + 1) / 2;
  }
  // The coded bands of these channels share one huge-page arena (huge_arena.h): each highpass band of level l gets a
  // slot of lw * lh / 2 bytes (16 bits per band coefficient), more than natural images need; a band that outgrows
  // its slot moves to malloc'd memory (same bytes). Untouched pages of a slot cost no memory.
  size_t slot[kLevels];
  size_t total = 0;
  for (int l = 0; l < kLevels; ++l) {
    slot[l] = (static_cast<size_t>(lw[l]) * lh[l] / 2 + 4096 + 63) & ~size_t{63};
    total += slot[l] * 3 * n;
  }
  *arena = NewHugeArena(total);
  uint8_t* next_slot = (*arena)->data();
  for (size_t k = 0; k < n; ++k) {
    for (int l = 0; l < kLevels; ++l) {
      for (int b = 0; b < 3; ++b) {
        state[channels[k]].coded[Vc5FirstHighpassSubband(l) + b].Borrow(next_slot, slot[l]);
        next_slot += slot[l];
      }
    }
  }
  std::vector<std::unique_ptr<HighpassBandCoder>> coders;
  std::vector<WaveletBandRowSink> sinks(n * kLevels);  // sized once: the streams keep pointers to them
  std::vector<std::unique_ptr<ForwardLevelStream>> streams(n * kLevels);
  for (size_t k = 0; k < n; ++k) {
    ChannelCoding& st = state[channels[k]];
    for (int l = kLevels - 1; l >= 0; --l) {
      const int first = Vc5FirstHighpassSubband(l);
      const int quant[4] = {1, q[first], q[first + 1], q[first + 2]};  // LL uses q = 1 at every level
      HighpassBandCoder* c[3];
      for (int b = 0; b < 3; ++b) {
        coders.push_back(std::make_unique<HighpassBandCoder>(st.coded[first + b]));
        c[b] = coders.back().get();
      }
      WaveletBandRowSink& sink = sinks[k * kLevels + l];
      sink = [c0 = c[0], c1 = c[1], c2 = c[2]](const int16_t* b1, const int16_t* b2, const int16_t* b3, int count) {
        c0->AddRow(b1, static_cast<size_t>(count));
        c1->AddRow(b2, static_cast<size_t>(count));
        c2->AddRow(b3, static_cast<size_t>(count));
      };
      ForwardLevelStream* next = l + 1 < kLevels ? streams[k * kLevels + l + 1].get() : nullptr;
      streams[k * kLevels + l] =
          std::make_unique<ForwardLevelStream>(lw[l], lh[l], kPrescale[l], quant, &st.lv[l], sink, next);
    }
  }
  const ComponentRowsFn rows_fn = SelectComponentRows(o);
  const uint16_t max_value = o.bitDepth == 14 ? 16383 : 4095;
  if (pipe) {
    for (int j = 0; j < pipe->blocks(); ++j) {
      const int y0 = j * ComponentPipe::kRows, y1 = std::min(h, y0 + ComponentPipe::kRows);
      if (j % pipe->workers() == t) {
        if (!pipe->WaitWritable(j)) return false;
        bool bad = false;
        for (int y = y0; y < y1 && !bad; ++y) {
          const uint16_t* top = raw + static_cast<size_t>(2 * y) * pitch;
          bad = RowMax(top, o.width) > max_value || RowMax(top + pitch, o.width) > max_value;
          if (!bad) {
            const int r = y - y0;
            rows_fn(raw, pitch, static_cast<uint32_t>(w), static_cast<uint32_t>(y), pipe->Row(j, r, 0),
                    pipe->Row(j, r, 1), pipe->Row(j, r, 2), pipe->Row(j, r, 3));
          }
        }
        pipe->Publish(j, bad);
        if (bad) return false;
      }
      if (!pipe->WaitReadable(j)) return false;
      for (int y = y0; y < y1; ++y) {
        for (size_t k = 0; k < n; ++k) streams[k * kLevels]->PushRow(pipe->Row(j, y - y0, channels[k]));
      }
      pipe->DoneReading(j);
    }
    for (auto& c : coders) c->Finish();
    return true;
  }
  std::unique_ptr<int16_t[]> rows(new int16_t[static_cast<size_t>(4) * w]);
  int16_t* row[4];
  for (int c = 0; c < 4; ++c) row[c] = rows.get() + static_cast<size_t>(c) * w;
  for (int y = 0; y < h; ++y) {
    const uint16_t* top = raw + static_cast<size_t>(2 * y) * pitch;
    if (RowMax(top, o.width) > max_value || RowMax(top + pitch, o.width) > max_value) return false;
    rows_fn(raw, pitch, static_cast<uint32_t>(w), static_cast<uint32_t>(y), row[0], row[1], row[2], row[3]);
    for (size_t k = 0; k < n; ++k) streams[k * kLevels]->PushRow(row[channels[k]]);
  }
  for (auto& c : coders) c->Finish();
  return true;
}

}  // namespace

Status ValidateVc5EncodeOptions(const Vc5EncodeOptions& o) {
  if (o.width < kMinImageDimension || o.height < kMinImageDimension) {
    return ArgumentError("image " + std::to_string(o.width) + "x" + std::to_string(o.height) +
                         " is too small: width and height must be at least " + std::to_string(kMinImageDimension));
  }
  if ((o.width & 1) || (o.height & 1)) {
    return ArgumentError("image " + std::to_string(o.width) + "x" + std::to_string(o.height) +
                         ": width and height must be even (2x2 Bayer cells)");
  }
  if (o.width > kMaxImageWidth || o.height > kMaxImageHeight ||
      static_cast<uint64_t>(o.width) * o.height > kMaxImagePixels) {
    return LimitError("image " + std::to_string(o.width) + "x" + std::to_string(o.height) + " exceeds the limits (" +
                      std::to_string(kMaxImageWidth) + "x" + std::to_string(kMaxImageHeight) + ", " +
                      std::to_string(kMaxImagePixels) + " samples)");
  }
  if (o.pitch != 0 && o.pitch < o.width) return ArgumentError("pitch is smaller than the width");
  if (o.bitDepth != 12 && o.bitDepth != 14) {
    return ArgumentError("bitDepth must be 12 or 14, got " + std::to_string(o.bitDepth));
  }
  if (o.cfa != CfaPattern::kRggb && o.cfa != CfaPattern::kGbrg) {
    return UnsupportedError("only RGGB and GBRG mosaics can be encoded");
  }
  if (o.quality != EncodeQuality::kFs1 && o.quality != EncodeQuality::kFast) {
    return ArgumentError("unknown quality");
  }
  return Status::Ok();
}

Status EncodeVc5(const uint16_t* raw, size_t raw_samples, const Vc5EncodeOptions& opts, std::vector<uint8_t>* payload,
                 Vc5Thumbnail* thumbnail) {
  std::unique_ptr<BitWriter> bits;
  GPR_RETURN_IF_ERROR(EncodeVc5(raw, raw_samples, opts, &bits, thumbnail));
  payload->assign(bits->data(), bits->data() + bits->size());
  return Status::Ok();
}

Status EncodeVc5(const uint16_t* raw, size_t raw_samples, const Vc5EncodeOptions& opts,
                 std::unique_ptr<BitWriter>* payload, Vc5Thumbnail* thumbnail) {
  GPR_RETURN_IF_ERROR(ValidateVc5EncodeOptions(opts));
  const size_t pitch = opts.pitch ? opts.pitch : opts.width;
  const size_t needed = pitch * (opts.height - 1) + opts.width;
  if (raw == nullptr || raw_samples < needed) {
    return ArgumentError("data holds " + std::to_string(raw_samples) + " samples, " + std::to_string(needed) +
                         " needed for " + std::to_string(opts.width) + "x" + std::to_string(opts.height));
  }
  const uint16_t* q =
      kQualityTables[static_cast<int>(opts.quality == EncodeQuality::kFast ? Vc5Quality::kMedium : Vc5Quality::kFs1)];
  const uint32_t cw = opts.width / 2, ch = opts.height / 2;

  const int threads = opts.threads < 1 ? 1 : (opts.threads > 4 ? 4 : opts.threads);

  // Channels are independent once the running quantization at each channel's start is known: 0 before
  // channel 0, q[9] (the last band's quantizer) before the others. So they can be coded in parallel and
  // concatenated (every channel ends segment aligned).
  // Worker t codes channels t, t + threads, ...: all their levels in one pass over the mosaic. The sections are
  // then written once, straight into the payload writer (no per-channel copy).
  std::unique_ptr<HugeArena> arenas[4];  // coded-band storage per worker; outlives `state`'s use of it
  std::unique_ptr<ChannelCoding[]> state(new ChannelCoding[4]);
  bool out_of_range[4] = {false, false, false, false};
  // With several workers the component rows are computed once, shared through a ComponentPipe.
  std::unique_ptr<ComponentPipe> pipe;
  if (threads > 1) pipe = std::make_unique<ComponentPipe>(threads, cw, static_cast<int>(ch));
  // An exception (std::bad_alloc from a band coder) is caught on the worker's thread; it stops the pipe so the other
  // workers do not wait for it, and is rethrown here once all have joined (ARCHITECTURE.md, "C++ exceptions").
  std::exception_ptr failures[4];
  auto encode_channels = [&](int t) {
    try {
      std::vector<int> mine;
      for (int c = t; c < 4; c += threads) mine.push_back(c);
      if (!TransformChannels(raw, pitch, opts, q, mine, state.get(), &arenas[t], pipe.get(), t)) out_of_range[t] = true;
    } catch (...) {
      failures[t] = std::current_exception();
      if (pipe) pipe->Abort();
    }
  };
  if (threads == 1) {
    encode_channels(0);
  } else {
    std::vector<std::thread> pool;
    pool.reserve(threads);
    std::exception_ptr start_failure;
    for (int t = 0; t < threads; ++t) {
      try {
        pool.emplace_back(encode_channels, t);
      } catch (...) {  // std::system_error: the pipe needs every worker, so stop the started ones and fail
        start_failure = std::current_exception();
        pipe->Abort();
        break;
      }
    }
    for (auto& th : pool) th.join();
    if (start_failure) std::rethrow_exception(start_failure);
  }
  for (const std::exception_ptr& f : failures) {
    if (f) std::rethrow_exception(f);
  }
  for (bool bad : out_of_range) {
    if (bad) return CheckSampleRange(raw, opts, pitch);  // finds the first offending sample for the message
  }

  size_t reserve = 4096;
  for (int c = 0; c < 4; ++c) {
    for (const BitWriter& b : state[c].coded) reserve += b.size();
    reserve += state[c].lv[2].ll.size() * 2 + 1024;
  }
  auto out_writer = std::make_unique<BitWriter>(NewHugeArena(reserve));  // the whole payload
  BitWriter& out = *out_writer;
  out.PutWord(kVc5StartMarker);
  out.PutSegment(vc5tag::kChannelCount, kVc5ChannelCount);
  out.PutSegment(vc5tag::kImageWidth, opts.width);
  out.PutSegment(vc5tag::kImageHeight, opts.height);
  out.PutSegment(vc5tag::kImageFormat, kVc5ImageFormatRaw);
  out.PutSegment(vc5tag::kPatternWidth, 2);
  out.PutSegment(vc5tag::kPatternHeight, 2);
  out.PutSegment(vc5tag::kComponentsPerSample, 1);
  out.PutSegment(vc5tag::kMaxBitsPerComponent, kVc5MaxBitsPerComponent);
  out.PutSegment(vc5tag::kPrescaleShift, kVc5PrescaleShiftGpr);
  // UniqueImageIdentifier: optional small chunk of 9 segments, zero instance/sequence (doc 2.4).
  out.PutSegment(-vc5tag::kUniqueImageIdentifier, 9);
  for (uint8_t b : kUmidLabel) out.PutBits(b, 8);
  out.PutBits(kUmidLengthByte, 8);
  out.PutBits(0, 24);
  for (int i = 0; i < 5; ++i) out.PutWord(0);

  for (int c = 0; c < 4; ++c) {
    int last_q = c == 0 ? 0 : q[9];
    EncodeChannelSections(out, c, state[c].lv, state[c].coded, q, &last_q);
  }
  const size_t total = out.size();
  if (total > kMaxVc5PayloadBytes) {
    return LimitError("VC-5 payload of " + std::to_string(total) + " bytes exceeds the " +
                      std::to_string(kMaxVc5PayloadBytes) + "-byte limit of GPR readers");
  }
  *payload = std::move(out_writer);
  if (thumbnail) {
    const ForwardLevel& top = state[0].lv[2];
    thumbnail->width = top.band_width;
    thumbnail->height = top.band_height;
    for (int c = 0; c < 3; ++c) {
      const WaveletBand& ll = state[c].lv[2].ll;
      thumbnail->plane[c].assign(ll.data(), ll.data() + ll.size());
    }
  }
  return Status::Ok();
}

}  // namespace leakproof::gpr
