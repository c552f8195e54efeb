// Native memory probe: bytes in use on the C heap and open file descriptors, with no allocation.
#pragma once
#include <cstdint>

namespace leakproof {

// Bytes in use on the native heap (glibc mallinfo2: uordblks + hblkhd), or -1 where unavailable.
double NativeHeapBytes();

// Number of open file descriptors of this process, or -1 where unavailable.
double OpenFdCount();

// Which method NativeHeapBytes uses: "mallinfo2", "mallinfo" or "unavailable".
const char* NativeHeapMethod();

// Which method OpenFdCount uses: "/proc/self/fd", "/dev/fd" or "unavailable".
const char* FdCountMethod();

}  // namespace leakproof
