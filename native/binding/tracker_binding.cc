// JS face of the native allocation tracker: arm/disarm, the live samples as numbers, and address symbolization.
#include <napi.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "binding/entry.h"
#include "binding/modules.h"
#include "tracker/native_tracker.h"

#if defined(__linux__) && defined(__GLIBC__)
#include <cxxabi.h>
#include <dlfcn.h>
#include <link.h>
#define LEAKPROOF_HAVE_DLADDR1 1
#endif

namespace leakproof::binding {

namespace tr = leakproof::tracker;

// Values per sample in nativeTrackerSnapshot's array: weight, size, seq, depth, then kMaxFrames return addresses.
constexpr unsigned kStride = 4 + tr::kMaxFrames;

static Napi::Value TrackerInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* reason = nullptr;
  bool ok = tr::Available(&reason);
  Napi::Object o = Napi::Object::New(env);
  o.Set("available", ok);
  if (!ok) o.Set("reason", reason ? reason : "unavailable");
  o.Set("armed", tr::Armed());
  o.Set("maxFrames", static_cast<double>(tr::kMaxFrames));
  o.Set("tableSlots", static_cast<double>(tr::kTableSlots));
  return o;
}

// nativeTrackerArm(meanIntervalBytes): patches and starts sampling; returns the number of slots patched.
static Napi::Value TrackerArm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) {
    Napi::TypeError::New(env, "nativeTrackerArm(meanIntervalBytes: number)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  double interval = info[0].As<Napi::Number>().DoubleValue();
  if (!(interval >= 1 && interval <= 1024.0 * 1024 * 1024)) {
    Napi::RangeError::New(env, "nativeTrackerArm: meanIntervalBytes must be between 1 and 1 GiB")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const char* error = nullptr;
  int patched = tr::Arm(static_cast<size_t>(interval), &error);
  if (patched < 0) {
    Napi::Error::New(env, error ? error : "nativeTrackerArm failed").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::Number::New(env, patched);
}

static Napi::Value TrackerDisarm(const Napi::CallbackInfo& info) {
  tr::Disarm();
  return info.Env().Undefined();
}

static Napi::Value TrackerMark(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(tr::Mark()));
}

// nativeTrackerSnapshot(): { stride, data: Float64Array (kStride values per live sample), sampled, dropped, live,
// patched, skipped }.
static Napi::Value TrackerSnapshot(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  // Sized from the live count (plus room for samples landing meanwhile), not the whole table: this buffer is itself
  // allocated while armed.
  struct Ignore {
    Ignore() { tr::IgnoreThisThread(true); }
    ~Ignore() { tr::IgnoreThisThread(false); }
  } ignore;
  size_t room = static_cast<size_t>(tr::GetStats().live) + 4096;
  std::vector<tr::Sample> samples(room < tr::kTableSlots ? room : tr::kTableSlots);
  size_t n = tr::Snapshot(samples.data(), samples.size());
  Napi::Float64Array data = Napi::Float64Array::New(env, n * kStride);
  for (size_t i = 0; i < n; i++) {
    const tr::Sample& s = samples[i];
    size_t o = i * kStride;
    data[o] = s.weight;
    data[o + 1] = static_cast<double>(s.size);
    data[o + 2] = static_cast<double>(s.seq);
    data[o + 3] = static_cast<double>(s.depth);
    for (unsigned f = 0; f < tr::kMaxFrames; f++) data[o + 4 + f] = f < s.depth ? static_cast<double>(s.frames[f]) : 0;
  }
  tr::Stats st = tr::GetStats();
  Napi::Object o = Napi::Object::New(env);
  o.Set("stride", static_cast<double>(kStride));
  o.Set("data", data);
  o.Set("sampled", static_cast<double>(st.sampled));
  o.Set("dropped", static_cast<double>(st.dropped));
  o.Set("live", static_cast<double>(st.live));
  o.Set("patched", static_cast<double>(st.patched));
  o.Set("skipped", static_cast<double>(st.skipped));
  return o;
}

// nativeSymbolize(addresses: Float64Array): per address { object, objectBase, main, symbol?, symbolAddress? } (dladdr1;
// symbol demangled), or null when no loaded object holds it.
static Napi::Value Symbolize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    Napi::TypeError::New(env, "nativeSymbolize(addresses: Float64Array)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Float64Array in = info[0].As<Napi::Float64Array>();
  Napi::Array out = Napi::Array::New(env, in.ElementLength());
  for (size_t i = 0; i < in.ElementLength(); i++) {
    out.Set(static_cast<uint32_t>(i), env.Null());
#ifdef LEAKPROOF_HAVE_DLADDR1
    double a = in[i];
    if (!(a > 0 && a < 18446744073709551616.0)) continue;
    Dl_info dl{};
    link_map* map = nullptr;
    if (dladdr1(reinterpret_cast<void*>(static_cast<uintptr_t>(a)), &dl, reinterpret_cast<void**>(&map),
                RTLD_DL_LINKMAP) == 0)
      continue;
    Napi::Object o = Napi::Object::New(env);
    o.Set("object", dl.dli_fname ? dl.dli_fname : "");
    // The main executable (node): dladdr names it by argv[0], which is no path.
    o.Set("main", map != nullptr && map->l_name != nullptr && map->l_name[0] == '\0');
    o.Set("objectBase", static_cast<double>(map ? map->l_addr : reinterpret_cast<uintptr_t>(dl.dli_fbase)));
    if (dl.dli_sname) {
      int status = -1;
      char* demangled = abi::__cxa_demangle(dl.dli_sname, nullptr, nullptr, &status);
      o.Set("symbol", status == 0 && demangled ? demangled : dl.dli_sname);
      std::free(demangled);
      o.Set("symbolAddress", static_cast<double>(reinterpret_cast<uintptr_t>(dl.dli_saddr)));
    }
    out.Set(static_cast<uint32_t>(i), o);
#endif
  }
  return out;
}

// nativeDemangle(names: string[]): the C++ demangling of each name, or the name itself when it is not a mangled one.
static Napi::Value Demangle(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsArray()) {
    Napi::TypeError::New(env, "nativeDemangle(names: string[])").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Array in = info[0].As<Napi::Array>();
  Napi::Array out = Napi::Array::New(env, in.Length());
  for (uint32_t i = 0; i < in.Length(); i++) {
    Napi::Value v = in.Get(i);
    if (!v.IsString()) {
      out.Set(i, env.Null());
      continue;
    }
    std::string name = v.As<Napi::String>().Utf8Value();
#ifdef LEAKPROOF_HAVE_DLADDR1
    int status = -1;
    char* demangled = name.size() < 4096 ? abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status) : nullptr;
    out.Set(i, status == 0 && demangled ? std::string(demangled) : name);
    std::free(demangled);
#else
    out.Set(i, name);
#endif
  }
  return out;
}

void InitTracker(Napi::Env env, Napi::Object exports) {
  ExportPlain(env, exports, "nativeDemangle", Demangle);
  ExportPlain(env, exports, "nativeTrackerInfo", TrackerInfo);
  ExportPlain(env, exports, "nativeTrackerArm", TrackerArm);
  ExportPlain(env, exports, "nativeTrackerDisarm", TrackerDisarm);
  ExportPlain(env, exports, "nativeTrackerMark", TrackerMark);
  ExportPlain(env, exports, "nativeTrackerSnapshot", TrackerSnapshot);
  ExportPlain(env, exports, "nativeSymbolize", Symbolize);
}

}  // namespace leakproof::binding
