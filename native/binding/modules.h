// Binding modules: each adds its functions to the addon's exports.
#pragma once
#include <napi.h>

namespace leakproof::binding {
void InitProbe(Napi::Env env, Napi::Object exports);
void InitGprDecode(Napi::Env env, Napi::Object exports);  // gpr_decode_binding.cc: GprImage, metadata, decode
void InitGprEncode(Napi::Env env, Napi::Object exports);  // gpr_encode_binding.cc: encode, DNG writing, conversions
void InitGprLimits(Napi::Env env, Napi::Object exports);  // gpr_limits_binding.cc: gprLimits (gpr_limits.h)
void InitTracker(Napi::Env env, Napi::Object exports);    // tracker_binding.cc: native allocation sites
}  // namespace leakproof::binding
