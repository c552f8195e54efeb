// The one place codec Status codes become JS errors (see status_error.h).
#include "binding/status_error.h"

namespace leakproof::binding {

Napi::Error StatusError(Napi::Env env, const gpr::Status& status) {
  Napi::Error err = Napi::Error::New(env, status.message());
  err.Set("code", Napi::String::New(env, gpr::StatusCodeName(status.code())));
  return err;
}

Napi::Value ThrowStatus(Napi::Env env, const gpr::Status& status) {
  StatusError(env, status).ThrowAsJavaScriptException();
  return env.Undefined();
}

}  // namespace leakproof::binding
