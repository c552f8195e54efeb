// JS face of the GPR codec (filled in by the GPR work; see native/gpr/).
#include <napi.h>

#include "binding/modules.h"

namespace leakproof::binding {

void InitGpr(Napi::Env env, Napi::Object exports) {
  (void)env;
  (void)exports;
}

}  // namespace leakproof::binding
