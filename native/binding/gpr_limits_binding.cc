// JS face of native/gpr/gpr_limits.h: exports.gprLimits, a frozen object of the codec's documented limits, so that
// src/gpr checks arguments against the same numbers the codec enforces instead of copies.
#include <napi.h>

#include "binding/modules.h"
#include "gpr/gpr_limits.h"

namespace leakproof::binding {

void InitGprLimits(Napi::Env env, Napi::Object exports) {
  Napi::Object o = Napi::Object::New(env);
  auto set = [&](const char* name, double value) { o.Set(name, Napi::Number::New(env, value)); };
  set("minImageDimension", gpr::kMinImageDimension);
  set("maxImageWidth", gpr::kMaxImageWidth);
  set("maxImageHeight", gpr::kMaxImageHeight);
  set("maxImagePixels", static_cast<double>(gpr::kMaxImagePixels));
  set("maxVc5PayloadBytes", gpr::kMaxVc5PayloadBytes);
  set("maxInputBytes", static_cast<double>(gpr::kMaxInputBytes));
  set("maxMetadataBlockBytes", gpr::kMaxMetadataBlockBytes);
  set("maxIfdEntries", gpr::kMaxIfdEntries);
  set("maxIfdCount", gpr::kMaxIfdCount);
  set("maxDecodeThreads", gpr::kMaxDecodeThreads);
  o.Freeze();
  exports.Set("gprLimits", o);
}

}  // namespace leakproof::binding
