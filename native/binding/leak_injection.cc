// Test-only: the native half of the leak injection proof. Every GPR binding entry point calls InjectLeak(); in the
// LEAKPROOF_INJECT_LEAK build that malloc()s a known number of bytes per call and never frees them, so the bundled
// leak suites can show they notice a native leak of that size. Normal builds compile this file to nothing.
#include "binding/leak_injection.h"

#ifdef LEAKPROOF_INJECT_LEAK
#include <cstdlib>
#include <cstring>

namespace leakproof::binding {

namespace {

size_t BytesPerCall() {
  static const size_t bytes = [] {
    const char* s = std::getenv("LEAKPROOF_INJECT_LEAK_BYTES");
    if (s == nullptr || *s == '\0') return size_t{0};
    char* end = nullptr;
    unsigned long long v = std::strtoull(s, &end, 10);
    // Nonsense or absurd values (over 64 MiB per call) disable the injection rather than exhaust memory.
    if (end == s || *end != '\0' || v > (64ull << 20)) return size_t{0};
    return static_cast<size_t>(v);
  }();
  return bytes;
}

// The leaked blocks form a list (each block's first word points to the previous one) reachable from this global, so
// the compiler cannot drop the allocation and the memory stays in use: exactly what a forgotten free() looks like.
void* volatile g_leaked = nullptr;

}  // namespace

void InjectLeak() {
  size_t n = BytesPerCall();
  if (n == 0) return;
  if (n < sizeof(void*)) n = sizeof(void*);
  void* block = std::malloc(n);
  if (block == nullptr) return;
  std::memset(block, 0xA5, n);  // touch every page, so the bytes are resident and counted
  *static_cast<void**>(block) = g_leaked;
  g_leaked = block;
}

}  // namespace leakproof::binding

#endif  // LEAKPROOF_INJECT_LEAK
