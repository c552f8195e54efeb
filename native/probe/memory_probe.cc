// Native memory probe: reads glibc's allocator statistics and counts fds without allocating on the heap.
#include "probe/memory_probe.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#if __GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33)
#define LEAKPROOF_HAVE_MALLINFO2 1
#endif
#endif

#if defined(__linux__)
#include <sys/syscall.h>
#endif

namespace leakproof {

double NativeHeapBytes() {
#if defined(LEAKPROOF_HAVE_MALLINFO2)
  // uordblks alone misses chunks served by mmap; hblkhd holds those (see README "native heap").
  struct mallinfo2 mi = mallinfo2();
  return static_cast<double>(mi.uordblks) + static_cast<double>(mi.hblkhd);
#elif defined(__GLIBC__)
  struct mallinfo mi = mallinfo();  // int fields: wraps past 2 GiB, still fine for deltas below that
  return static_cast<double>(static_cast<unsigned>(mi.uordblks)) +
         static_cast<double>(static_cast<unsigned>(mi.hblkhd));
#else
  return -1;
#endif
}

const char* NativeHeapMethod() {
#if defined(LEAKPROOF_HAVE_MALLINFO2)
  return "mallinfo2";
#elif defined(__GLIBC__)
  return "mallinfo";
#else
  return "unavailable";
#endif
}

#if defined(__linux__)
// getdents64 on a raw buffer on the stack: opendir/readdir would malloc, which would disturb the very heap we measure.
struct LinuxDirent64 {
  uint64_t d_ino;
  int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[1];
};

static double CountDirEntries(const char* path) {
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return -1;
  alignas(8) char buf[4096];
  double count = 0;
  for (;;) {
    long n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
    if (n < 0) {
      close(fd);
      return -1;
    }
    if (n == 0) break;
    for (long pos = 0; pos < n;) {
      auto* d = reinterpret_cast<LinuxDirent64*>(buf + pos);
      if (!(d->d_name[0] == '.' && (d->d_name[1] == 0 || (d->d_name[1] == '.' && d->d_name[2] == 0)))) count++;
      pos += d->d_reclen;
    }
  }
  close(fd);
  return count - 1;  // the descriptor we opened to read the directory
}
#endif

double OpenFdCount() {
#if defined(__linux__)
  return CountDirEntries("/proc/self/fd");
#else
  DIR* dir = opendir("/dev/fd");
  if (!dir) return -1;
  double count = 0;
  while (struct dirent* e = readdir(dir)) {
    if (e->d_name[0] != '.') count++;
  }
  closedir(dir);
  return count - 1;
#endif
}

const char* FdCountMethod() {
#if defined(__linux__)
  return "/proc/self/fd";
#else
  return "/dev/fd";
#endif
}

}  // namespace leakproof
