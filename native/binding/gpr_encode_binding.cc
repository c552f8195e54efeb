// JS face of the GPR codec's encode side: VC-5/GPR encoding, DNG writing and reading, native container conversions.
// Every function has a sync form and a promise-worker form (promise_worker.h); errors are JS Errors carrying a GPR_E_*
// `code`.
#include <napi.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "binding/entry.h"
#include "binding/modules.h"
#include "binding/promise_worker.h"
#include "binding/status_error.h"
#include "gpr/convert.h"
#include "gpr/dng_writer.h"
#include "gpr/gpr_metadata.h"
#include "gpr/gpr_status.h"
#include "gpr/tiff_tags.h"
#include "gpr/vc5_encode.h"

namespace leakproof::binding {
namespace {

using gpr::Rational;
using gpr::SRational;
using gpr::Status;

Napi::Error ArgError(Napi::Env env, const std::string& message) {
  return StatusError(env, gpr::ArgumentError(message));
}

// Hands a byte vector to JS without copying: the Buffer owns it.
Napi::Buffer<uint8_t> ToBuffer(Napi::Env env, std::vector<uint8_t>&& bytes) {
  auto* holder = new std::vector<uint8_t>(std::move(bytes));
  if (holder->empty()) {
    delete holder;
    return Napi::Buffer<uint8_t>::New(env, 0);
  }
  return Napi::Buffer<uint8_t>::New(
      env, holder->data(), holder->size(), [](Napi::Env, uint8_t*, std::vector<uint8_t>* v) { delete v; }, holder);
}

// ---------------------------------------------------------------------------------------------------------
// Metadata: JS object <-> gpr::GprMetadata. Field names are the struct's; a rational is [num, den], {num, den}
// or a number; byte blocks are Buffers/Uint8Arrays; verbatim TIFF entries are {tag, type, count, bytes}.

// The [num, den] / {num, den} / {numerator, denominator} forms of a rational: both parts as numbers, unchecked.
static bool ReadFractionParts(const Napi::Value& v, double* num, double* den) {
  Napi::Value n, dn;
  if (v.IsArray()) {
    Napi::Array a = v.As<Napi::Array>();
    if (a.Length() != 2) return false;
    n = a.Get(0u);
    dn = a.Get(1u);
  } else if (v.IsObject()) {
    Napi::Object o = v.As<Napi::Object>();
    n = o.Has("num") ? o.Get("num") : o.Get("numerator");
    dn = o.Has("den") ? o.Get("den") : o.Get("denominator");
  } else {
    return false;
  }
  if (!n.IsNumber() || !dn.IsNumber()) return false;
  *num = n.As<Napi::Number>().DoubleValue();
  *den = dn.As<Napi::Number>().DoubleValue();
  return true;
}

bool ReadRational(const Napi::Value& v, Rational* out) {
  if (v.IsNumber()) {
    double d = v.As<Napi::Number>().DoubleValue();
    if (!std::isfinite(d) || d < 0) return false;
    if (d == std::floor(d) && d <= 4294967295.0) {
      *out = Rational{static_cast<uint32_t>(d), 1};
    } else {
      uint32_t den = 1000000;
      while (den > 1 && d * den > 4294967295.0) den /= 10;
      *out = Rational{static_cast<uint32_t>(std::llround(d * den)), den};
    }
    return true;
  }
  double a, b;
  if (!ReadFractionParts(v, &a, &b)) return false;
  if (a < 0 || b < 0 || a > 4294967295.0 || b > 4294967295.0 || a != std::floor(a) || b != std::floor(b)) return false;
  *out = Rational{static_cast<uint32_t>(a), static_cast<uint32_t>(b)};
  return true;
}

bool ReadSRational(const Napi::Value& v, SRational* out) {
  if (v.IsNumber()) {
    double d = v.As<Napi::Number>().DoubleValue();
    if (!std::isfinite(d) || std::fabs(d) > 2147.0) {
      if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) <= 2147483647.0) {
        *out = SRational{static_cast<int32_t>(d), 1};
        return true;
      }
      return false;
    }
    *out = SRational{static_cast<int32_t>(std::llround(d * 1000000)), 1000000};
    return true;
  }
  double a, b;
  if (!ReadFractionParts(v, &a, &b)) return false;
  if (std::fabs(a) > 2147483647.0 || std::fabs(b) > 2147483647.0 || a != std::floor(a) || b != std::floor(b)) {
    return false;
  }
  *out = SRational{static_cast<int32_t>(a), static_cast<int32_t>(b)};
  return true;
}

Napi::Array RationalToJs(Napi::Env env, const Rational& r) {
  Napi::Array a = Napi::Array::New(env, 2);
  a.Set(0u, Napi::Number::New(env, r.num));
  a.Set(1u, Napi::Number::New(env, r.den));
  return a;
}

Napi::Array SRationalToJs(Napi::Env env, const SRational& r) {
  Napi::Array a = Napi::Array::New(env, 2);
  a.Set(0u, Napi::Number::New(env, r.num));
  a.Set(1u, Napi::Number::New(env, r.den));
  return a;
}

bool ReadBytes(const Napi::Value& v, std::vector<uint8_t>* out) {
  if (!v.IsTypedArray()) return false;
  Napi::TypedArray ta = v.As<Napi::TypedArray>();
  if (ta.TypedArrayType() != napi_uint8_array) return false;
  Napi::Uint8Array u = v.As<Napi::Uint8Array>();
  out->assign(u.Data(), u.Data() + u.ElementLength());
  return true;
}

Napi::Buffer<uint8_t> BytesToJs(Napi::Env env, const std::vector<uint8_t>& b) {
  return Napi::Buffer<uint8_t>::Copy(env, b.data(), b.size());
}

// Reads the metadata object; returns an empty string on success, else what was wrong.
class MetadataReader {
 public:
  MetadataReader(Napi::Object o, gpr::GprMetadata* md) : o_(o), md_(md) {}

  std::string Read() {
    Str("make", &md_->make);
    Str("model", &md_->model);
    Str("software", &md_->software);
    Str("dateTime", &md_->dateTime);
    Str("imageDescription", &md_->imageDescription);
    Str("uniqueCameraModel", &md_->uniqueCameraModel);
    Str("localizedCameraModel", &md_->localizedCameraModel);
    Str("cameraSerialNumber", &md_->cameraSerialNumber);
    Str("originalRawFileName", &md_->originalRawFileName);
    Str("profileName", &md_->profileName);
    U16("orientation", &md_->orientation);
    U32("profileEmbedPolicy", &md_->profileEmbedPolicy);

    bool exif = false;
    exif |= Rat("exposureTime", &md_->exposureTime);
    exif |= Rat("fNumber", &md_->fNumber);
    exif |= U16("exposureProgram", &md_->exposureProgram);
    exif |= U32("iso", &md_->iso);
    exif |= Str("dateTimeOriginal", &md_->dateTimeOriginal);
    exif |= Str("dateTimeDigitized", &md_->dateTimeDigitized);
    exif |= Rat("apertureValue", &md_->apertureValue);
    exif |= SRat("exposureBias", &md_->exposureBias);
    exif |= Rat("maxApertureValue", &md_->maxApertureValue);
    exif |= U16("meteringMode", &md_->meteringMode);
    exif |= U16("lightSource", &md_->lightSource);
    exif |= U16("flash", &md_->flash);
    exif |= Rat("focalLength", &md_->focalLength);
    exif |= Rat("focalPlaneXResolution", &md_->focalPlaneXResolution);
    exif |= Rat("focalPlaneYResolution", &md_->focalPlaneYResolution);
    exif |= U16("sensingMethod", &md_->sensingMethod);
    exif |= U8("fileSource", &md_->fileSource);
    exif |= U8("sceneType", &md_->sceneType);
    exif |= U16("exposureMode", &md_->exposureMode);
    exif |= U16("whiteBalance", &md_->whiteBalance);
    exif |= Rat("digitalZoomRatio", &md_->digitalZoomRatio);
    exif |= U16("focalLengthIn35mmFilm", &md_->focalLengthIn35mmFilm);
    exif |= U16("sceneCaptureType", &md_->sceneCaptureType);
    exif |= U16("gainControl", &md_->gainControl);
    exif |= U16("contrast", &md_->contrast);
    exif |= U16("saturation", &md_->saturation);
    exif |= U16("sharpness", &md_->sharpness);
    exif |= Entries("otherExifEntries", &md_->otherExifEntries);
    if (o_.Has("hasExif") && o_.Get("hasExif").IsBoolean()) {
      md_->hasExif = o_.Get("hasExif").As<Napi::Boolean>().Value();
    } else if (exif) {
      md_->hasExif = true;
    }
    md_->hasGps = Entries("gpsEntries", &md_->gpsEntries) && !md_->gpsEntries.empty();

    std::vector<Rational> black;
    if (RatList("blackLevel", &black, 0)) md_->blackLevel = black;
    U16Pair("blackLevelRepeatDim", md_->blackLevelRepeatDim);
    U32("whiteLevel", &md_->whiteLevel);
    RatFixed("defaultScale", md_->defaultScale, 2);
    RatFixed("defaultCropOrigin", md_->defaultCropOrigin, 2);
    RatFixed("defaultCropSize", md_->defaultCropSize, 2);
    md_->hasActiveArea = U32Fixed("activeArea", md_->activeArea, 4);
    md_->hasDefaultUserCrop = RatFixed("defaultUserCrop", md_->defaultUserCrop, 4);
    U32("bayerGreenSplit", &md_->bayerGreenSplit);
    Rat("antiAliasStrength", &md_->antiAliasStrength);
    Rat("bestQualityScale", &md_->bestQualityScale);

    md_->hasColorMatrix1 = SRatFixed("colorMatrix1", md_->colorMatrix1, 9);
    md_->hasColorMatrix2 = SRatFixed("colorMatrix2", md_->colorMatrix2, 9);
    U16("calibrationIlluminant1", &md_->calibrationIlluminant1);
    U16("calibrationIlluminant2", &md_->calibrationIlluminant2);
    md_->hasAsShotNeutral = RatFixed("asShotNeutral", md_->asShotNeutral, 3);
    md_->hasAnalogBalance = RatFixed("analogBalance", md_->analogBalance, 3);
    SRat("baselineExposure", &md_->baselineExposure);
    Rat("baselineNoise", &md_->baselineNoise);
    Rat("baselineSharpness", &md_->baselineSharpness);
    Rat("linearResponseLimit", &md_->linearResponseLimit);
    Rat("shadowScale", &md_->shadowScale);
    md_->hasNoiseProfile = Doubles("noiseProfile", md_->noiseProfile, 2);

    Bytes("xmp", &md_->xmp);
    Bytes("opcodeList2", &md_->opcodeList2);
    Bytes("opcodeList3", &md_->opcodeList3);
    Bytes("dngPrivateData", &md_->dngPrivateData);
    Bytes("gpmf", &md_->gpmf);
    return error_;
  }

 private:
  // Each accessor: false when the field is absent/undefined/null; records an error when present but invalid.
  bool Present(const char* name, Napi::Value* v) {
    if (!o_.Has(name)) return false;
    *v = o_.Get(name);
    return !v->IsUndefined() && !v->IsNull();
  }
  void Fail(const char* name, const char* expected) {
    if (error_.empty()) error_ = std::string("metadata.") + name + " must be " + expected;
  }
  bool Str(const char* name, std::string* out) {
    Napi::Value v;
    if (!Present(name, &v)) return false;
    if (!v.IsString()) return Fail(name, "a string"), false;
    *out = v.As<Napi::String>().Utf8Value();
    if (out->find('\0') != std::string::npos) return Fail(name, "a string without NUL characters"), false;
    return true;
  }
  bool Num(const char* name, double max, double* out) {
    Napi::Value v;
    if (!Present(name, &v)) return false;
    if (!v.IsNumber()) return Fail(name, "a number"), false;
    double d = v.As<Napi::Number>().DoubleValue();
    if (!(d >= 0 && d <= max && d == std::floor(d))) return Fail(name, "a non-negative integer in range"), false;
    *out = d;
    return true;
  }
  bool U8(const char* name, uint8_t* out) {
    double d;
    if (!Num(name, 255, &d)) return false;
    *out = static_cast<uint8_t>(d);
    return true;
  }
  bool U16(const char* name, uint16_t* out) {
    double d;
    if (!Num(name, 65535, &d)) return false;
    *out = static_cast<uint16_t>(d);
    return true;
  }
  bool U32(const char* name, uint32_t* out) {
    double d;
    if (!Num(name, 4294967295.0, &d)) return false;
    *out = static_cast<uint32_t>(d);
    return true;
  }
  bool Rat(const char* name, Rational* out) {
    Napi::Value v;
    if (!Present(name, &v)) return false;
    if (!ReadRational(v, out)) return Fail(name, "a non-negative rational ([num, den], {num, den} or a number)"), false;
    return true;
  }
  bool SRat(const char* name, SRational* out) {
    Napi::Value v;
    if (!Present(name, &v)) return false;
    if (!ReadSRational(v, out)) return Fail(name, "a rational ([num, den], {num, den} or a number)"), false;
    return true;
  }
  bool RatList(const char* name, std::vector<Rational>* out, size_t exact) {
    Napi::Value v;
    if (!Present(name, &v)) return false;
    if (!v.IsArray()) return Fail(name, "an array of rationals"), false;
    Napi::Array a = v.As<Napi::Array>();
    if ((exact && a.Length() != exact) || a.Length() > 64) return Fail(name, "an array of the right length"), false;
    out->clear();
    for (uint32_t i = 0; i < a.Length(); ++i) {
      Rational r;
      if (!ReadRational(a.Get(i), &r)) return Fail(name, "an array of non-negative rationals"), false;
      out->push_back(r);
    }
    return true;
  }
  bool RatFixed(const char* name, Rational* out, size_t n) {
    std::vector<Rational> v;
    if (!RatList(name, &v, n)) return false;
    for (size_t i = 0; i < n; ++i) out[i] = v[i];
    return true;
  }
  bool SRatFixed(const char* name, SRational* out, size_t n) {
    Napi::Value v;
    if (!Present(name, &v)) return false;
    if (!v.IsArray() || v.As<Napi::Array>().Length() != n) return Fail(name, "an array of 9 rationals"), false;
    Napi::Array a = v.As<Napi::Array>();
    for (uint32_t i = 0; i < n; ++i) {
      if (!ReadSRational(a.Get(i), &out[i])) return Fail(name, "an array of rationals"), false;
    }
    return true;
  }
  bool U32Fixed(const char* name, uint32_t* out, size_t n) {
    Napi::Value v;
    if (!Present(name, &v)) return false;
    if (!v.IsArray() || v.As<Napi::Array>().Length() != n) return Fail(name, "an array of integers"), false;
    Napi::Array a = v.As<Napi::Array>();
    for (uint32_t i = 0; i < n; ++i) {
      Napi::Value x = a.Get(i);
      if (!x.IsNumber() || x.As<Napi::Number>().DoubleValue() < 0) return Fail(name, "an array of integers"), false;
      out[i] = x.As<Napi::Number>().Uint32Value();
    }
    return true;
  }
  bool U16Pair(const char* name, uint16_t* out) {
    uint32_t t[2];
    if (!U32Fixed(name, t, 2)) return false;
    out[0] = static_cast<uint16_t>(t[0]);
    out[1] = static_cast<uint16_t>(t[1]);
    return true;
  }
  bool Doubles(const char* name, double* out, size_t n) {
    Napi::Value v;
    if (!Present(name, &v)) return false;
    if (!v.IsArray() || v.As<Napi::Array>().Length() != n) return Fail(name, "an array of numbers"), false;
    Napi::Array a = v.As<Napi::Array>();
    for (uint32_t i = 0; i < n; ++i) {
      if (!a.Get(i).IsNumber()) return Fail(name, "an array of numbers"), false;
      out[i] = a.Get(i).As<Napi::Number>().DoubleValue();
    }
    return true;
  }
  bool Bytes(const char* name, std::vector<uint8_t>* out) {
    Napi::Value v;
    if (!Present(name, &v)) return false;
    if (!ReadBytes(v, out)) return Fail(name, "a Buffer or Uint8Array"), false;
    return true;
  }
  bool Entries(const char* name, std::vector<gpr::RawTiffEntry>* out) {
    Napi::Value v;
    if (!Present(name, &v)) return false;
    if (!v.IsArray()) return Fail(name, "an array of {tag, type, count, bytes}"), false;
    Napi::Array a = v.As<Napi::Array>();
    out->clear();
    for (uint32_t i = 0; i < a.Length(); ++i) {
      if (!a.Get(i).IsObject()) return Fail(name, "an array of {tag, type, count, bytes}"), false;
      Napi::Object e = a.Get(i).As<Napi::Object>();
      gpr::RawTiffEntry r;
      if (!e.Get("tag").IsNumber() || !e.Get("type").IsNumber() || !e.Get("count").IsNumber() ||
          !ReadBytes(e.Get("bytes"), &r.bytes)) {
        return Fail(name, "an array of {tag, type, count, bytes}"), false;
      }
      r.tag = static_cast<uint16_t>(e.Get("tag").As<Napi::Number>().Uint32Value());
      r.type = static_cast<uint16_t>(e.Get("type").As<Napi::Number>().Uint32Value());
      r.count = e.Get("count").As<Napi::Number>().Uint32Value();
      // Types BYTE..DOUBLE (1..12); the IFD type is refused, a copied entry must not point into the old file.
      if (r.type == 0 || r.type > gpr::kTiffDouble ||
          static_cast<uint64_t>(r.count) * gpr::TiffTypeSize(r.type) != r.bytes.size()) {
        return Fail(name, "entries whose bytes hold count values of their type"), false;
      }
      out->push_back(std::move(r));
    }
    return true;
  }

  Napi::Object o_;
  gpr::GprMetadata* md_;
  std::string error_;
};

Napi::Array EntriesToJs(Napi::Env env, const std::vector<gpr::RawTiffEntry>& v) {
  Napi::Array a = Napi::Array::New(env, v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    Napi::Object e = Napi::Object::New(env);
    e.Set("tag", v[i].tag);
    e.Set("type", v[i].type);
    e.Set("count", v[i].count);
    e.Set("bytes", BytesToJs(env, v[i].bytes));
    a.Set(static_cast<uint32_t>(i), e);
  }
  return a;
}

template <typename T, typename F>
Napi::Array ListToJs(Napi::Env env, const T* p, size_t n, F f) {
  Napi::Array a = Napi::Array::New(env, n);
  for (size_t i = 0; i < n; ++i) a.Set(static_cast<uint32_t>(i), f(env, p[i]));
  return a;
}

Napi::Object MetadataToJs(Napi::Env env, const gpr::GprMetadata& m) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("make", m.make);
  o.Set("model", m.model);
  o.Set("software", m.software);
  o.Set("dateTime", m.dateTime);
  o.Set("imageDescription", m.imageDescription);
  o.Set("uniqueCameraModel", m.uniqueCameraModel);
  o.Set("localizedCameraModel", m.localizedCameraModel);
  o.Set("cameraSerialNumber", m.cameraSerialNumber);
  o.Set("originalRawFileName", m.originalRawFileName);
  o.Set("profileName", m.profileName);
  o.Set("orientation", m.orientation);
  o.Set("profileEmbedPolicy", m.profileEmbedPolicy);
  o.Set("hasExif", m.hasExif);
  if (m.hasExif) {
    o.Set("exposureTime", RationalToJs(env, m.exposureTime));
    o.Set("fNumber", RationalToJs(env, m.fNumber));
    o.Set("exposureProgram", m.exposureProgram);
    o.Set("iso", m.iso);
    o.Set("dateTimeOriginal", m.dateTimeOriginal);
    o.Set("dateTimeDigitized", m.dateTimeDigitized);
    o.Set("apertureValue", RationalToJs(env, m.apertureValue));
    o.Set("exposureBias", SRationalToJs(env, m.exposureBias));
    o.Set("maxApertureValue", RationalToJs(env, m.maxApertureValue));
    o.Set("meteringMode", m.meteringMode);
    o.Set("lightSource", m.lightSource);
    o.Set("flash", m.flash);
    o.Set("focalLength", RationalToJs(env, m.focalLength));
    o.Set("focalPlaneXResolution", RationalToJs(env, m.focalPlaneXResolution));
    o.Set("focalPlaneYResolution", RationalToJs(env, m.focalPlaneYResolution));
    o.Set("sensingMethod", m.sensingMethod);
    o.Set("fileSource", m.fileSource);
    o.Set("sceneType", m.sceneType);
    o.Set("exposureMode", m.exposureMode);
    o.Set("whiteBalance", m.whiteBalance);
    o.Set("digitalZoomRatio", RationalToJs(env, m.digitalZoomRatio));
    o.Set("focalLengthIn35mmFilm", m.focalLengthIn35mmFilm);
    o.Set("sceneCaptureType", m.sceneCaptureType);
    o.Set("gainControl", m.gainControl);
    o.Set("contrast", m.contrast);
    o.Set("saturation", m.saturation);
    o.Set("sharpness", m.sharpness);
    o.Set("otherExifEntries", EntriesToJs(env, m.otherExifEntries));
  }
  if (m.hasGps) o.Set("gpsEntries", EntriesToJs(env, m.gpsEntries));
  o.Set("cfaPattern", m.cfa == gpr::CfaPattern::kRggb ? "RGGB" : (m.cfa == gpr::CfaPattern::kGbrg ? "GBRG" : "other"));
  o.Set("blackLevel", ListToJs(env, m.blackLevel.data(), m.blackLevel.size(), RationalToJs));
  o.Set("blackLevelRepeatDim",
        ListToJs(env, m.blackLevelRepeatDim, 2, [](Napi::Env e, uint16_t v) { return Napi::Number::New(e, v); }));
  o.Set("whiteLevel", m.whiteLevel);
  o.Set("defaultScale", ListToJs(env, m.defaultScale, 2, RationalToJs));
  o.Set("defaultCropOrigin", ListToJs(env, m.defaultCropOrigin, 2, RationalToJs));
  o.Set("defaultCropSize", ListToJs(env, m.defaultCropSize, 2, RationalToJs));
  if (m.hasActiveArea) {
    o.Set("activeArea",
          ListToJs(env, m.activeArea, 4, [](Napi::Env e, uint32_t v) { return Napi::Number::New(e, v); }));
  }
  if (m.hasDefaultUserCrop) o.Set("defaultUserCrop", ListToJs(env, m.defaultUserCrop, 4, RationalToJs));
  o.Set("bayerGreenSplit", m.bayerGreenSplit);
  o.Set("antiAliasStrength", RationalToJs(env, m.antiAliasStrength));
  o.Set("bestQualityScale", RationalToJs(env, m.bestQualityScale));
  if (m.hasColorMatrix1) o.Set("colorMatrix1", ListToJs(env, m.colorMatrix1, 9, SRationalToJs));
  if (m.hasColorMatrix2) o.Set("colorMatrix2", ListToJs(env, m.colorMatrix2, 9, SRationalToJs));
  o.Set("calibrationIlluminant1", m.calibrationIlluminant1);
  o.Set("calibrationIlluminant2", m.calibrationIlluminant2);
  if (m.hasAsShotNeutral) o.Set("asShotNeutral", ListToJs(env, m.asShotNeutral, 3, RationalToJs));
  if (m.hasAnalogBalance) o.Set("analogBalance", ListToJs(env, m.analogBalance, 3, RationalToJs));
  o.Set("baselineExposure", SRationalToJs(env, m.baselineExposure));
  o.Set("baselineNoise", RationalToJs(env, m.baselineNoise));
  o.Set("baselineSharpness", RationalToJs(env, m.baselineSharpness));
  o.Set("linearResponseLimit", RationalToJs(env, m.linearResponseLimit));
  o.Set("shadowScale", RationalToJs(env, m.shadowScale));
  if (m.hasNoiseProfile) {
    o.Set("noiseProfile",
          ListToJs(env, m.noiseProfile, 2, [](Napi::Env e, double v) { return Napi::Number::New(e, v); }));
  }
  if (!m.xmp.empty()) o.Set("xmp", BytesToJs(env, m.xmp));
  if (!m.opcodeList2.empty()) o.Set("opcodeList2", BytesToJs(env, m.opcodeList2));
  if (!m.opcodeList3.empty()) o.Set("opcodeList3", BytesToJs(env, m.opcodeList3));
  if (!m.dngPrivateData.empty()) o.Set("dngPrivateData", BytesToJs(env, m.dngPrivateData));
  if (!m.gpmf.empty()) o.Set("gpmf", BytesToJs(env, m.gpmf));
  return o;
}

// ---------------------------------------------------------------------------------------------------------
// Argument parsing shared by the sync and async forms.

struct EncodeJob {
  gpr::Vc5EncodeOptions opts;
  Napi::ObjectReference dataRef;  // keeps the caller's Uint16Array alive during async work
  const uint16_t* data = nullptr;
  size_t samples = 0;
  bool container = true;  // full GPR file, or the bare VC-5 payload
  gpr::GprMetadata metadata;
};

uint32_t OptU32(const Napi::Object& o, const char* name, uint32_t def) {
  Napi::Value v = o.Get(name);
  return v.IsNumber() ? v.As<Napi::Number>().Uint32Value() : def;
}

// (data: Uint16Array, options: {width, height, bitDepth, cfaPattern, quality, threads, container, metadata})
// Argument shapes are checked in TS first; this re-checks what native code relies on.
bool ParseEncodeArgs(const Napi::CallbackInfo& info, EncodeJob* job) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsTypedArray() || !info[1].IsObject() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint16_array) {
    ArgError(env, "encode(data: Uint16Array, options: object)").ThrowAsJavaScriptException();
    return false;
  }
  Napi::Uint16Array data = info[0].As<Napi::Uint16Array>();
  Napi::Object o = info[1].As<Napi::Object>();
  job->data = data.Data();
  job->samples = data.ElementLength();
  job->opts.width = OptU32(o, "width", 0);
  job->opts.height = OptU32(o, "height", 0);
  job->opts.bitDepth = static_cast<int>(OptU32(o, "bitDepth", 12));
  job->opts.threads = static_cast<int>(OptU32(o, "threads", 1));
  job->opts.quality = o.Get("quality").IsString() && o.Get("quality").As<Napi::String>().Utf8Value() == "fast"
                          ? gpr::EncodeQuality::kFast
                          : gpr::EncodeQuality::kFs1;
  std::string cfa = o.Get("cfaPattern").IsString() ? o.Get("cfaPattern").As<Napi::String>().Utf8Value() : "RGGB";
  if (cfa == "GBRG") {
    job->opts.cfa = gpr::CfaPattern::kGbrg;
  } else if (cfa != "RGGB") {
    ArgError(env, "cfaPattern must be 'RGGB' or 'GBRG'").ThrowAsJavaScriptException();
    return false;
  }
  job->container = !o.Get("container").IsBoolean() || o.Get("container").As<Napi::Boolean>().Value();
  job->metadata = gpr::DefaultGprMetadata(job->opts.bitDepth);
  if (o.Get("metadata").IsObject()) {
    // User metadata replaces the defaults field by field.
    std::string err = MetadataReader(o.Get("metadata").As<Napi::Object>(), &job->metadata).Read();
    if (!err.empty()) {
      ArgError(env, err).ThrowAsJavaScriptException();
      return false;
    }
  }
  const bool gbrg = job->opts.cfa == gpr::CfaPattern::kGbrg;
  job->metadata.cfa = job->opts.cfa;
  const uint8_t rggb[4] = {0, 1, 1, 2}, gbrg_b[4] = {1, 2, 0, 1};
  for (int i = 0; i < 4; ++i) job->metadata.cfaPatternBytes[i] = gbrg ? gbrg_b[i] : rggb[i];
  job->metadata.cfaRepeatPatternDim[0] = job->metadata.cfaRepeatPatternDim[1] = 2;
  job->dataRef = Napi::Persistent(info[0].As<Napi::Object>());
  return true;
}

Status RunEncode(const EncodeJob& job, std::vector<uint8_t>* out) {
  if (!job.container) return gpr::EncodeVc5(job.data, job.samples, job.opts, out, nullptr);
  return gpr::EncodeGprFile(job.data, job.samples, job.opts, job.metadata, out);
}

Napi::Value EncodeSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  EncodeJob job;
  if (!ParseEncodeArgs(info, &job)) return env.Undefined();
  std::vector<uint8_t> out;
  Status s = RunEncode(job, &out);
  if (!s.ok()) {
    StatusError(env, s).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return ToBuffer(env, std::move(out));
}

Napi::Value EncodeAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  // The job (and its reference to the input array) is released on the main thread with the worker.
  struct EncodeState {
    std::unique_ptr<EncodeJob> job;
    std::vector<uint8_t> out;
  } state{std::make_unique<EncodeJob>(), {}};
  if (!ParseEncodeArgs(info, state.job.get())) return env.Undefined();
  return QueuePromise(
      env, "leakproof.gpr.encode", std::move(state), [](EncodeState& s) { return RunEncode(*s.job, &s.out); },
      [](Napi::Env e, EncodeState& s) { return ToBuffer(e, std::move(s.out)); });
}

// ---------------------------------------------------------------------------------------------------------
// DNG writing from a mosaic, DNG reading, DNG -> GPR/DNG conversion.

bool ReadInputBytes(const Napi::CallbackInfo& info, size_t i, const uint8_t** data, size_t* size) {
  if (info.Length() <= i || !info[i].IsTypedArray() ||
      info[i].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    ArgError(info.Env(), "input must be a Buffer").ThrowAsJavaScriptException();
    return false;
  }
  Napi::Uint8Array u = info[i].As<Napi::Uint8Array>();
  *data = u.Data();
  *size = u.ElementLength();
  return true;
}

// writeDng(data: Uint16Array, options: {width, height, bitDepth, cfaPattern, metadata}) -> Buffer
Napi::Value WriteDngSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  EncodeJob job;
  if (!ParseEncodeArgs(info, &job)) return env.Undefined();
  const uint64_t n = static_cast<uint64_t>(job.opts.width) * job.opts.height;
  Status s = gpr::ValidateVc5EncodeOptions(job.opts);
  if (s.ok() && job.samples != n) {
    s = gpr::ArgumentError("data holds " + std::to_string(job.samples) + " samples, expected " + std::to_string(n));
  }
  std::vector<uint8_t> out;
  if (s.ok()) {
    gpr::RawMosaic m;
    m.width = job.opts.width;
    m.height = job.opts.height;
    m.samples.assign(job.data, job.data + job.samples);
    m.metadata = std::move(job.metadata);
    s = gpr::WriteDngFromMosaic(m, &out);
  }
  if (!s.ok()) {
    StatusError(env, s).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return ToBuffer(env, std::move(out));
}

// readDng(buffer) -> {width, height, data: Uint16Array, metadata}
Napi::Value ReadDngSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const uint8_t* data;
  size_t size;
  if (!ReadInputBytes(info, 0, &data, &size)) return env.Undefined();
  gpr::RawMosaic m;
  Status s = gpr::ReadUncompressedDng(data, size, &m);
  if (!s.ok()) {
    StatusError(env, s).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Object o = Napi::Object::New(env);
  o.Set("width", m.width);
  o.Set("height", m.height);
  Napi::Uint16Array arr = Napi::Uint16Array::New(env, m.samples.size());
  std::copy(m.samples.begin(), m.samples.end(), arr.Data());
  o.Set("data", arr);
  o.Set("metadata", MetadataToJs(env, m.metadata));
  return o;
}

// convert(buffer, {from: 'gpr'|'dng', to: 'gpr'|'dng'|'raw'|'ppm'|'rgb8', quality, threads, resolution, bits})
// -> Buffer, or {data, width, height} for 'rgb8'. The async form copies the input first.
struct ConvertJob {
  std::shared_ptr<std::vector<uint8_t>> input;  // async only: the copy of the caller's bytes
  Napi::ObjectReference borrowed;               // async with borrowInput: the caller's Buffer, kept alive, not copied
  const uint8_t* data = nullptr;
  size_t size = 0;
  bool isGpr = true;
  gpr::ConvertOptions opts;
  std::vector<uint8_t> out;
  uint32_t width = 0, height = 0;
  Status status;
};

bool ParseConvertArgs(const Napi::CallbackInfo& info, ConvertJob* job) {
  Napi::Env env = info.Env();
  if (!ReadInputBytes(info, 0, &job->data, &job->size)) return false;
  if (info.Length() < 2 || !info[1].IsObject()) {
    ArgError(env, "convert(input: Buffer, options: object)").ThrowAsJavaScriptException();
    return false;
  }
  Napi::Object o = info[1].As<Napi::Object>();
  auto str = [&](const char* k) { return o.Get(k).IsString() ? o.Get(k).As<Napi::String>().Utf8Value() : ""; };
  const std::string from = str("from"), to = str("to");
  if (from != "gpr" && from != "dng") {
    ArgError(env, "convert: from must be 'gpr' or 'dng'").ThrowAsJavaScriptException();
    return false;
  }
  job->isGpr = from == "gpr";
  if (to == "gpr")
    job->opts.to = gpr::ConvertTarget::kGpr;
  else if (to == "dng")
    job->opts.to = gpr::ConvertTarget::kDng;
  else if (to == "raw")
    job->opts.to = gpr::ConvertTarget::kRaw;
  else if (to == "ppm")
    job->opts.to = gpr::ConvertTarget::kPpm;
  else if (to == "rgb8")
    job->opts.to = gpr::ConvertTarget::kRgb8;
  else if (to == "jpg")
    job->opts.to = gpr::ConvertTarget::kJpeg;
  else {
    ArgError(env, "convert: unknown target '" + to + "'").ThrowAsJavaScriptException();
    return false;
  }
  job->opts.quality = str("quality") == "fast" ? gpr::EncodeQuality::kFast : gpr::EncodeQuality::kFs1;
  job->opts.threads = static_cast<int>(OptU32(o, "threads", 1));
  job->opts.resolution = static_cast<int>(OptU32(o, "resolution", 2));
  job->opts.bits = static_cast<int>(OptU32(o, "bits", 8));
  job->opts.jpegQuality = static_cast<int>(OptU32(o, "jpegQuality", 90));
  return true;
}

void RunConvert(ConvertJob* job) {
  job->status = gpr::ConvertImage(job->data, job->size, job->isGpr, job->opts, &job->out, &job->width, &job->height);
}

Napi::Value ConvertResult(Napi::Env env, ConvertJob* job) {
  if (job->opts.to != gpr::ConvertTarget::kRgb8) return ToBuffer(env, std::move(job->out));
  Napi::Object o = Napi::Object::New(env);
  o.Set("data", ToBuffer(env, std::move(job->out)));
  o.Set("width", job->width);
  o.Set("height", job->height);
  return o;
}

Napi::Value ConvertSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ConvertJob job;
  if (!ParseConvertArgs(info, &job)) return env.Undefined();
  RunConvert(&job);
  if (!job.status.ok()) {
    StatusError(env, job.status).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return ConvertResult(env, &job);
}

Napi::Value ConvertAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto job = std::make_unique<ConvertJob>();
  if (!ParseConvertArgs(info, job.get())) return env.Undefined();
  // borrowInput: the caller promises not to touch the bytes until the promise settles (convert() passes it for the
  // buffer it read from a file itself), so they are used in place: no copy of the input (24 MB for a DNG).
  Napi::Object o = info[1].As<Napi::Object>();
  if (o.Get("borrowInput").IsBoolean() && o.Get("borrowInput").As<Napi::Boolean>().Value()) {
    job->borrowed = Napi::Persistent(info[0].As<Napi::Object>());
  } else {
    job->input = std::make_shared<std::vector<uint8_t>>(job->data, job->data + job->size);
    job->data = job->input->data();
  }
  return QueuePromise(
      env, "leakproof.gpr.convert", std::move(job),
      [](std::unique_ptr<ConvertJob>& j) {
        RunConvert(j.get());
        return j->status;
      },
      [](Napi::Env e, std::unique_ptr<ConvertJob>& j) { return ConvertResult(e, j.get()); });
}

}  // namespace

void InitGprEncode(Napi::Env env, Napi::Object exports) {
  ExportCodec(env, exports, "gprEncode", EncodeSync);
  ExportCodec(env, exports, "gprEncodeAsync", EncodeAsync);
  ExportCodec(env, exports, "gprWriteDng", WriteDngSync);
  ExportCodec(env, exports, "gprReadDng", ReadDngSync);
  ExportCodec(env, exports, "gprConvert", ConvertSync);
  ExportCodec(env, exports, "gprConvertAsync", ConvertAsync);
}

}  // namespace leakproof::binding
