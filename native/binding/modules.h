// Binding modules: each adds its functions to the addon's exports.
#pragma once
#include <napi.h>

namespace leakproof::binding {
void InitProbe(Napi::Env env, Napi::Object exports);
void InitGpr(Napi::Env env, Napi::Object exports);
}  // namespace leakproof::binding
