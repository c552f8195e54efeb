// JS face of the GPR codec's encode side (placeholder until the codec lands).
#include <napi.h>

#include "binding/modules.h"

namespace leakproof::binding {

void InitGprEncode(Napi::Env env, Napi::Object exports) {
  (void)env;
  (void)exports;
}

}  // namespace leakproof::binding
