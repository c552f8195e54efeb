// Test-only leak injection for the injection proof (tests/integration/leak-injection.test.ts): compiled in only when
// LEAKPROOF_INJECT_LEAK is defined (a separate build, `npm run build:native:inject`); a no-op in every normal build.
#pragma once

namespace leakproof::binding {

#ifdef LEAKPROOF_INJECT_LEAK
// Allocates, touches and never frees LEAKPROOF_INJECT_LEAK_BYTES bytes (read once; 0 or unset = nothing).
void InjectLeak();
#else
inline void InjectLeak() {}
#endif

}  // namespace leakproof::binding
