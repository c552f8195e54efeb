// Where retained JS memory was allocated: one site of the sampling heap profile, as every face names it.

/**
 * Where retained JS memory was allocated, from V8's sampling heap profiler run over extra iterations after a leak
 * verdict: the innermost frame of user code on the allocations' stacks (positions through inline source maps).
 */
export interface AllocationSite {
  /** Function that allocated, '(anonymous)' when unnamed. */
  functionName: string;
  /** Its file (relative to the working directory when inside it), and the 1-based line and column where it starts. */
  file: string;
  line: number;
  column: number;
  /** Estimated bytes allocated there during the profiled iterations and still alive after full GC. */
  bytes: number;
  bytesPerIteration: number;
  /** Up to three calling frames of user code, innermost first, as "name (file:line:column)". */
  callers: string[];
  /**
   * 'native' for a C/C++ site from the native allocation tracker (option `nativeSites`, src/engine/nativeSites.ts):
   * then column is 0, and line is 0 too when the library has no debug info (file is then "lib.so+0x1a2b"). Absent: JS.
   */
  kind?: 'native';
}
