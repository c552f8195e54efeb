// Native allocation tracker: in-process GOT patching, Poisson byte sampling, unwinder stacks, a lock-free live table.
#include "tracker/native_tracker.h"

#include <atomic>
#include <cmath>
#include <cstring>

#if defined(__linux__) && defined(__GLIBC__) && (defined(__x86_64__) || defined(__aarch64__))
#define LEAKPROOF_TRACKER_SUPPORTED 1
#endif

#ifdef LEAKPROOF_TRACKER_SUPPORTED
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <unwind.h>

#include <new>
#endif

namespace leakproof::tracker {

#ifndef LEAKPROOF_TRACKER_SUPPORTED

bool Available(const char** reason) {
  if (reason) *reason = "native allocation sites need Linux with glibc on x86-64 or AArch64";
  return false;
}
int Arm(size_t, const char** error) {
  Available(error);
  return -1;
}
void Disarm() {}
bool Armed() { return false; }
uint64_t Mark() { return 0; }
size_t Snapshot(Sample*, size_t) { return 0; }
Stats GetStats() { return Stats{0, 0, 0, 0, 0}; }
void IgnoreThisThread(bool) {}

#else

// Every function that can run inside a hook lives in this section, so the unwinder can tell the tracker's frames
// from the caller's by address (the linker defines __start_/__stop_ for a section named like a C identifier).
#define HOOK_CODE __attribute__((section("leakproof_tracker_hooks"), noinline))
extern "C" char __start_leakproof_tracker_hooks[];  // NOLINT
extern "C" char __stop_leakproof_tracker_hooks[];   // NOLINT

namespace {

#if defined(__x86_64__)
constexpr uint32_t kJumpSlot = R_X86_64_JUMP_SLOT;
constexpr uint32_t kGlobDat = R_X86_64_GLOB_DAT;
#else
constexpr uint32_t kJumpSlot = R_AARCH64_JUMP_SLOT;
constexpr uint32_t kGlobDat = R_AARCH64_GLOB_DAT;
#endif

// ---- the real functions, resolved once before the first patch (dlsym may allocate; never from a hook) ----
using MallocFn = void* (*)(size_t);
using CallocFn = void* (*)(size_t, size_t);
using ReallocFn = void* (*)(void*, size_t);
using FreeFn = void (*)(void*);
using PosixMemalignFn = int (*)(void**, size_t, size_t);
using AlignedFn = void* (*)(size_t, size_t);
using NewNothrowFn = void* (*)(size_t, const std::nothrow_t&);
using SizedDeleteFn = void (*)(void*, size_t);
using AlignedNewFn = void* (*)(size_t, std::align_val_t);
using AlignedDeleteFn = void (*)(void*, std::align_val_t);
using AlignedSizedDeleteFn = void (*)(void*, size_t, std::align_val_t);

struct Real {
  MallocFn malloc_;
  CallocFn calloc_;
  ReallocFn realloc_;
  FreeFn free_;
  PosixMemalignFn posix_memalign_;
  AlignedFn aligned_alloc_;
  AlignedFn memalign_;
  MallocFn new_;
  MallocFn new_array_;
  NewNothrowFn new_nothrow_;
  NewNothrowFn new_array_nothrow_;
  FreeFn delete_;
  FreeFn delete_array_;
  SizedDeleteFn delete_sized_;
  SizedDeleteFn delete_array_sized_;
  AlignedNewFn new_aligned_;
  AlignedNewFn new_array_aligned_;
  AlignedDeleteFn delete_aligned_;
  AlignedDeleteFn delete_array_aligned_;
  AlignedSizedDeleteFn delete_sized_aligned_;
  AlignedSizedDeleteFn delete_array_sized_aligned_;
};
Real g_real{};
bool g_resolved = false;

// ---- sampling state ----
std::atomic<bool> g_armed{false};
std::atomic<size_t> g_interval{64 * 1024};
std::atomic<uint64_t> g_seq{1};
std::atomic<uint64_t> g_sampled{0};
std::atomic<uint64_t> g_dropped{0};
// Signed: a Remove racing with the table reset of a later Arm() may briefly take it below zero.
std::atomic<int64_t> g_live{0};
// Bumped by every Arm(): a thread's countdown from an earlier arming (another interval) is redrawn.
std::atomic<unsigned> g_epoch{1};

struct ThreadState {
  int64_t countdown;
  uint64_t rng;
  unsigned epoch;
  bool busy;  // reentrancy guard: the hook is on this thread's stack
};
// Global-dynamic TLS: its first touch on a thread may make the loader allocate, but the loader and libc are never
// patched, so that allocation does not come back here.
thread_local ThreadState t_state{0, 0, 0, false};

// ---- the live table: open addressing keyed by block address; keys 0 empty, 1 tombstone, 2 being written ----
constexpr uintptr_t kEmpty = 0, kTomb = 1, kBusy = 2;
constexpr unsigned kProbes = 64;
// Keys live apart from the payloads: Arm() clears 256 KiB of keys, not the 7 MiB of stacks (which stay untouched,
// zero pages, until samples land there).
struct Slot {
  size_t size;
  double weight;
  uint64_t seq;
  unsigned depth;
  uintptr_t frames[kMaxFrames];
};
std::atomic<uintptr_t> g_keys[kTableSlots];
Slot g_table[kTableSlots];

HOOK_CODE unsigned SlotOf(uintptr_t p) {
  uint64_t h = static_cast<uint64_t>(p) * 0x9E3779B97F4A7C15ull;
  return static_cast<unsigned>(h >> 40) & (kTableSlots - 1);
}

struct Unwound {
  uintptr_t* frames;
  unsigned depth;
};

HOOK_CODE _Unwind_Reason_Code OnFrame(struct _Unwind_Context* ctx, void* arg) {
  auto* u = static_cast<Unwound*>(arg);
  uintptr_t ip = _Unwind_GetIP(ctx);
  if (ip == 0) return _URC_END_OF_STACK;
  auto lo = reinterpret_cast<uintptr_t>(__start_leakproof_tracker_hooks);
  auto hi = reinterpret_cast<uintptr_t>(__stop_leakproof_tracker_hooks);
  if (ip >= lo && ip < hi) return _URC_NO_REASON;  // the tracker's own frame
  u->frames[u->depth++] = ip;
  return u->depth >= kMaxFrames ? _URC_END_OF_STACK : _URC_NO_REASON;
}

HOOK_CODE void Remove(void* p) {
  auto key = reinterpret_cast<uintptr_t>(p);
  unsigned i = SlotOf(key);
  for (unsigned n = 0; n < kProbes; n++, i = (i + 1) & (kTableSlots - 1)) {
    uintptr_t k = g_keys[i].load(std::memory_order_acquire);
    if (k == kEmpty) return;
    if (k == key) {
      if (g_keys[i].compare_exchange_strong(k, kTomb, std::memory_order_acq_rel))
        g_live.fetch_sub(1, std::memory_order_relaxed);
      return;
    }
  }
}

HOOK_CODE void Insert(uintptr_t key, size_t size, double weight, const Unwound& u) {
  // One pass finds an existing entry for this address (its free was not seen: freed inside libc) or the first free
  // slot.
  unsigned i = SlotOf(key);
  int target = -1;
  bool replacing = false;
  for (unsigned n = 0; n < kProbes; n++, i = (i + 1) & (kTableSlots - 1)) {
    uintptr_t k = g_keys[i].load(std::memory_order_acquire);
    if (k == key) {
      target = static_cast<int>(i);
      replacing = true;
      break;
    }
    if ((k == kEmpty || k == kTomb) && target < 0) target = static_cast<int>(i);
    if (k == kEmpty) break;
  }
  for (int attempt = 0; attempt < 2 && target >= 0; attempt++) {
    Slot& s = g_table[target];
    std::atomic<uintptr_t>& slot_key = g_keys[target];
    uintptr_t expected = slot_key.load(std::memory_order_acquire);
    bool ok = replacing ? expected == key : (expected == kEmpty || expected == kTomb);
    if (ok && slot_key.compare_exchange_strong(expected, kBusy, std::memory_order_acq_rel)) {
      s.size = size;
      s.weight = weight;
      s.seq = g_seq.fetch_add(1, std::memory_order_relaxed);
      s.depth = u.depth;
      for (unsigned f = 0; f < u.depth; f++) s.frames[f] = u.frames[f];
      slot_key.store(key, std::memory_order_release);
      if (!replacing) g_live.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    // Another thread took the slot between the scan and the claim: fall back to a fresh scan for a free slot.
    replacing = false;
    target = -1;
    i = SlotOf(key);
    for (unsigned n = 0; n < kProbes; n++, i = (i + 1) & (kTableSlots - 1)) {
      uintptr_t k = g_keys[i].load(std::memory_order_acquire);
      if (k == kEmpty || k == kTomb) {
        target = static_cast<int>(i);
        break;
      }
    }
  }
  g_dropped.fetch_add(1, std::memory_order_relaxed);
}

HOOK_CODE uint64_t NextRandom(ThreadState& t) {
  // xorshift64*: no state outside the thread, no allocation.
  t.rng ^= t.rng >> 12;
  t.rng ^= t.rng << 25;
  t.rng ^= t.rng >> 27;
  return t.rng * 0x2545F4914F6CDD1Dull;
}

// Bytes until the next sample: exponential with the configured mean, so sampling is a Poisson process over bytes.
HOOK_CODE int64_t DrawCountdown(ThreadState& t) {
  double u = (static_cast<double>(NextRandom(t) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
  double mean = static_cast<double>(g_interval.load(std::memory_order_relaxed));
  double d = -std::log(u) * mean;
  return d < 1.0 ? 1 : static_cast<int64_t>(d);
}

HOOK_CODE void OnAlloc(void* p, size_t size) {
  if (p == nullptr || !g_armed.load(std::memory_order_relaxed)) return;
  ThreadState& t = t_state;
  if (t.busy) return;
  t.busy = true;
  unsigned epoch = g_epoch.load(std::memory_order_relaxed);
  if (t.epoch != epoch) {
    if (t.rng == 0) {
      timespec ts{};
      clock_gettime(CLOCK_MONOTONIC, &ts);
      t.rng = (reinterpret_cast<uintptr_t>(&t) ^ static_cast<uint64_t>(ts.tv_nsec) ^
               (static_cast<uint64_t>(ts.tv_sec) << 32)) |
              1;
    }
    t.epoch = epoch;
    t.countdown = DrawCountdown(t);
  }
  t.countdown -= static_cast<int64_t>(size);
  if (t.countdown <= 0) {
    t.countdown = DrawCountdown(t);
    // Sampled with probability 1 - exp(-size / mean): weighting by its inverse keeps the byte estimate unbiased.
    double mean = static_cast<double>(g_interval.load(std::memory_order_relaxed));
    double s = static_cast<double>(size == 0 ? 1 : size);
    double weight = s / -std::expm1(-s / mean);
    uintptr_t frames[kMaxFrames];
    Unwound u{frames, 0};
    _Unwind_Backtrace(OnFrame, &u);
    g_sampled.fetch_add(1, std::memory_order_relaxed);
    Insert(reinterpret_cast<uintptr_t>(p), size, weight, u);
  }
  t.busy = false;
}

HOOK_CODE void OnFree(void* p) {
  if (p != nullptr && g_live.load(std::memory_order_relaxed) > 0) Remove(p);
}

// ---- the hooks: always valid, armed or not (a caller may have cached a patched pointer) ----
HOOK_CODE void* HookMalloc(size_t n) {
  void* p = g_real.malloc_(n);
  OnAlloc(p, n);
  return p;
}
HOOK_CODE void* HookCalloc(size_t n, size_t m) {
  void* p = g_real.calloc_(n, m);
  OnAlloc(p, n * m);
  return p;
}
HOOK_CODE void* HookRealloc(void* old, size_t n) {
  // Dropped before the call: once realloc frees `old`, another thread may get the same address and sample it.
  OnFree(old);
  void* p = g_real.realloc_(old, n);
  OnAlloc(p, n);
  return p;
}
HOOK_CODE void HookFree(void* p) {
  OnFree(p);
  g_real.free_(p);
}
HOOK_CODE int HookPosixMemalign(void** out, size_t align, size_t n) {
  int rc = g_real.posix_memalign_(out, align, n);
  if (rc == 0 && out != nullptr) OnAlloc(*out, n);
  return rc;
}
HOOK_CODE void* HookAlignedAlloc(size_t align, size_t n) {
  void* p = g_real.aligned_alloc_(align, n);
  OnAlloc(p, n);
  return p;
}
HOOK_CODE void* HookMemalign(size_t align, size_t n) {
  void* p = g_real.memalign_(align, n);
  OnAlloc(p, n);
  return p;
}
// Marks the thread busy while the real operator new runs, also when it throws (bad_alloc unwinds through here).
struct NestedGuard {
  bool outer;
  HOOK_CODE NestedGuard() : outer(!t_state.busy) { t_state.busy = true; }
  HOOK_CODE ~NestedGuard() {
    if (outer) t_state.busy = false;
  }
};

// operator new/delete: libstdc++'s own new calls malloc through libstdc++'s (patched) GOT; the reentrancy guard keeps
// that one allocation from being sampled twice. A throwing new that throws never reaches OnAlloc.
HOOK_CODE void* HookNew(size_t n) {
  void* p;
  {
    NestedGuard guard;
    p = g_real.new_(n);
  }
  OnAlloc(p, n);
  return p;
}
HOOK_CODE void* HookNewArray(size_t n) {
  void* p;
  {
    NestedGuard guard;
    p = g_real.new_array_(n);
  }
  OnAlloc(p, n);
  return p;
}
HOOK_CODE void* HookNewNothrow(size_t n, const std::nothrow_t& tag) {
  void* p;
  {
    NestedGuard guard;
    p = g_real.new_nothrow_(n, tag);
  }
  OnAlloc(p, n);
  return p;
}
HOOK_CODE void* HookNewArrayNothrow(size_t n, const std::nothrow_t& tag) {
  void* p;
  {
    NestedGuard guard;
    p = g_real.new_array_nothrow_(n, tag);
  }
  OnAlloc(p, n);
  return p;
}
HOOK_CODE void HookDelete(void* p) {
  OnFree(p);
  g_real.delete_(p);
}
HOOK_CODE void HookDeleteArray(void* p) {
  OnFree(p);
  g_real.delete_array_(p);
}
HOOK_CODE void HookDeleteSized(void* p, size_t n) {
  OnFree(p);
  g_real.delete_sized_(p, n);
}
HOOK_CODE void HookDeleteArraySized(void* p, size_t n) {
  OnFree(p);
  g_real.delete_array_sized_(p, n);
}
// C++17 over-aligned new/delete.
HOOK_CODE void* HookNewAligned(size_t n, std::align_val_t a) {
  void* p;
  {
    NestedGuard guard;
    p = g_real.new_aligned_(n, a);
  }
  OnAlloc(p, n);
  return p;
}
HOOK_CODE void* HookNewArrayAligned(size_t n, std::align_val_t a) {
  void* p;
  {
    NestedGuard guard;
    p = g_real.new_array_aligned_(n, a);
  }
  OnAlloc(p, n);
  return p;
}
HOOK_CODE void HookDeleteAligned(void* p, std::align_val_t a) {
  OnFree(p);
  g_real.delete_aligned_(p, a);
}
HOOK_CODE void HookDeleteArrayAligned(void* p, std::align_val_t a) {
  OnFree(p);
  g_real.delete_array_aligned_(p, a);
}
HOOK_CODE void HookDeleteSizedAligned(void* p, size_t n, std::align_val_t a) {
  OnFree(p);
  g_real.delete_sized_aligned_(p, n, a);
}
HOOK_CODE void HookDeleteArraySizedAligned(void* p, size_t n, std::align_val_t a) {
  OnFree(p);
  g_real.delete_array_sized_aligned_(p, n, a);
}

struct HookEntry {
  const char* name;
  void** real;
  void* hook;
};
HookEntry g_hooks[] = {
    {"malloc", reinterpret_cast<void**>(&g_real.malloc_), reinterpret_cast<void*>(&HookMalloc)},
    {"calloc", reinterpret_cast<void**>(&g_real.calloc_), reinterpret_cast<void*>(&HookCalloc)},
    {"realloc", reinterpret_cast<void**>(&g_real.realloc_), reinterpret_cast<void*>(&HookRealloc)},
    {"free", reinterpret_cast<void**>(&g_real.free_), reinterpret_cast<void*>(&HookFree)},
    {"posix_memalign", reinterpret_cast<void**>(&g_real.posix_memalign_), reinterpret_cast<void*>(&HookPosixMemalign)},
    {"aligned_alloc", reinterpret_cast<void**>(&g_real.aligned_alloc_), reinterpret_cast<void*>(&HookAlignedAlloc)},
    {"memalign", reinterpret_cast<void**>(&g_real.memalign_), reinterpret_cast<void*>(&HookMemalign)},
    {"_Znwm", reinterpret_cast<void**>(&g_real.new_), reinterpret_cast<void*>(&HookNew)},
    {"_Znam", reinterpret_cast<void**>(&g_real.new_array_), reinterpret_cast<void*>(&HookNewArray)},
    {"_ZnwmRKSt9nothrow_t", reinterpret_cast<void**>(&g_real.new_nothrow_), reinterpret_cast<void*>(&HookNewNothrow)},
    {"_ZnamRKSt9nothrow_t", reinterpret_cast<void**>(&g_real.new_array_nothrow_),
     reinterpret_cast<void*>(&HookNewArrayNothrow)},
    {"_ZdlPv", reinterpret_cast<void**>(&g_real.delete_), reinterpret_cast<void*>(&HookDelete)},
    {"_ZdaPv", reinterpret_cast<void**>(&g_real.delete_array_), reinterpret_cast<void*>(&HookDeleteArray)},
    {"_ZdlPvm", reinterpret_cast<void**>(&g_real.delete_sized_), reinterpret_cast<void*>(&HookDeleteSized)},
    {"_ZdaPvm", reinterpret_cast<void**>(&g_real.delete_array_sized_), reinterpret_cast<void*>(&HookDeleteArraySized)},
    {"_ZnwmSt11align_val_t", reinterpret_cast<void**>(&g_real.new_aligned_), reinterpret_cast<void*>(&HookNewAligned)},
    {"_ZnamSt11align_val_t", reinterpret_cast<void**>(&g_real.new_array_aligned_),
     reinterpret_cast<void*>(&HookNewArrayAligned)},
    {"_ZdlPvSt11align_val_t", reinterpret_cast<void**>(&g_real.delete_aligned_),
     reinterpret_cast<void*>(&HookDeleteAligned)},
    {"_ZdaPvSt11align_val_t", reinterpret_cast<void**>(&g_real.delete_array_aligned_),
     reinterpret_cast<void*>(&HookDeleteArrayAligned)},
    {"_ZdlPvmSt11align_val_t", reinterpret_cast<void**>(&g_real.delete_sized_aligned_),
     reinterpret_cast<void*>(&HookDeleteSizedAligned)},
    {"_ZdaPvmSt11align_val_t", reinterpret_cast<void**>(&g_real.delete_array_sized_aligned_),
     reinterpret_cast<void*>(&HookDeleteArraySizedAligned)},
};
constexpr unsigned kHookCount = sizeof(g_hooks) / sizeof(g_hooks[0]);

bool ResolveReal() {
  if (g_resolved) return true;
  for (auto& h : g_hooks) {
    *h.real = dlsym(RTLD_DEFAULT, h.name);
    // Only the C allocator is required; a process without libstdc++ has no new/delete to patch (its slots are skipped).
    if (*h.real == nullptr && h.name[0] != '_') return false;
  }
  g_resolved = true;
  return true;
}

// ---- patching ----
constexpr unsigned kMaxPatches = 8192;
struct Patch {
  void** slot;
  void* original;
  uintptr_t relro_lo, relro_hi;  // page range to unprotect around the write, 0 when the slot is writable
};
Patch g_patches[kMaxPatches];
std::atomic<unsigned> g_patch_count{0};
std::atomic<unsigned> g_skipped{0};
bool g_patch_overflow = false;

bool EndsWith(const char* s, const char* suffix) {
  size_t a = std::strlen(s), b = std::strlen(suffix);
  return a >= b && std::strcmp(s + a - b, suffix) == 0;
}

// Objects never patched: the main executable (node, V8, libuv: out of scope, and their frames are never sites), the
// loader and libc (their internal allocations pair with internal frees we would not see), the unwinder the hooks call,
// sanitizer and valgrind runtimes (they are the allocator), and the vDSO.
bool Skipped(const char* name) {
  if (name == nullptr || name[0] == '\0') return true;
  const char* base = std::strrchr(name, '/');
  base = base ? base + 1 : name;
  static const char* const kPrefixes[] = {
      "linux-vdso", "linux-gate", "ld-linux", "ld64.so", "libc.so", "libc-", "libm.so", "libpthread", "libdl.so",
      "librt.so", "libgcc_s", "libasan", "libubsan", "liblsan", "libtsan", "libhwasan", "vgpreload", "libclang_rt",
      "libunwind",
      // Node built as a shared library (distribution packages): the same as the main executable.
      "libnode.so", "libv8", "libuv.so"};
  for (const char* p : kPrefixes)
    if (std::strncmp(base, p, std::strlen(p)) == 0) return true;
  return false;
}

// Returns false (nothing written) when a read-only page cannot be made writable.
bool WriteSlot(const Patch& p, void* value) {
  if (p.relro_lo != 0 &&
      mprotect(reinterpret_cast<void*>(p.relro_lo), p.relro_hi - p.relro_lo, PROT_READ | PROT_WRITE) != 0)
    return false;
  __atomic_store_n(p.slot, value, __ATOMIC_RELEASE);
  if (p.relro_lo != 0) mprotect(reinterpret_cast<void*>(p.relro_lo), p.relro_hi - p.relro_lo, PROT_READ);
  return true;
}

template <typename T>
T* DynPtr(const dl_phdr_info* info, ElfW(Addr) v) {
  // glibc relocates most d_ptr values of a loaded object in place; an unrelocated one is below the load address.
  return reinterpret_cast<T*>(v < info->dlpi_addr ? v + info->dlpi_addr : v);
}

// Code ranges of the homes of the process-wide allocator (libc, the C++ runtime, sanitizer/valgrind runtimes, a
// preloaded malloc), collected by a first dl_iterate_phdr pass. A slot bound into one of them is bound to the process
// allocator. Needed because dlsym's answer is not always the address a JUMP_SLOT holds: a non-PIE node takes &malloc,
// so the symbol's canonical address is node's PLT entry, while slots bind to libc (and ASan's free is an alias named
// __interceptor_free). No dladdr here: it takes the loader lock, and calling it inside dl_iterate_phdr (which holds the
// loader's write lock) could deadlock against a concurrent dlopen, which takes them in the other order.
struct Range {
  uintptr_t lo, hi;
};
constexpr unsigned kMaxHomeRanges = 64;
Range g_homes[kMaxHomeRanges];
unsigned g_home_count = 0;

bool IsHome(const char* name) {
  if (name == nullptr || name[0] == '\0') return false;
  const char* base = std::strrchr(name, '/');
  base = base ? base + 1 : name;
  static const char* const kHomes[] = {"libc.so",     "libc-",     "libstdc++",   "libc++",      "libasan",
                                       "libclang_rt", "vgpreload", "libjemalloc", "libtcmalloc", "libmimalloc"};
  for (const char* h : kHomes)
    if (std::strncmp(base, h, std::strlen(h)) == 0) return true;
  return false;
}

int CollectHomes(dl_phdr_info* info, size_t, void*) {
  if (!IsHome(info->dlpi_name)) return 0;
  for (int i = 0; i < info->dlpi_phnum && g_home_count < kMaxHomeRanges; i++) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X)) {
      uintptr_t lo = info->dlpi_addr + ph.p_vaddr;
      g_homes[g_home_count++] = Range{lo, lo + ph.p_memsz};
    }
  }
  return 0;
}

bool IsSystemAllocator(void* fn) {
  auto a = reinterpret_cast<uintptr_t>(fn);
  for (unsigned i = 0; i < g_home_count; i++)
    if (a >= g_homes[i].lo && a < g_homes[i].hi) return true;
  return false;
}

// The object's own address range (its PT_LOAD segments): an unresolved lazy JUMP_SLOT points back into it.
struct Extent {
  uintptr_t lo, hi;
};

// One pass over a relocation table. With apply == false it only checks that every allocator slot is patchable (bound to
// the process allocator, or not bound yet) and returns false if one is not; with apply == true it patches them and
// returns false if a write failed or the patch table is full. An object is patched whole or not at all: a hooked malloc
// with an unhooked free would make every sampled block look leaked.
bool PatchRelocations(const dl_phdr_info* info, const ElfW(Rela) * rel, size_t bytes, const ElfW(Sym) * symtab,
                      const char* strtab, uintptr_t relro_lo, uintptr_t relro_hi, Extent self, bool apply) {
  size_t n = bytes / sizeof(ElfW(Rela));
  long page = sysconf(_SC_PAGESIZE);
  for (size_t i = 0; i < n; i++) {
    uint32_t type = ELF64_R_TYPE(rel[i].r_info);
    if (type != kJumpSlot && type != kGlobDat) continue;
    uint32_t sym = ELF64_R_SYM(rel[i].r_info);
    if (sym == 0) continue;
    const char* name = strtab + symtab[sym].st_name;
    for (unsigned h = 0; h < kHookCount; h++) {
      if (std::strcmp(name, g_hooks[h].name) != 0 || *g_hooks[h].real == nullptr) continue;
      auto* slot = reinterpret_cast<void**>(info->dlpi_addr + rel[i].r_offset);
      auto addr = reinterpret_cast<uintptr_t>(slot);
      Patch p{slot, __atomic_load_n(slot, __ATOMIC_ACQUIRE), 0, 0};
      if (p.original == g_hooks[h].hook) break;  // already ours (an object listed twice)
      if (!apply) {
        auto target = reinterpret_cast<uintptr_t>(p.original);
        // Bound to the process's allocator, or not bound yet (lazy stub inside the object). Anything else is a private
        // allocator (a bundled allocator, a custom operator new): swapping it for ours would mix heaps.
        if (p.original != *g_hooks[h].real && !(target >= self.lo && target < self.hi) &&
            !IsSystemAllocator(p.original))
          return false;
        break;
      }
      unsigned count = g_patch_count.load(std::memory_order_relaxed);
      if (count >= kMaxPatches) {
        g_patch_overflow = true;
        return false;
      }
      if (addr >= relro_lo && addr < relro_hi) {
        p.relro_lo = addr & ~static_cast<uintptr_t>(page - 1);
        p.relro_hi = p.relro_lo + static_cast<uintptr_t>(page);
      }
      if (!WriteSlot(p, g_hooks[h].hook)) return false;
      g_patches[count] = p;
      g_patch_count.store(count + 1, std::memory_order_relaxed);
      break;
    }
  }
  return true;
}

int PatchObject(dl_phdr_info* info, size_t, void*) {
  if (Skipped(info->dlpi_name)) return 0;
  const ElfW(Dyn)* dyn = nullptr;
  uintptr_t relro_lo = 0, relro_hi = 0;
  Extent self{UINTPTR_MAX, 0};
  auto page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type == PT_DYNAMIC) dyn = reinterpret_cast<const ElfW(Dyn)*>(info->dlpi_addr + ph.p_vaddr);
    if (ph.p_type == PT_LOAD) {
      uintptr_t lo = info->dlpi_addr + ph.p_vaddr;
      if (lo < self.lo) self.lo = lo;
      if (lo + ph.p_memsz > self.hi) self.hi = lo + ph.p_memsz;
    }
    if (ph.p_type == PT_GNU_RELRO) {
      // What the loader made read-only: whole pages from the segment's start, its last partial page left writable
      // (glibc rounds the end down). A slot on that last page is written without mprotect, and the page's data
      // keeps its write permission.
      uintptr_t start = info->dlpi_addr + ph.p_vaddr;
      relro_lo = start & ~(page - 1);
      relro_hi = (start + ph.p_memsz) & ~(page - 1);
    }
  }
  if (dyn == nullptr) return 0;
  const ElfW(Rela)* jmprel = nullptr;
  const ElfW(Rela)* rela = nullptr;
  size_t jmprel_bytes = 0, rela_bytes = 0;
  const ElfW(Sym)* symtab = nullptr;
  const char* strtab = nullptr;
  bool pltrel_is_rela = true;
  for (const ElfW(Dyn)* d = dyn; d->d_tag != DT_NULL; d++) {
    switch (d->d_tag) {
      case DT_JMPREL:
        jmprel = DynPtr<const ElfW(Rela)>(info, d->d_un.d_ptr);
        break;
      case DT_PLTRELSZ:
        jmprel_bytes = d->d_un.d_val;
        break;
      case DT_PLTREL:
        pltrel_is_rela = d->d_un.d_val == DT_RELA;
        break;
      case DT_RELA:
        rela = DynPtr<const ElfW(Rela)>(info, d->d_un.d_ptr);
        break;
      case DT_RELASZ:
        rela_bytes = d->d_un.d_val;
        break;
      case DT_SYMTAB:
        symtab = DynPtr<const ElfW(Sym)>(info, d->d_un.d_ptr);
        break;
      case DT_STRTAB:
        strtab = DynPtr<const char>(info, d->d_un.d_ptr);
        break;
      default:
        break;
    }
  }
  if (symtab == nullptr || strtab == nullptr || !pltrel_is_rela) return 0;
  bool patchable =
      (!jmprel || PatchRelocations(info, jmprel, jmprel_bytes, symtab, strtab, relro_lo, relro_hi, self, false)) &&
      (!rela || PatchRelocations(info, rela, rela_bytes, symtab, strtab, relro_lo, relro_hi, self, false));
  if (!patchable) {
    g_skipped.fetch_add(1, std::memory_order_relaxed);
    return 0;
  }
  unsigned first = g_patch_count.load(std::memory_order_relaxed);
  bool ok = (!jmprel || PatchRelocations(info, jmprel, jmprel_bytes, symtab, strtab, relro_lo, relro_hi, self, true)) &&
            (!rela || PatchRelocations(info, rela, rela_bytes, symtab, strtab, relro_lo, relro_hi, self, true));
  if (!ok) {
    // Undo this object's slots: all or nothing.
    unsigned last = g_patch_count.load(std::memory_order_relaxed);
    for (unsigned i = last; i-- > first;) WriteSlot(g_patches[i], g_patches[i].original);
    g_patch_count.store(first, std::memory_order_relaxed);
    g_skipped.fetch_add(1, std::memory_order_relaxed);
  }
  return 0;
}

}  // namespace

bool Available(const char** reason) {
  if (!ResolveReal()) {
    if (reason) *reason = "the C allocator's symbols cannot be resolved in this process";
    return false;
  }
  return true;
}

int Arm(size_t mean_interval, const char** error) {
  if (g_armed.load() || g_patch_count.load() != 0) {
    if (error) *error = "the native allocation tracker is already armed";
    return -1;
  }
  if (!Available(error)) return -1;
  // Prime the unwinder outside any hook (a first call may set up caches).
  {
    uintptr_t frames[kMaxFrames];
    Unwound u{frames, 0};
    _Unwind_Backtrace(OnFrame, &u);
  }
  for (unsigned i = 0; i < kTableSlots; i++) g_keys[i].store(kEmpty, std::memory_order_relaxed);
  g_live.store(0);
  g_sampled.store(0);
  g_dropped.store(0);
  g_seq.store(1);
  g_interval.store(mean_interval == 0 ? 1 : mean_interval);
  g_epoch.fetch_add(1);
  g_patch_overflow = false;
  g_skipped.store(0);
  g_armed.store(true, std::memory_order_seq_cst);
  g_home_count = 0;
  dl_iterate_phdr(CollectHomes, nullptr);
  dl_iterate_phdr(PatchObject, nullptr);
  return static_cast<int>(g_patch_count.load());
}

void Disarm() {
  unsigned n = g_patch_count.load();
  for (unsigned i = n; i-- > 0;) WriteSlot(g_patches[i], g_patches[i].original);
  g_patch_count.store(0);
  g_armed.store(false, std::memory_order_seq_cst);
}

bool Armed() { return g_armed.load(); }

uint64_t Mark() { return g_seq.load(); }

size_t Snapshot(Sample* out, size_t max) {
  size_t n = 0;
  for (unsigned i = 0; i < kTableSlots && n < max; i++) {
    Slot& s = g_table[i];
    uintptr_t k = g_keys[i].load(std::memory_order_acquire);
    if (k == kEmpty || k == kTomb || k == kBusy) continue;
    Sample& o = out[n];
    o.address = k;
    o.size = s.size;
    o.weight = s.weight;
    o.seq = s.seq;
    o.depth = s.depth > kMaxFrames ? kMaxFrames : s.depth;
    for (unsigned f = 0; f < o.depth; f++) o.frames[f] = s.frames[f];
    // Seqlock-style re-check: the fence keeps the payload reads above from moving below the second key read.
    std::atomic_thread_fence(std::memory_order_acquire);
    if (g_keys[i].load(std::memory_order_relaxed) != k) continue;  // freed or rewritten while copied
    n++;
  }
  return n;
}

void IgnoreThisThread(bool on) { t_state.busy = on; }

Stats GetStats() {
  int64_t live = g_live.load();
  return Stats{g_sampled.load(), g_dropped.load(), g_patch_count.load(), static_cast<unsigned>(live < 0 ? 0 : live),
               g_skipped.load()};
}

#endif  // LEAKPROOF_TRACKER_SUPPORTED

}  // namespace leakproof::tracker
