// GprDecoder: container -> VC-5 segment walk -> per-channel band decoding and inverse wavelet -> Bayer or RGB.
#include "gpr/gpr_decoder.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <new>
#include <system_error>
#include <thread>

#include "gpr/bayer_output.h"
#include "gpr/gpr_limits.h"
#include "gpr/large_buffer.h"
#include "gpr/rgb_preview.h"
#include "gpr/wavelet_inverse.h"

namespace leakproof::gpr {

namespace {

constexpr size_t kPayloadPadding =
    16;  // the bit reader peeks up to 12 bytes past a position at most 27 bits beyond a codeblock

// The bands of one channel: subband s stored at offset[s] in one buffer.
struct ChannelBands {
  int16_t* base = nullptr;
  size_t offset[kVc5SubbandCount] = {};
  const int16_t* band(int s) const { return base + offset[s]; }
  int16_t* band(int s) { return base + offset[s]; }
};

Status AllocBands(const Vc5Stream& s, int lastSubband, LargeBuffer<int16_t>* storage, ChannelBands* b) {
  size_t total = 0;
  for (int sb = 0; sb <= lastSubband; sb++) {
    uint32_t w, h;
    SubbandSize(s, sb, &w, &h);
    b->offset[sb] = total;
    total += size_t(w) * h;
  }
  if (!storage->Reserve(total))
    return LimitError("out of memory allocating " + std::to_string(total * 2) + " bytes of band storage");
  b->base = storage->data();
  return Status::Ok();
}

constexpr size_t kMaxPooledWorkspaces = 4;

}  // namespace

struct DecodeWorkspace {
  LargeBuffer<int16_t> bands;
  LargeBuffer<int16_t> levelA;
  LargeBuffer<int16_t> levelB;
  bool planeInA = false;
  const int16_t* plane() const { return planeInA ? levelA.data() : levelB.data(); }
};

namespace {

template <typename T>
Status Alloc(LargeBuffer<T>* v, size_t n, const char* what) {
  if (!v->Allocate(n)) return LimitError(std::string("out of memory allocating ") + what);
  return Status::Ok();
}

template <typename V>
Status Alloc(V* v, size_t n, const char* what) {
  try {
    v->resize(n);
  } catch (const std::bad_alloc&) {
    return LimitError(std::string("out of memory allocating ") + what);
  }
  return Status::Ok();
}

Status DecodeBands(const uint8_t* padded, const Vc5Stream& s, int c, int lastSubband, ChannelBands* b) {
  for (int sb = 0; sb <= lastSubband; sb++) GPR_RETURN_IF_ERROR(DecodeVc5Band(padded, s, c, sb, b->band(sb)));
  return Status::Ok();
}

// Runs fn(i) for i in [0, n) on up to `threads` threads (worker t takes i = t, t + workers, ...); first error wins.
// An exception (std::bad_alloc) is caught on the thread that threw it and rethrown here after every thread has joined
// (ARCHITECTURE.md, "C++ exceptions": none crosses a thread boundary, and no joinable thread is left behind).
template <typename Fn>
Status RunParallel(int n, int threads, Fn fn) {
  std::vector<Status> results(n);
  const int workers = std::max(1, std::min(threads, n));
  std::vector<std::exception_ptr> failures(workers);
  auto work = [&results, &failures, &fn, n, workers](int t) {
    try {
      for (int i = t; i < n; i += workers) {
        results[i] = fn(i);
        if (!results[i].ok()) return;
      }
    } catch (...) {
      failures[t] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(workers);  // so emplace_back below cannot throw bad_alloc with threads already running
  int started = 1;
  for (int t = 1; t < workers; t++) {
    try {
      pool.emplace_back(work, t);
      started++;
    } catch (const std::system_error&) {
      break;  // could not start a thread: the remaining workers' share runs here
    }
  }
  work(0);
  for (int t = started; t < workers; t++) work(t);
  for (auto& th : pool) th.join();
  for (auto& f : failures)
    if (f) std::rethrow_exception(f);
  for (auto& r : results)
    if (!r.ok()) return r;
  return Status::Ok();
}

}  // namespace

GprDecoder::~GprDecoder() = default;

std::unique_ptr<DecodeWorkspace> GprDecoder::AcquireWorkspace() const {
  {
    std::lock_guard<std::mutex> lock(poolMutex_);
    if (!pool_.empty()) {
      std::unique_ptr<DecodeWorkspace> ws = std::move(pool_.back());
      pool_.pop_back();
      return ws;
    }
  }
  return std::unique_ptr<DecodeWorkspace>(new (std::nothrow) DecodeWorkspace());
}

void GprDecoder::ReleaseWorkspace(std::unique_ptr<DecodeWorkspace> ws) const {
  if (!ws) return;
  std::lock_guard<std::mutex> lock(poolMutex_);
  if (pool_.size() < kMaxPooledWorkspaces) pool_.push_back(std::move(ws));
}

Status GprDecoder::Open(const uint8_t* data, size_t size, std::unique_ptr<GprDecoder>* out) {
  out->reset();
  GprContainer container;
  GPR_RETURN_IF_ERROR(ParseGprContainer(data, size, &container));
  std::unique_ptr<GprDecoder> d(new (std::nothrow) GprDecoder());
  if (!d) return LimitError("out of memory");
  const uint8_t* payload = data + container.tileOffset;
  GPR_RETURN_IF_ERROR(ParseVc5Stream(payload, container.tileBytes, &d->stream_));
  if (d->stream_.imageWidth != container.width || d->stream_.imageHeight != container.height)
    return CorruptError("VC-5 header says " + std::to_string(d->stream_.imageWidth) + "x" +
                        std::to_string(d->stream_.imageHeight) + " but the raw IFD (tags 256/257) says " +
                        std::to_string(container.width) + "x" + std::to_string(container.height));
  if (d->stream_.prescaleShift != kVc5PrescaleShiftGpr)
    return UnsupportedError("VC-5 PrescaleShift 0x" + std::to_string(d->stream_.prescaleShift) +
                            " is not GPR's (0, 2, 2)");
  GPR_RETURN_IF_ERROR(Alloc(&d->payload_, size_t(container.tileBytes) + kPayloadPadding, "the VC-5 payload"));
  std::copy(payload, payload + container.tileBytes, d->payload_.data());
  std::fill(d->payload_.data() + container.tileBytes, d->payload_.data() + d->payload_.size(), uint8_t(0));
  d->metadata_ = std::move(container.metadata);
  GprInfo& i = d->info_;
  i.width = container.width;
  i.height = container.height;
  i.cfa = d->metadata_.cfa;
  i.bitDepth = BayerOutputBits(i.cfa);
  i.layout = container.layout;
  i.tileOffset = container.tileOffset;
  i.tileBytes = container.tileBytes;
  i.channels = d->stream_.channelCount;
  i.levels = kVc5WaveletCount;
  i.channelWidth = d->stream_.channelWidth;
  i.channelHeight = d->stream_.channelHeight;
  i.prescaleShift = d->stream_.prescaleShift;
  for (int sb = 0; sb < kVc5SubbandCount; sb++) i.quantization[sb] = d->stream_.blocks[0][sb].quantization;
  *out = std::move(d);
  return Status::Ok();
}

Status GprDecoder::RawSize(int resolution, uint32_t* w, uint32_t* h) const {
  if (resolution != 1)
    return ArgumentError("resolution " + std::to_string(resolution) +
                         " is not supported for RAW output (only 1; use decodeRgb for 2, 4, 8, 16)");
  *w = info_.width;
  *h = info_.height;
  return Status::Ok();
}

Status GprDecoder::RgbSize(int resolution, uint32_t* w, uint32_t* h) const {
  const Vc5Stream& s = stream_;
  switch (resolution) {
    case 16:
      *w = s.levelWidth[2];
      *h = s.levelHeight[2];
      return Status::Ok();
    case 8:
      *w = s.levelWidth[1];
      *h = s.levelHeight[1];
      return Status::Ok();
    case 4:
      *w = s.levelWidth[0];
      *h = s.levelHeight[0];
      return Status::Ok();
    case 2:
      *w = s.channelWidth;
      *h = s.channelHeight;
      return Status::Ok();
    default:
      return ArgumentError("resolution " + std::to_string(resolution) +
                           " is not supported for RGB output (2, 4, 8 or 16)");
  }
}

Status GprDecoder::DecodeRaw(int resolution, int threads, RawImage* out) const {
  uint32_t w = 0, h = 0;
  GPR_RETURN_IF_ERROR(RawSize(resolution, &w, &h));
  GPR_RETURN_IF_ERROR(Alloc(&out->data, size_t(w) * h, "the RAW output"));
  out->width = w;
  out->height = h;
  Status st = DecodeRawInto(resolution, threads, out->data.data(), out->data.size());
  if (!st.ok()) *out = RawImage();
  return st;
}

Status GprDecoder::DecodeRawInto(int resolution, int threads, uint16_t* buf, size_t samples) const {
  uint32_t w0 = 0, h0 = 0;
  GPR_RETURN_IF_ERROR(RawSize(resolution, &w0, &h0));
  if (samples != size_t(w0) * h0)
    return ArgumentError("output buffer has " + std::to_string(samples) + " samples, expected " +
                         std::to_string(size_t(w0) * h0));
  if (threads < 1 || threads > static_cast<int>(kMaxDecodeThreads))
    return ArgumentError("threads must be 1.." + std::to_string(kMaxDecodeThreads) + ", got " +
                         std::to_string(threads));
  const Vc5Stream& s = stream_;
  const uint32_t W = info_.width, H = info_.height;
  const uint8_t* padded = payload_.data();
  // Channels are independent. Each worker takes the next channel in order of decreasing payload (a cheap cost
  // estimate), so two threads finish close together. Channel rows land side by side in the output; with one worker
  // the Bayer rearrangement of each cell row runs right after channel 3 wrote it, while it is still in cache,
  // otherwise it is a separate (parallel) pass.
  const int workers = std::min(threads, kVc5ChannelCount);
  int order[kVc5ChannelCount] = {0, 1, 2, 3};
  uint64_t cost[kVc5ChannelCount] = {};
  for (int c = 0; c < kVc5ChannelCount; c++)
    for (int sb = 0; sb < kVc5SubbandCount; sb++) cost[c] += s.blocks[c][sb].payloadBytes;
  if (workers > 1)
    std::stable_sort(order, order + kVc5ChannelCount, [&cost](int a, int b) { return cost[a] > cost[b]; });
  std::atomic<int> next{0};
  struct FuseCtx {
    uint16_t* buf;
    uint32_t width;
    CfaPattern cfa;
  } fuse{buf, W, info_.cfa};
  auto fuseRows = [](void* ctx, uint32_t first, uint32_t count) {
    auto* f = static_cast<FuseCtx*>(ctx);
    ComponentRowsToBayer(f->buf, f->width, first, first + count, f->cfa);
  };
  Status st = RunParallel(workers, workers, [&](int) -> Status {
    std::unique_ptr<DecodeWorkspace> ws = AcquireWorkspace();
    if (!ws) return LimitError("out of memory allocating a decode workspace");
    ChannelBands bands;
    GPR_RETURN_IF_ERROR(AllocBands(s, kVc5SubbandCount - 1, &ws->bands, &bands));
    LargeBuffer<int16_t>& ll1 = ws->levelA;
    LargeBuffer<int16_t>& ll0 = ws->levelB;
    if (!ll1.Reserve(size_t(s.levelWidth[1]) * s.levelHeight[1]) ||
        !ll0.Reserve(size_t(s.levelWidth[0]) * s.levelHeight[0]))
      return LimitError("out of memory allocating the wavelet levels");
    for (int k; (k = next.fetch_add(1)) < kVc5ChannelCount;) {
      const int c = order[k];
      GPR_RETURN_IF_ERROR(DecodeBands(padded, s, c, kVc5SubbandCount - 1, &bands));
      InverseWaveletLevel(bands.band(0), bands.band(1), bands.band(2), bands.band(3), s.levelWidth[2], s.levelHeight[2],
                          s.levelWidth[1], s.levelHeight[1], InverseOutput::kDescale, ll1.data(), s.levelWidth[1]);
      InverseWaveletLevel(ll1.data(), bands.band(4), bands.band(5), bands.band(6), s.levelWidth[1], s.levelHeight[1],
                          s.levelWidth[0], s.levelHeight[0], InverseOutput::kDescale, ll0.data(), s.levelWidth[0]);
      // Channel c's row y goes to samples [c * cw, (c + 1) * cw) of raw rows 2y..2y+1 (see ComponentRowsToBayer).
      uint16_t* rowBase = buf + size_t(c) * s.channelWidth;
      const bool last = workers == 1 && k == kVc5ChannelCount - 1;
      InverseWaveletLevelToRows(ll0.data(), bands.band(7), bands.band(8), bands.band(9), s.levelWidth[0],
                                s.levelHeight[0], s.channelWidth, s.channelHeight, rowBase, size_t(2) * W,
                                last ? +fuseRows : nullptr, last ? &fuse : nullptr);
    }
    ReleaseWorkspace(std::move(ws));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (workers == 1) return Status::Ok();
  const uint32_t cellRows = H / 2;
  const int parts = std::min<int>(threads, 8);
  RunParallel(parts, parts, [&](int p) -> Status {
    uint32_t begin = uint32_t(uint64_t(cellRows) * p / parts), end = uint32_t(uint64_t(cellRows) * (p + 1) / parts);
    ComponentRowsToBayer(buf, W, begin, end, info_.cfa);
    return Status::Ok();
  });
  return Status::Ok();
}

Status GprDecoder::DecodePlane(int c, int stop, DecodeWorkspace* ws, uint32_t* w, uint32_t* h) const {
  const Vc5Stream& s = stream_;
  static const int kLastSubband[4] = {9, 6, 3, 0};  // by stop level
  ChannelBands bands;
  GPR_RETURN_IF_ERROR(AllocBands(s, kLastSubband[stop], &ws->bands, &bands));
  GPR_RETURN_IF_ERROR(DecodeBands(payload_.data(), s, c, kLastSubband[stop], &bands));
  *w = s.levelWidth[2];
  *h = s.levelHeight[2];
  if (stop == 3) {
    if (!ws->levelA.Reserve(size_t(*w) * *h)) return LimitError("out of memory allocating the lowpass plane");
    std::copy(bands.band(0), bands.band(0) + size_t(*w) * *h, ws->levelA.data());
    ws->planeInA = true;
    return Status::Ok();
  }
  const int16_t* in = bands.band(0);
  bool toA = true;
  for (int k = 2; k >= stop; k--) {
    uint32_t ow = k > 0 ? s.levelWidth[k - 1] : s.channelWidth;
    uint32_t oh = k > 0 ? s.levelHeight[k - 1] : s.channelHeight;
    LargeBuffer<int16_t>& next = toA ? ws->levelA : ws->levelB;
    if (!next.Reserve(size_t(ow) * oh)) return LimitError("out of memory allocating a wavelet level");
    const int first = Vc5FirstHighpassSubband(k);
    InverseWaveletLevel(in, bands.band(first), bands.band(first + 1), bands.band(first + 2), s.levelWidth[k],
                        s.levelHeight[k], ow, oh, k > 0 ? InverseOutput::kDescale : InverseOutput::kFinal, next.data(),
                        ow);
    in = next.data();
    ws->planeInA = toA;
    toA = !toA;
    *w = ow;
    *h = oh;
  }
  return Status::Ok();
}

Status GprDecoder::DecodeRgb(int resolution, int bits, int threads, RgbImage* out) const {
  uint32_t w = 0, h = 0;
  GPR_RETURN_IF_ERROR(RgbSize(resolution, &w, &h));
  if (bits != 8 && bits != 16) return ArgumentError("bits must be 8 or 16, got " + std::to_string(bits));
  *out = RgbImage();
  out->width = w;
  out->height = h;
  out->bits = bits;
  size_t n = size_t(w) * h * 3;
  void* dst;
  if (bits == 16) {
    GPR_RETURN_IF_ERROR(Alloc(&out->data16, n, "the RGB output"));
    dst = out->data16.data();
  } else {
    GPR_RETURN_IF_ERROR(Alloc(&out->data8, n, "the RGB output"));
    dst = out->data8.data();
  }
  Status st = DecodeRgbInto(resolution, bits, threads, dst, n);
  if (!st.ok()) *out = RgbImage();
  return st;
}

Status GprDecoder::DecodeRgbInto(int resolution, int bits, int threads, void* dst, size_t samples) const {
  uint32_t ew = 0, eh = 0;
  GPR_RETURN_IF_ERROR(RgbSize(resolution, &ew, &eh));
  const int stop = resolution == 16 ? 3 : resolution == 8 ? 2 : resolution == 4 ? 1 : 0;
  if (bits != 8 && bits != 16) return ArgumentError("bits must be 8 or 16, got " + std::to_string(bits));
  if (threads < 1 || threads > static_cast<int>(kMaxDecodeThreads))
    return ArgumentError("threads must be 1.." + std::to_string(kMaxDecodeThreads) + ", got " +
                         std::to_string(threads));
  if (samples != size_t(ew) * eh * 3)
    return ArgumentError("output buffer has " + std::to_string(samples) + " samples, expected " +
                         std::to_string(size_t(ew) * eh * 3));
  std::unique_ptr<DecodeWorkspace> ws[3];
  for (auto& w : ws) {
    w = AcquireWorkspace();
    if (!w) return LimitError("out of memory allocating a decode workspace");
  }
  uint32_t pw[3] = {}, ph[3] = {};
  GPR_RETURN_IF_ERROR(
      RunParallel(3, std::min(threads, 3), [&](int c) { return DecodePlane(c, stop, ws[c].get(), &pw[c], &ph[c]); }));
  const int16_t* planes[3] = {ws[0]->plane(), ws[1]->plane(), ws[2]->plane()};
  const int precision = stop == 0 ? 12 : 14;
  if (bits == 16)
    PlanesToRgb16(planes[0], planes[1], planes[2], ew, eh, precision, static_cast<uint16_t*>(dst));
  else
    PlanesToRgb8(planes[0], planes[1], planes[2], ew, eh, precision, GainsFromMetadata(metadata_),
                 static_cast<uint8_t*>(dst));
  for (auto& w : ws) ReleaseWorkspace(std::move(w));
  return Status::Ok();
}

}  // namespace leakproof::gpr
