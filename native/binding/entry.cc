// ExportCodec / ExportPlain (see entry.h): the only caller of InjectLeak() and the last catch of every entry.
#include "binding/entry.h"

#include <exception>
#include <string>

#include "binding/leak_injection.h"
#include "binding/status_error.h"

namespace leakproof::binding {

namespace {

// Napi::Error (a JS exception already raised, e.g. by a throwing getter on an options object) passes through to
// node-addon-api, which rethrows it in JS; anything else is caught here and never unwinds into Node.
template <bool kCodec>
Napi::Value Guarded(const Napi::CallbackInfo& info, EntryFn fn, const char* name) {
  Napi::Env env = info.Env();
  try {
    return fn(info);
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::exception& e) {
    if (kCodec) return ThrowStatus(env, StatusFromException(e));
    Napi::Error::New(env, std::string(name) + ": " + StatusFromException(e).message()).ThrowAsJavaScriptException();
  } catch (...) {
    if (kCodec) return ThrowStatus(env, UnknownExceptionStatus());
    Napi::Error::New(env, std::string(name) + ": " + UnknownExceptionStatus().message()).ThrowAsJavaScriptException();
  }
  return env.Undefined();
}

}  // namespace

void ExportCodec(Napi::Env env, Napi::Object exports, const char* name, EntryFn fn) {
  exports.Set(name, Napi::Function::New(
                        env,
                        [fn, name](const Napi::CallbackInfo& info) {
                          InjectLeak();  // test-only: no-op unless built with LEAKPROOF_INJECT_LEAK
                          return Guarded<true>(info, fn, name);
                        },
                        name));
}

void ExportPlain(Napi::Env env, Napi::Object exports, const char* name, EntryFn fn) {
  exports.Set(name,
              Napi::Function::New(
                  env, [fn, name](const Napi::CallbackInfo& info) { return Guarded<false>(info, fn, name); }, name));
}

}  // namespace leakproof::binding
