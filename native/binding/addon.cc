// The addon's entry point: registers each binding module's exports.
#include <napi.h>

#include "binding/modules.h"

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  leakproof::binding::InitProbe(env, exports);
  leakproof::binding::InitGprDecode(env, exports);
  leakproof::binding::InitGprEncode(env, exports);
  leakproof::binding::InitGprLimits(env, exports);
  leakproof::binding::InitTracker(env, exports);
  return exports;
}

NODE_API_MODULE(leakproof, Init)
