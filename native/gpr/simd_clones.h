// GPR_SIMD_CLONES: marks a hot loop for an AVX2 clone beside the portable one, chosen by the CPU at load time (GCC
// function multiversioning). The dispatch needs ifunc, which only glibc provides, so elsewhere (clang, musl, other
// targets) the macro is empty and the portable build runs. Output is identical either way (integer arithmetic only).
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__GLIBC__)
#define GPR_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define GPR_SIMD_CLONES
#endif
