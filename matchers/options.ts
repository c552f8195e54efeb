// Options of `toLeakMemory`, shared by the Jest and Vitest faces (no runner types, so either can import it).
import type { MetricName } from '../src/model';

/** Options of `toLeakMemory`; every field is optional and has a documented default. */
export interface LeakMatcherOptions {
  /** Tolerated growth in bytes over the measured iterations (memory metrics). Default 64 KiB. */
  threshold?: number;
  /** Measured iterations after warm-up (the first window with `horizon: 'adaptive'`). Default 200. */
  iterations?: number;
  /** With `horizon: 'adaptive'`: cap on measured iterations over all extensions. Default 64 × iterations. */
  maxIterations?: number;
  /** With `horizon: 'adaptive'`: time budget of the measurement in ms. Default 10,000. */
  maxDurationMs?: number;
  /**
   * 'adaptive' (default): the sequential verdict, extending the run while a metric still grows below the threshold
   * (catches 64 B/call leaks); a leak is growth past the threshold that goes on in the newest half of the run.
   * 'fixed': one window, growth's 95% lower bound against the threshold (the 0.1 rule).
   */
  horizon?: 'adaptive' | 'fixed';
  /**
   * With `horizon: 'adaptive'`: the smallest steady leak in bytes per iteration the run must not call clean (missed in
   * at most 5% of runs); clean code is measured until its growth rate is shown to be below it. Default threshold / 1024
   * (64 B at the default threshold).
   */
  smallestLeak?: number;
  /** Iterations run before measuring. Default 20. */
  warmup?: number;
  /** GC-settled samples over the measured iterations. Default 20 (at most `iterations`). */
  samples?: number;
  /** Metrics to measure and decide on. Default: all available; rss then only informs. */
  metrics?: MetricName[];
  /**
   * When `.not.toLeakMemory` finds a leak in heap, external or arrayBuffers: run fn up to 100 more times under V8's
   * sampling heap profiler and name, in the failure message, the functions where the retained memory was allocated.
   * Default true for `.not` (false for the positive form); costs nothing when no such leak is found.
   */
  allocationSites?: boolean;
  /**
   * When `.not.toLeakMemory` finds a leak in `native`: run fn a few more times under the native allocation tracker and
   * name the C/C++ functions (file:line with debug info) whose allocations stayed alive (docs/native-sites.md).
   * 'auto' (default): only then, and not when `allocationSites` is false; true: after every run; false: never.
   */
  nativeSites?: boolean | 'auto';
  /**
   * Decide the JS heap on survival counts: which of fn's allocations are still alive after later calls (V8's sampling
   * heap profiler), instead of the heapUsed series alone (docs/matcher.md, "Survival counts"). Default false for now.
   */
  survivalCounts?: boolean;
}
