// The record each leak assertion leaves for the reporter: the contract between matcher, CLI and reporter (plain JSON).
import type { AllocationSite } from './allocationSite';
import type { HorizonInfo } from './horizon';
import type { MetricResult } from './metric';
import type { UnmeasuredMetric } from './unmeasuredMetric';

/** Everything one assertion measured and decided. Plain JSON: it crosses worker boundaries. */
export interface LeakRecord {
  /** Version of this record's shape; bump on incompatible change. */
  schemaVersion: 1;
  /** Jest's full test name (`AssertionResult.fullName`), '' outside Jest. */
  testName: string;
  /** Absolute path of the test file. */
  testPath: string;
  /** 1-based line and column of the assertion in the test file, when known. */
  line?: number;
  column?: number;
  /** `not.toLeakMemory` (expect no leak) or `toLeakMemory` (expect a leak). */
  negated: boolean;
  /** Whether the assertion passed. */
  pass: boolean;
  /** Whether a leak was found (in any metric). */
  leak: boolean;
  /** Measured iterations: the horizon the growth figures cover (the first window, or longer when it was extended). */
  iterations: number;
  warmup: number;
  /** How the horizon was reached (absent in records written before leakproof 0.2). */
  horizon?: HorizonInfo;
  /** Threshold in bytes (memory metrics) as the user gave it. */
  threshold: number;
  durationMs: number;
  /** Part of durationMs spent on the control run (paid by the first assertion in each worker), 0 otherwise. */
  calibrationMs?: number;
  metrics: MetricResult[];
  /** How GC was obtained: 'expose-gc-flag' | 'v8-flags' | 'unavailable'. */
  gcMethod: string;
  /** Error message when fn threw (then no verdict is made). */
  error?: string;
  /**
   * Present when the measurement was stopped before a verdict: its test timed out, failed or ended, the test's time ran
   * out ('time-limit'), or the caller's signal aborted. `error` says it in words; there is no verdict.
   */
  aborted?: true;
  abortReason?: 'test-timeout' | 'test-failed' | 'test-ended' | 'time-limit' | 'signal';
  /** Milliseconds the assertion waited for other measurements of its process before it started (absent: none). */
  queuedMs?: number;
  /**
   * Handles (sockets, servers, child processes, watchers, open `fs.promises` files) that code outside fn opened while
   * the assertion measured: the test's own background work, measured with fn. Counted by Node async resource type.
   */
  foreignHandles?: Array<{ type: string; count: number }>;
  /** For a JS-memory leak found by `.not.toLeakMemory`: where the retained memory was allocated, largest first. */
  allocationSites?: AllocationSite[];
  /** Metrics left out because they cannot be read in this process, with why and how to fix (absent: none). */
  unmeasured?: UnmeasuredMetric[];
}
