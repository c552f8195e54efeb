// The one wrapper every exported function goes through: it applies the test-only leak injection to codec entries and
// turns a C++ exception that reaches the entry into a typed JS error (the rule in ARCHITECTURE.md, "C++ exceptions").
#pragma once
#include <napi.h>

namespace leakproof::binding {

using EntryFn = Napi::Value (*)(const Napi::CallbackInfo& info);

// exports[name] = a GPR codec entry: InjectLeak() first (a no-op unless built with LEAKPROOF_INJECT_LEAK, see
// leak_injection.h), then fn; an escaping std::exception becomes an Error with a GPR_E_* code (StatusFromException).
void ExportCodec(Napi::Env env, Napi::Object exports, const char* name, EntryFn fn);

// exports[name] = an entry that must not take part in the injection (gprClose, the probe, the tracker: measuring or
// releasing must not leak on its own); an escaping std::exception becomes a plain Error naming the function.
void ExportPlain(Napi::Env env, Napi::Object exports, const char* name, EntryFn fn);

}  // namespace leakproof::binding
