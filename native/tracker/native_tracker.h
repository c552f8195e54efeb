// Native allocation tracker: samples malloc/new made by loaded shared objects (GOT patching) and keeps live samples.
#pragma once
#include <cstddef>
#include <cstdint>

namespace leakproof::tracker {

// Frames kept per sample (the tracker's own frames are not counted).
constexpr unsigned kMaxFrames = 24;
// Live sampled blocks the table can hold; samples beyond it are counted in Stats::dropped.
constexpr unsigned kTableSlots = 1u << 15;

struct Sample {
  uintptr_t address;
  size_t size;
  double weight;   // estimated bytes this sample stands for (size / P(sampled))
  uint64_t seq;    // order among all samples since Arm()
  unsigned depth;  // frames[0..depth): return addresses, innermost first
  uintptr_t frames[kMaxFrames];
};

struct Stats {
  uint64_t sampled;  // samples taken since Arm()
  uint64_t dropped;  // samples not stored (table full or probe limit)
  unsigned patched;  // GOT slots currently patched
  unsigned live;     // entries in the table
  unsigned skipped;  // objects left unpatched at Arm(): a slot bound to a private allocator, or a slot not writable
};

// Whether this build and platform can track (Linux, glibc, x86-64 or AArch64); `reason` says why not.
bool Available(const char** reason);

// Clears the table, starts sampling about one allocation per `mean_interval` bytes (>= 1) and patches the GOT of every
// loaded object except libc, the dynamic loader, the unwinder, sanitizer/valgrind runtimes and Node itself (the main
// executable, or libnode/libv8/libuv when Node is built shared). A slot is patched only while it still points at the
// process's own allocator (or at its object's lazy-binding stub), and an object is patched whole or not at all: one
// bound to a private allocator, or whose GOT cannot be written, is left alone (Stats::skipped). Returns the number of
// slots patched, or -1 with `error` set (already armed, unavailable). Not thread-safe against concurrent Arm/Disarm
// calls (one JS thread calls them); safe against any number of threads allocating.
int Arm(size_t mean_interval, const char** error);

// Restores every patched slot (RELRO pages back to read-only) and stops sampling; a second call does nothing. The
// table keeps its live samples until the next Arm(), but frees after Disarm() are no longer seen: snapshot first.
void Disarm();

bool Armed();

// Sequence number the next sample will get: splits samples into "before" and "after" a point of the run.
uint64_t Mark();

// Copies up to `max` live samples into `out`; returns how many.
size_t Snapshot(Sample* out, size_t max);

Stats GetStats();

// While on, allocations of the calling thread are not sampled (the tracker's own buffers, e.g. the snapshot copy).
void IgnoreThisThread(bool on);

}  // namespace leakproof::tracker
