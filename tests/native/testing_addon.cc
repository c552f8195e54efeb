// Test-only native functions: a deliberate malloc leak, balanced alloc/free churn, and fd leaks.
#include <napi.h>

#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

static std::vector<void*>* g_leaked = new std::vector<void*>();  // kept reachable so tools see "still reachable"

// leakNative(bytes): mallocs and touches `bytes` and never frees them.
static Napi::Value LeakNative(const Napi::CallbackInfo& info) {
  size_t n = static_cast<size_t>(info[0].As<Napi::Number>().Int64Value());
  void* p = std::malloc(n);
  if (p) std::memset(p, 0xAB, n);
  g_leaked->push_back(p);
  return info.Env().Undefined();
}

// churnNative(bytes): mallocs, touches and frees: must look clean.
static Napi::Value ChurnNative(const Napi::CallbackInfo& info) {
  size_t n = static_cast<size_t>(info[0].As<Napi::Number>().Int64Value());
  void* p = std::malloc(n);
  if (p) std::memset(p, 0xCD, n);
  volatile unsigned char sink = p ? static_cast<unsigned char*>(p)[n / 2] : 0;
  (void)sink;
  std::free(p);
  return info.Env().Undefined();
}

// freeLeaked(): releases everything leakNative kept (so one test file can clean up after itself).
static Napi::Value FreeLeaked(const Napi::CallbackInfo& info) {
  for (void* p : *g_leaked) std::free(p);
  g_leaked->clear();
  g_leaked->shrink_to_fit();
  return info.Env().Undefined();
}

// leakFd(): opens /dev/null and never closes it.
static Napi::Value LeakFd(const Napi::CallbackInfo& info) {
  int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  return Napi::Number::New(info.Env(), fd);
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("leakNative", Napi::Function::New(env, LeakNative));
  exports.Set("churnNative", Napi::Function::New(env, ChurnNative));
  exports.Set("freeLeaked", Napi::Function::New(env, FreeLeaked));
  exports.Set("leakFd", Napi::Function::New(env, LeakFd));
  return exports;
}

NODE_API_MODULE(leakproof_testing, Init)
