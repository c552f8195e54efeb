// JS face of the memory probe: fills a caller-owned Float64Array so sampling allocates nothing.
#include <napi.h>

#include "binding/entry.h"
#include "binding/modules.h"
#include "probe/memory_probe.h"

namespace leakproof::binding {

// readProbe(out: Float64Array, offset: number): out[offset] = native heap bytes, out[offset+1] = open fds.
static Napi::Value ReadProbe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsTypedArray() || !info[1].IsNumber()) {
    Napi::TypeError::New(env, "readProbe(out: Float64Array, offset: number)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::TypedArray ta = info[0].As<Napi::TypedArray>();
  if (ta.TypedArrayType() != napi_float64_array) {
    Napi::TypeError::New(env, "readProbe: out must be a Float64Array").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Float64Array out = info[0].As<Napi::Float64Array>();
  int64_t offset = info[1].As<Napi::Number>().Int64Value();
  if (offset < 0 || static_cast<size_t>(offset) + 2 > out.ElementLength()) {
    Napi::RangeError::New(env, "readProbe: offset out of range").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  out[static_cast<size_t>(offset)] = NativeHeapBytes();
  out[static_cast<size_t>(offset) + 1] = OpenFdCount();
  return env.Undefined();
}

static Napi::Value ProbeInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("nativeHeap", NativeHeapMethod());
  o.Set("fds", FdCountMethod());
  return o;
}

void InitProbe(Napi::Env env, Napi::Object exports) {
  ExportPlain(env, exports, "readProbe", ReadProbe);
  ExportPlain(env, exports, "probeInfo", ProbeInfo);
}

}  // namespace leakproof::binding
