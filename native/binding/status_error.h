// The one place codec Status codes become JS errors: an Error whose `code` is the GPR_E_* name (src/gpr maps it to
// GprError).
#pragma once
#include <napi.h>

#include <exception>

#include "gpr/gpr_status.h"

namespace leakproof::binding {

// A JS Error with the status's message and its GPR_E_* code, for throwing or for rejecting a promise.
Napi::Error StatusError(Napi::Env env, const gpr::Status& status);

// Throws StatusError(status) and returns undefined, for `return ThrowStatus(env, st);` in a binding function.
Napi::Value ThrowStatus(Napi::Env env, const gpr::Status& status);

// The Status a C++ exception caught at an entry or in a promise worker becomes (ARCHITECTURE.md, "C++ exceptions"):
// the only ones the rule allows are resource exhaustion (std::bad_alloc, std::length_error, std::system_error from
// starting a thread), GPR_E_LIMIT; any other std::exception is a bug, reported as GPR_E_LIMIT too, with its what().
gpr::Status StatusFromException(const std::exception& e);

// The same for an exception that is not a std::exception.
gpr::Status UnknownExceptionStatus();

}  // namespace leakproof::binding
