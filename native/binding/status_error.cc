// The one place codec Status codes become JS errors (see status_error.h).
#include "binding/status_error.h"

#include <new>
#include <stdexcept>
#include <string>
#include <system_error>

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

gpr::Status StatusFromException(const std::exception& e) {
  if (dynamic_cast<const std::bad_alloc*>(&e) != nullptr || dynamic_cast<const std::length_error*>(&e) != nullptr)
    return gpr::LimitError("out of memory: a native allocation failed (" + std::string(e.what()) + ")");
  if (dynamic_cast<const std::system_error*>(&e) != nullptr)
    return gpr::LimitError("out of system resources: " + std::string(e.what()));
  return gpr::LimitError("unexpected native exception: " + std::string(e.what()));
}

gpr::Status UnknownExceptionStatus() { return gpr::LimitError("unexpected native exception of unknown type"); }

}  // namespace leakproof::binding
