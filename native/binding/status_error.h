// The one place codec Status codes become JS errors: an Error whose `code` is the GPR_E_* name (src/gpr maps it to
// GprError).
#pragma once
#include <napi.h>

#include "gpr/gpr_status.h"

namespace leakproof::binding {

// A JS Error with the status's message and its GPR_E_* code, for throwing or for rejecting a promise.
Napi::Error StatusError(Napi::Env env, const gpr::Status& status);

// Throws StatusError(status) and returns undefined, for `return ThrowStatus(env, st);` in a binding function.
Napi::Value ThrowStatus(Napi::Env env, const gpr::Status& status);

}  // namespace leakproof::binding
