// Public types of the matcher, and the augmentations that make `toLeakMemory` type-check on both kinds of `expect`.
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
   * 'fixed' (default for now): one window, growth's 95% lower bound against the threshold. 'adaptive': the sequential
   * verdict, extending the run while a metric still grows below the threshold (catches 64 B/call JS leaks).
   */
  horizon?: 'adaptive' | 'fixed';
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
}

// `expect` from '@jest/globals' takes its Matchers from the 'expect' package…
declare module 'expect' {
  // Type parameters must repeat the original declaration's exactly for the interfaces to merge.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface Matchers<R extends void | Promise<void>, T = unknown> {
    /**
     * Runs the received function repeatedly and passes when it leaks more than the threshold.
     * Use `await expect(fn).not.toLeakMemory(...)` to assert that it does not leak.
     */
    toLeakMemory(thresholdOrOptions?: number | LeakMatcherOptions): Promise<R>;
  }
}

// …while the global `expect` (@types/jest) uses its own jest.Matchers.
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
    interface Matchers<R, T = {}> {
      /**
       * Runs the received function repeatedly and passes when it leaks more than the threshold.
       * Use `await expect(fn).not.toLeakMemory(...)` to assert that it does not leak.
       */
      toLeakMemory(thresholdOrOptions?: number | LeakMatcherOptions): Promise<R>;
    }
  }
}
