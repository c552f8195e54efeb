// Test-only native functions: deliberate malloc and C++-container leaks, balanced churn, fd leaks, an allocation storm.
#include <napi.h>

#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <atomic>
#include <memory>
#include <new>
#include <thread>
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

// ---- native allocation sites (tests/unit/engine/nativeSites.test.ts): each allocation on its own marked line ----

// leakSited(bytes): like leakNative, but the malloc sits in a function of its own that is never inlined.
__attribute__((noinline)) static void* KeepForever(size_t n) {
  void* p = std::malloc(n);  // LEAK_SITE_MALLOC
  if (p) std::memset(p, 0x5A, n);
  g_leaked->push_back(p);
  return p;
}

static Napi::Value LeakSited(const Napi::CallbackInfo& info) {
  KeepForever(static_cast<size_t>(info[0].As<Napi::Number>().Int64Value()));
  return info.Env().Undefined();
}

// A C++ cache owned by a JS object: every insert keeps its bytes while the JS object lives. valgrind and ASan see
// nothing at exit (the memory is reachable, and freed when the object is collected).
class LeakyCache : public Napi::ObjectWrap<LeakyCache> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "LeakyCache", {InstanceMethod("insert", &LeakyCache::JsInsert), InstanceMethod("size", &LeakyCache::JsSize)});
  }
  explicit LeakyCache(const Napi::CallbackInfo& info) : Napi::ObjectWrap<LeakyCache>(info) {}

  __attribute__((noinline)) void Insert(size_t n) {
    entries_.push_back(std::make_unique<char[]>(n));  // LEAK_SITE_CACHE
    std::memset(entries_.back().get(), 0x3C, n);
  }

 private:
  Napi::Value JsInsert(const Napi::CallbackInfo& info) {
    Insert(static_cast<size_t>(info[0].As<Napi::Number>().Int64Value()));
    return info.Env().Undefined();
  }
  Napi::Value JsSize(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), static_cast<double>(entries_.size())); }
  std::vector<std::unique_ptr<char[]>> entries_;
};

// ---- allocation storm: threads that allocate and free through every hooked entry point until stopped ----
static std::vector<std::thread>* g_storm = new std::vector<std::thread>();
static std::atomic<bool> g_storm_stop{false};
static std::atomic<uint64_t> g_storm_ops{0};

__attribute__((noinline)) static void StormWorker(unsigned seed) {
  uint64_t x = 0x9E3779B97F4A7C15ull ^ seed;
  std::vector<void*> held(64, nullptr);
  std::vector<std::unique_ptr<char[]>> objects(16);
  uint64_t ops = 0;
  while (!g_storm_stop.load(std::memory_order_relaxed)) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    size_t i = x % held.size();
    size_t n = 1 + (x >> 8) % 20000;
    switch ((x >> 40) % 6) {
      case 0: std::free(held[i]); held[i] = std::malloc(n); break;
      case 1: std::free(held[i]); held[i] = std::calloc(1, n); break;
      case 2: { void* p = std::realloc(held[i], n); if (p) held[i] = p; break; }
      case 3: { std::free(held[i]); void* p = nullptr; held[i] = posix_memalign(&p, 64, n) == 0 ? p : nullptr; break; }
      case 4: std::free(held[i]); held[i] = aligned_alloc(64, (n + 63) & ~size_t{63}); break;
      default: objects[i % objects.size()] = std::make_unique<char[]>(n); break;
    }
    if (held[i]) static_cast<char*>(held[i])[0] = 1;
    ops++;
  }
  for (void* p : held) std::free(p);
  g_storm_ops.fetch_add(ops);
}

// startAllocStorm(threads): starts the threads and returns at once.
static Napi::Value StartAllocStorm(const Napi::CallbackInfo& info) {
  unsigned n = static_cast<unsigned>(info[0].As<Napi::Number>().Uint32Value());
  g_storm_stop.store(false);
  g_storm_ops.store(0);
  for (unsigned i = 0; i < n && i < 16; i++) g_storm->emplace_back(StormWorker, i + 1);
  return info.Env().Undefined();
}

// stopAllocStorm(): joins the threads; returns how many allocation operations they made.
static Napi::Value StopAllocStorm(const Napi::CallbackInfo& info) {
  g_storm_stop.store(true);
  for (auto& t : *g_storm) t.join();
  g_storm->clear();
  return Napi::Number::New(info.Env(), static_cast<double>(g_storm_ops.load()));
}

// foreignExternal(): an External that no other addon made, to check that a handle's type tag is checked.
static Napi::Value ForeignExternal(const Napi::CallbackInfo& info) {
  static int value = 42;
  return Napi::External<int>::New(info.Env(), &value);
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("foreignExternal", Napi::Function::New(env, ForeignExternal));
  exports.Set("leakNative", Napi::Function::New(env, LeakNative));
  exports.Set("churnNative", Napi::Function::New(env, ChurnNative));
  exports.Set("freeLeaked", Napi::Function::New(env, FreeLeaked));
  exports.Set("leakFd", Napi::Function::New(env, LeakFd));
  exports.Set("leakSited", Napi::Function::New(env, LeakSited));
  exports.Set("LeakyCache", LeakyCache::Define(env));
  exports.Set("startAllocStorm", Napi::Function::New(env, StartAllocStorm));
  exports.Set("stopAllocStorm", Napi::Function::New(env, StopAllocStorm));
  return exports;
}

NODE_API_MODULE(leakproof_testing, Init)
