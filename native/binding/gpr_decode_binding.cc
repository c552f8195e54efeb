// JS face of the GPR decoder: open (sync/async) returns an External handle that owns the native decoder (freed by
// its finalizer when JS drops it, or early by gprClose); decode functions fill V8-owned ArrayBuffers, either on the
// main thread or in a promise worker (promise_worker.h). Codec Status codes become errors with a `code` property
// (GPR_E_*), which src/gpr/GprImage.ts turns into GprError.
#include <napi.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "binding/entry.h"
#include "binding/modules.h"
#include "binding/promise_worker.h"
#include "binding/status_error.h"
#include "gpr/gpr_decoder.h"
#include "gpr/large_buffer.h"

namespace leakproof::binding {

using gpr::GprDecoder;
using gpr::Status;

namespace {

// What the External points to. close() drops the decoder; in-flight async decodes keep their own reference.
struct DecoderHandle {
  std::shared_ptr<const GprDecoder> decoder;
  int64_t accountedBytes = 0;
};

// The type tag of a DecoderHandle External (napi_type_tag_object, N-API 8): a value is taken for a GPR handle only
// when MakeHandle tagged it, so another addon's External or a forged value is an argument error, never a wild pointer.
// Arbitrary but fixed; a different addon build with the same tag is the only value that would pass.
constexpr napi_type_tag kDecoderHandleTag = {0x6c65616b70726f6fULL, 0x9f1c2a7e5b3d4e01ULL};

Napi::Value ThrowArg(Napi::Env env, const std::string& msg) {
  return ThrowStatus(env, Status(gpr::StatusCode::kArgument, msg));
}

void ReleaseAccounting(Napi::Env env, DecoderHandle* h) {
  if (h->accountedBytes) {
    Napi::MemoryManagement::AdjustExternalMemory(env, -h->accountedBytes);
    h->accountedBytes = 0;
  }
}

Napi::Value MakeHandle(Napi::Env env, std::unique_ptr<GprDecoder> dec) {
  auto* h = new DecoderHandle();
  h->accountedBytes = static_cast<int64_t>(dec->info().tileBytes);
  h->decoder = std::move(dec);
  Napi::MemoryManagement::AdjustExternalMemory(env, h->accountedBytes);
  Napi::External<DecoderHandle> handle = Napi::External<DecoderHandle>::New(env, h, [](Napi::Env e, DecoderHandle* p) {
    ReleaseAccounting(e, p);
    delete p;
  });
  handle.TypeTag(&kDecoderHandleTag);
  return handle;
}

// The DecoderHandle behind info[0], or nullptr after throwing GPR_E_ARGUMENT: not an External, or one this addon did
// not make (its type tag is checked before its pointer is used).
DecoderHandle* HandleArg(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsExternal() ||
      !info[0].As<Napi::External<DecoderHandle>>().CheckTypeTag(&kDecoderHandleTag)) {
    ThrowArg(info.Env(), "expected a GPR handle");
    return nullptr;
  }
  return info[0].As<Napi::External<DecoderHandle>>().Data();
}

// The open decoder behind info[0], or nullptr after throwing (GPR_E_CLOSED / argument error).
std::shared_ptr<const GprDecoder> GetDecoder(const Napi::CallbackInfo& info) {
  DecoderHandle* h = HandleArg(info);
  if (h == nullptr) return nullptr;
  if (!h->decoder) {
    ThrowStatus(info.Env(), Status(gpr::StatusCode::kClosed, "the GprImage is closed"));
    return nullptr;
  }
  return h->decoder;
}

bool GetBytes(const Napi::CallbackInfo& info, size_t index, std::vector<uint8_t>* out) {
  Napi::Env env = info.Env();
  if (info.Length() <= index || !info[index].IsTypedArray()) {
    ThrowArg(env, "input must be a Buffer or Uint8Array");
    return false;
  }
  Napi::TypedArray ta = info[index].As<Napi::TypedArray>();
  if (ta.TypedArrayType() != napi_uint8_array) {
    ThrowArg(env, "input must be a Buffer or Uint8Array");
    return false;
  }
  Napi::Uint8Array u8 = info[index].As<Napi::Uint8Array>();
  out->assign(u8.Data(), u8.Data() + u8.ElementLength());
  return true;
}

bool GetInt(const Napi::CallbackInfo& info, size_t index, const char* name, int* out) {
  if (info.Length() <= index || !info[index].IsNumber()) {
    ThrowArg(info.Env(), std::string(name) + " must be a number");
    return false;
  }
  *out = info[index].As<Napi::Number>().Int32Value();
  return true;
}

const char* CfaName(gpr::CfaPattern c) {
  return c == gpr::CfaPattern::kRggb ? "RGGB" : c == gpr::CfaPattern::kGbrg ? "GBRG" : "OTHER";
}

double Ratio(const gpr::Rational& r) { return r.den ? double(r.num) / r.den : 0.0; }
double Ratio(const gpr::SRational& r) { return r.den ? double(r.num) / r.den : 0.0; }

template <typename R>
Napi::Array Ratios(Napi::Env env, const R* r, size_t n) {
  Napi::Array a = Napi::Array::New(env, n);
  for (size_t i = 0; i < n; i++) a.Set(static_cast<uint32_t>(i), Napi::Number::New(env, Ratio(r[i])));
  return a;
}

Napi::Value BufferOf(Napi::Env env, const std::vector<uint8_t>& v) {
  return Napi::Buffer<uint8_t>::Copy(env, v.data(), v.size());
}

template <typename U>
Napi::Array Uints(Napi::Env env, const U* v, size_t n) {
  Napi::Array a = Napi::Array::New(env, n);
  for (size_t i = 0; i < n; i++) a.Set(static_cast<uint32_t>(i), Napi::Number::New(env, v[i]));
  return a;
}

// Verbatim TIFF entries (GPS IFD, EXIF tags without a field of their own) as {tag, type, count, bytes}.
Napi::Array Entries(Napi::Env env, const std::vector<gpr::RawTiffEntry>& v) {
  Napi::Array a = Napi::Array::New(env, v.size());
  for (size_t i = 0; i < v.size(); i++) {
    Napi::Object e = Napi::Object::New(env);
    e.Set("tag", v[i].tag);
    e.Set("type", v[i].type);
    e.Set("count", v[i].count);
    e.Set("bytes", BufferOf(env, v[i].bytes));
    a.Set(static_cast<uint32_t>(i), e);
  }
  return a;
}

Napi::Object InfoObject(Napi::Env env, const GprDecoder& d) {
  const gpr::GprInfo& i = d.info();
  const gpr::GprMetadata& m = d.metadata();
  Napi::Object o = Napi::Object::New(env);
  o.Set("width", i.width);
  o.Set("height", i.height);
  o.Set("cfaPattern", CfaName(i.cfa));
  o.Set("bitDepth", i.bitDepth);
  o.Set("blackLevel", m.blackLevel.empty() ? 0.0 : Ratio(m.blackLevel[0]));
  o.Set("whiteLevel", m.whiteLevel);
  o.Set("layout", i.layout == gpr::GprLayout::kIfd0 ? "ifd0" : "subifd");
  Napi::Object vc5 = Napi::Object::New(env);
  vc5.Set("channels", i.channels);
  vc5.Set("levels", i.levels);
  vc5.Set("channelWidth", i.channelWidth);
  vc5.Set("channelHeight", i.channelHeight);
  vc5.Set("prescaleShift", i.prescaleShift);
  Napi::Array q = Napi::Array::New(env, 10);
  for (uint32_t s = 0; s < 10; s++) q.Set(s, i.quantization[s]);
  vc5.Set("quantization", q);
  vc5.Set("payloadOffset", i.tileOffset);
  vc5.Set("payloadBytes", i.tileBytes);
  o.Set("vc5", vc5);
  return o;
}

Napi::Object MetadataObject(Napi::Env env, const gpr::GprMetadata& m) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("make", m.make);
  o.Set("model", m.model);
  o.Set("software", m.software);
  o.Set("cameraSerialNumber", m.cameraSerialNumber);
  o.Set("uniqueCameraModel", m.uniqueCameraModel);
  o.Set("imageDescription", m.imageDescription);
  o.Set("dateTime", m.dateTime);
  o.Set("dateTimeOriginal", m.dateTimeOriginal);
  o.Set("dateTimeDigitized", m.dateTimeDigitized);
  o.Set("orientation", m.orientation);
  o.Set("exposureTime", Ratio(m.exposureTime));
  {
    Napi::Array a = Napi::Array::New(env, 2);
    a.Set(0u, m.exposureTime.num);
    a.Set(1u, m.exposureTime.den);
    o.Set("exposureTimeRational", a);
  }
  o.Set("fNumber", Ratio(m.fNumber));
  o.Set("iso", m.iso);
  o.Set("focalLength", Ratio(m.focalLength));
  o.Set("focalLengthIn35mmFilm", m.focalLengthIn35mmFilm);
  o.Set("exposureBias", Ratio(m.exposureBias));
  o.Set("apertureValue", Ratio(m.apertureValue));
  o.Set("digitalZoomRatio", Ratio(m.digitalZoomRatio));
  o.Set("whiteBalance", m.whiteBalance);
  o.Set("cfaPattern", CfaName(m.cfa));
  Napi::Array bl = Napi::Array::New(env, m.blackLevel.size());
  for (size_t k = 0; k < m.blackLevel.size(); k++) bl.Set(static_cast<uint32_t>(k), Ratio(m.blackLevel[k]));
  o.Set("blackLevel", bl);
  o.Set("whiteLevel", m.whiteLevel);
  if (m.hasColorMatrix1) o.Set("colorMatrix1", Ratios(env, m.colorMatrix1, 9));
  if (m.hasColorMatrix2) o.Set("colorMatrix2", Ratios(env, m.colorMatrix2, 9));
  Napi::Array ill = Napi::Array::New(env, 2);
  ill.Set(0u, m.calibrationIlluminant1);
  ill.Set(1u, m.calibrationIlluminant2);
  o.Set("calibrationIlluminants", ill);
  if (m.hasAsShotNeutral) o.Set("asShotNeutral", Ratios(env, m.asShotNeutral, 3));
  if (m.hasAnalogBalance) o.Set("analogBalance", Ratios(env, m.analogBalance, 3));
  o.Set("baselineExposure", Ratio(m.baselineExposure));
  if (m.hasNoiseProfile) {
    Napi::Array np = Napi::Array::New(env, 2);
    np.Set(0u, m.noiseProfile[0]);
    np.Set(1u, m.noiseProfile[1]);
    o.Set("noiseProfile", np);
  }
  o.Set("dngVersion", std::to_string(m.dngVersion[0]) + "." + std::to_string(m.dngVersion[1]) + "." +
                          std::to_string(m.dngVersion[2]) + "." + std::to_string(m.dngVersion[3]));
  o.Set("gpmf", BufferOf(env, m.gpmf));
  o.Set("xmp", BufferOf(env, m.xmp));
  o.Set("opcodeList2", BufferOf(env, m.opcodeList2));
  o.Set("opcodeList3", BufferOf(env, m.opcodeList3));
  o.Set("hasGps", m.hasGps);
  // Every further field the writers take (encodeGpr's metadata, the DNG writer), so that metadata -> encodeGpr ->
  // open().metadata is the identity. Rationals as numbers like the fields above; TIFF entries kept verbatim.
  o.Set("localizedCameraModel", m.localizedCameraModel);
  o.Set("originalRawFileName", m.originalRawFileName);
  o.Set("profileName", m.profileName);
  o.Set("profileEmbedPolicy", m.profileEmbedPolicy);
  o.Set("hasExif", m.hasExif);
  o.Set("exposureProgram", m.exposureProgram);
  o.Set("maxApertureValue", Ratio(m.maxApertureValue));
  o.Set("meteringMode", m.meteringMode);
  o.Set("lightSource", m.lightSource);
  o.Set("flash", m.flash);
  o.Set("focalPlaneXResolution", Ratio(m.focalPlaneXResolution));
  o.Set("focalPlaneYResolution", Ratio(m.focalPlaneYResolution));
  o.Set("sensingMethod", m.sensingMethod);
  o.Set("fileSource", m.fileSource);
  o.Set("sceneType", m.sceneType);
  o.Set("exposureMode", m.exposureMode);
  o.Set("sceneCaptureType", m.sceneCaptureType);
  o.Set("gainControl", m.gainControl);
  o.Set("contrast", m.contrast);
  o.Set("saturation", m.saturation);
  o.Set("sharpness", m.sharpness);
  o.Set("otherExifEntries", Entries(env, m.otherExifEntries));
  o.Set("gpsEntries", Entries(env, m.gpsEntries));
  o.Set("blackLevelRepeatDim", Uints(env, m.blackLevelRepeatDim, 2));
  o.Set("defaultScale", Ratios(env, m.defaultScale, 2));
  o.Set("defaultCropOrigin", Ratios(env, m.defaultCropOrigin, 2));
  o.Set("defaultCropSize", Ratios(env, m.defaultCropSize, 2));
  if (m.hasActiveArea) o.Set("activeArea", Uints(env, m.activeArea, 4));
  if (m.hasDefaultUserCrop) o.Set("defaultUserCrop", Ratios(env, m.defaultUserCrop, 4));
  o.Set("bayerGreenSplit", m.bayerGreenSplit);
  o.Set("antiAliasStrength", Ratio(m.antiAliasStrength));
  o.Set("bestQualityScale", Ratio(m.bestQualityScale));
  o.Set("baselineNoise", Ratio(m.baselineNoise));
  o.Set("baselineSharpness", Ratio(m.baselineSharpness));
  o.Set("linearResponseLimit", Ratio(m.linearResponseLimit));
  o.Set("shadowScale", Ratio(m.shadowScale));
  o.Set("dngPrivateData", BufferOf(env, m.dngPrivateData));
  return o;
}

// gprOpen(bytes: Uint8Array): handle. Parses the caller's bytes in place (no JS runs meanwhile); the decoder keeps
// its own copy of the VC-5 payload only.
Napi::Value Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
    return ThrowArg(env, "input must be a Buffer or Uint8Array");
  Napi::Uint8Array u8 = info[0].As<Napi::Uint8Array>();
  std::unique_ptr<GprDecoder> dec;
  Status st = GprDecoder::Open(u8.Data(), u8.ElementLength(), &dec);
  if (!st.ok()) return ThrowStatus(env, st);
  return MakeHandle(env, std::move(dec));
}

// What an async open owns while it runs: its copy of the bytes, then the decoder made from them.
struct OpenState {
  std::vector<uint8_t> bytes;
  std::unique_ptr<GprDecoder> decoder;
};

// gprOpenAsync(bytes: Uint8Array): Promise<handle>   (the bytes are copied before returning)
Napi::Value OpenAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  OpenState state;
  if (!GetBytes(info, 0, &state.bytes)) return env.Undefined();
  return QueuePromise(
      env, "leakproof:gprOpen", std::move(state),
      [](OpenState& s) {
        Status st = GprDecoder::Open(s.bytes.data(), s.bytes.size(), &s.decoder);
        std::vector<uint8_t>().swap(s.bytes);
        return st;
      },
      [](Napi::Env e, OpenState& s) { return MakeHandle(e, std::move(s.decoder)); });
}

Napi::Value Close(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DecoderHandle* h = HandleArg(info);
  if (h == nullptr) return env.Undefined();
  h->decoder.reset();
  ReleaseAccounting(env, h);
  return env.Undefined();
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  auto d = GetDecoder(info);
  if (!d) return info.Env().Undefined();
  return InfoObject(info.Env(), *d);
}

Napi::Value Metadata(const Napi::CallbackInfo& info) {
  auto d = GetDecoder(info);
  if (!d) return info.Env().Undefined();
  return MetadataObject(info.Env(), d->metadata());
}

// What a decode call produces: { data: Uint16Array | Uint8Array, width, height[, channels: 3] }.
struct DecodeJob {
  bool rgb = false;
  int resolution = 1;
  int bits = 16;
  int threads = 1;
  uint32_t width = 0;
  uint32_t height = 0;
  size_t samples = 0;
  size_t bytes = 0;
};

// Validates the request and computes the output size; false after throwing.
bool PrepareJob(const Napi::CallbackInfo& info, bool rgb, const GprDecoder& d, DecodeJob* job) {
  Napi::Env env = info.Env();
  job->rgb = rgb;
  if (!GetInt(info, 1, "resolution", &job->resolution)) return false;
  if (rgb) {
    if (!GetInt(info, 2, "bits", &job->bits)) return false;
    if (!GetInt(info, 3, "threads", &job->threads)) return false;
  } else {
    if (!GetInt(info, 2, "threads", &job->threads)) return false;
  }
  Status st = rgb ? d.RgbSize(job->resolution, &job->width, &job->height)
                  : d.RawSize(job->resolution, &job->width, &job->height);
  if (st.ok() && rgb && job->bits != 8 && job->bits != 16) st = gpr::ArgumentError("bits must be 8 or 16");
  if (!st.ok()) {
    ThrowStatus(env, st);
    return false;
  }
  job->samples = size_t(job->width) * job->height * (rgb ? 3 : 1);
  job->bytes = job->samples * ((rgb && job->bits == 8) ? 1 : 2);
  return true;
}

Status RunJob(const GprDecoder& d, const DecodeJob& job, void* out) {
  if (job.rgb) return d.DecodeRgbInto(job.resolution, job.bits, job.threads, out, job.samples);
  return d.DecodeRawInto(job.resolution, job.threads, static_cast<uint16_t*>(out), job.samples);
}

// Output buffers are ordinary V8 ArrayBuffers, so they are freed by GC at once. (External buffers adopting our own
// memory were tried: their finalizers only run when the event loop turns, so a synchronous decode loop piled up
// one output per iteration.) V8 allocates large buffers as fresh zero pages; the decode writes every sample.
Napi::ArrayBuffer NewOutput(Napi::Env env, const DecodeJob& job) {
  Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(env, job.bytes);
  gpr::AdviseHugePages(ab.Data(), job.bytes);
  return ab;
}

Napi::Object ResultObject(Napi::Env env, const DecodeJob& job, Napi::ArrayBuffer ab) {
  Napi::Object o = Napi::Object::New(env);
  if (job.rgb && job.bits == 8)
    o.Set("data", Napi::Uint8Array::New(env, job.samples, ab, 0));
  else
    o.Set("data", Napi::Uint16Array::New(env, job.samples, ab, 0));
  o.Set("width", job.width);
  o.Set("height", job.height);
  if (job.rgb) {
    o.Set("channels", 3);
    o.Set("bits", job.bits);
  }
  return o;
}

Napi::Value DecodeSync(const Napi::CallbackInfo& info, bool rgb) {
  Napi::Env env = info.Env();
  auto d = GetDecoder(info);
  if (!d) return env.Undefined();
  DecodeJob job;
  if (!PrepareJob(info, rgb, *d, &job)) return env.Undefined();
  Napi::ArrayBuffer ab = NewOutput(env, job);
  Status st = RunJob(*d, job, ab.Data());
  if (!st.ok()) return ThrowStatus(env, st);
  return ResultObject(env, job, ab);
}

// What an async decode owns while it runs. The output ArrayBuffer is created on the main thread and kept alive by the
// reference; JS cannot see it until the promise resolves, so the worker thread is its only user meanwhile.
struct DecodeState {
  std::shared_ptr<const GprDecoder> decoder;
  DecodeJob job;
  void* out = nullptr;
  Napi::Reference<Napi::ArrayBuffer> buffer;
};

Napi::Value DecodeAsync(const Napi::CallbackInfo& info, bool rgb) {
  Napi::Env env = info.Env();
  auto d = GetDecoder(info);
  if (!d) return env.Undefined();
  DecodeJob job;
  if (!PrepareJob(info, rgb, *d, &job)) return env.Undefined();
  Napi::ArrayBuffer ab = NewOutput(env, job);
  DecodeState state{d, job, ab.Data(), Napi::Persistent(ab)};
  return QueuePromise(
      env, "leakproof:gprDecode", std::move(state), [](DecodeState& s) { return RunJob(*s.decoder, s.job, s.out); },
      [](Napi::Env e, DecodeState& s) {
        s.decoder.reset();
        return ResultObject(e, s.job, s.buffer.Value());
      });
}

// gprDecodeRaw(handle, resolution, threads) / gprDecodeRgb(handle, resolution, bits, threads) and their Async twins.
Napi::Value DecodeRaw(const Napi::CallbackInfo& info) { return DecodeSync(info, false); }
Napi::Value DecodeRgb(const Napi::CallbackInfo& info) { return DecodeSync(info, true); }
Napi::Value DecodeRawAsync(const Napi::CallbackInfo& info) { return DecodeAsync(info, false); }
Napi::Value DecodeRgbAsync(const Napi::CallbackInfo& info) { return DecodeAsync(info, true); }

}  // namespace

void InitGprDecode(Napi::Env env, Napi::Object exports) {
  ExportCodec(env, exports, "gprOpen", Open);
  ExportCodec(env, exports, "gprOpenAsync", OpenAsync);
  ExportPlain(env, exports, "gprClose", Close);
  ExportCodec(env, exports, "gprInfo", Info);
  ExportCodec(env, exports, "gprMetadata", Metadata);
  ExportCodec(env, exports, "gprDecodeRaw", DecodeRaw);
  ExportCodec(env, exports, "gprDecodeRawAsync", DecodeRawAsync);
  ExportCodec(env, exports, "gprDecodeRgb", DecodeRgb);
  ExportCodec(env, exports, "gprDecodeRgbAsync", DecodeRgbAsync);
}

}  // namespace leakproof::binding
