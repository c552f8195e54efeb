// Detection options: documented defaults and the boundary check that turns nonsense into LEAKPROOF_E_OPTIONS.
import type { MetricName } from '../model';
import { LeakproofError } from '../errors';
import { describeValue as describe } from '../kernel/validate';
import type { GcHandle } from './gc';
import { METRIC_NAMES } from './metrics';

export interface DetectOptions {
  /** Tolerated growth in bytes over the measured iterations (memory metrics). Default 64 KiB. */
  threshold?: number;
  /**
   * Measured iterations of the first window, after warm-up. Default 200. While a metric is undecided (neither a leak
   * nor shown to grow slower than smallestLeak) the run is extended, doubling its horizon, up to `maxIterations` and `maxDurationMs`.
   */
  iterations?: number;
  /** Cap on measured iterations over all extensions. Default 64 × iterations (12,800 at the default first window). */
  maxIterations?: number;
  /**
   * Time budget of one measurement in ms (warm-up, measured iterations and their GCs; not the control run, nor time
   * spent waiting for another measurement). The run is not extended when the next doubling would not fit. Default
   * 10,000; the Jest matcher also keeps it below the test's timeout.
   */
  maxDurationMs?: number;
  /**
   * 'adaptive' (default): the sequential verdict (src/stats/sequentialVerdict.ts): decide after the first window of
   * `iterations`, and while a metric is undecided (neither a leak nor shown to grow slower than smallestLeak) double the horizon, up to
   * `maxIterations` and `maxDurationMs`; a leak is growth past the threshold that still goes on in the newest half.
   * 'fixed': one window of `iterations`, leak when growth's 95% lower bound is above the threshold (leakproof 0.1's
   * rule, kept for comparison and for callers who want a bounded, predictable run).
   */
  horizon?: 'adaptive' | 'fixed';
  /**
   * With `horizon: 'adaptive'`: the smallest steady leak, in bytes per iteration, the run must not call clean. A memory
   * metric is clean only when the upper bound of its newest half's slope is below this (a steady leak of exactly this
   * size is called clean in at most 5% of runs over all looks; src/stats/sequentialVerdict.ts, MISS_BETA); otherwise
   * it is measured longer, up to `maxIterations` and `maxDurationMs`. Default threshold / 1024 (64 B at the default
   * threshold). Raising it shortens clean runs under noise; lowering it catches smaller leaks at a longer run.
   */
  smallestLeak?: number;
  /** Iterations run before measuring (lazy initialisation, JIT, caches). Default 20. */
  warmup?: number;
  /** Number of GC-settled samples over the measured iterations (one more is taken at the start). Default 20. */
  samples?: number;
  /**
   * Metrics to measure. Default: every available one, where rss is reported but does not decide; metrics listed here
   * explicitly all decide, and asking for one the platform cannot read is an error.
   */
  metrics?: MetricName[];
  /** Cancels the run before the next call of fn (rejects with LEAKPROOF_E_ABORTED, MeasurementAbortedError). */
  signal?: AbortSignal;
  /** Called after each batch with iterations done (warm-up included) and the total. */
  onProgress?: (done: number, total: number) => void;
  /**
   * After a leak in heap, external or arrayBuffers: run fn a few more times under V8's sampling heap profiler and report
   * where the retained memory was allocated (`LeakDetection.allocationProfile`). Default true; costs nothing when no
   * such leak is found.
   */
  allocationSites?: boolean;
  /**
   * Where retained native (malloc/new) memory was allocated, in C/C++ (docs/native-sites.md): run fn a few more times
   * under the in-process native allocation tracker and report the C/C++ call sites whose sampled blocks stayed alive
   * (`LeakDetection.nativeProfile`). 'auto' (default): only after a leak in `native`, and not when `allocationSites` is
   * false; true: after every run, verdict or not (sites of growth below the threshold); false: never. Linux/glibc only;
   * elsewhere `nativeProfileError` says why (never an error).
   */
  nativeSites?: boolean | 'auto';
  /**
   * Decide the JS heap on survival counts (docs/matcher.md, "Survival counts"): which of the allocations fn made are
   * still alive after later calls, from V8's sampling heap profiler, instead of the heapUsed series alone. Adaptive
   * horizon only. Default false while its costs are measured (leakproof 0.2 development); the heapUsed series stays in
   * every report either way.
   */
  survivalCounts?: boolean;
  /** Replaces the process GC (tests use it to simulate a runtime without GC). */
  gc?: GcHandle;
}

export const DEFAULT_THRESHOLD = 64 * 1024;
export const DEFAULT_ITERATIONS = 200;
export const DEFAULT_WARMUP = 20;
export const DEFAULT_SAMPLES = 20;
export const DEFAULT_MAX_DURATION_MS = 10_000;
/** The sequential verdict is opt-in until it shows no false positives on the bundled suites and the benchmark. */
export const DEFAULT_HORIZON: 'adaptive' | 'fixed' = 'adaptive';
/** The default smallestLeak, as a fraction of the threshold: 64 B per iteration at the default 64 KiB. */
export const DEFAULT_SMALLEST_LEAK_FRACTION = 1 / 1024;
/** The default iteration cap, as a multiple of the first window: six doublings. */
export const DEFAULT_MAX_ITERATIONS_FACTOR = 64;
/** Metrics that decide when the user does not choose: rss moves by whole pages and allocator arenas, so it only informs. */
/** Survival counts decide the heap only when asked, until their clean-run cost is within the targets (issue 26). */
export const DEFAULT_SURVIVAL_COUNTS = false;

/**
 * `LEAKPROOF_SURVIVAL_COUNTS=1` (or `0`) sets the default of option `survivalCounts` for a whole run, so a suite can be
 * tried with survival counts without editing its assertions (an option given in the assertion still wins). Any other
 * value is an error: a typo must not silently measure the other way.
 */
function survivalCountsFromEnvironment(): boolean {
  const value = process.env.LEAKPROOF_SURVIVAL_COUNTS;
  if (value === undefined || value === '') return DEFAULT_SURVIVAL_COUNTS;
  if (value === '1') return true;
  if (value === '0') return false;
  throw new LeakproofError(
    'LEAKPROOF_E_OPTIONS',
    `leakproof: LEAKPROOF_SURVIVAL_COUNTS must be 1 or 0; received ${JSON.stringify(value)}.`,
  );
}
export const DEFAULT_DECIDING: readonly MetricName[] = ['heap', 'external', 'arrayBuffers', 'native', 'handles', 'fds'];

const MIN_ITERATIONS = 5;
const MAX_ITERATIONS = 10_000_000;
const KNOWN_KEYS = new Set([
  'threshold',
  'iterations',
  'maxIterations',
  'maxDurationMs',
  'horizon',
  'smallestLeak',
  'warmup',
  'samples',
  'metrics',
  'allocationSites',
  'nativeSites',
  'survivalCounts',
  'signal',
  'onProgress',
  'gc',
]);

export interface ResolvedOptions {
  threshold: number;
  iterations: number;
  maxIterations: number;
  maxDurationMs: number;
  horizon: 'adaptive' | 'fixed';
  /** Bytes per iteration (see DetectOptions.smallestLeak). */
  smallestLeak: number;
  warmup: number;
  samples: number;
  /** Metrics to measure, in METRIC_NAMES order. */
  metrics: MetricName[];
  /** Whether the user listed the metrics (then all decide and all must be available). */
  explicitMetrics: boolean;
  allocationSites: boolean;
  nativeSites: boolean | 'auto';
  survivalCounts: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  gc?: GcHandle;
}

function fail(name: string, expected: string, value: unknown): never {
  throw new LeakproofError(
    'LEAKPROOF_E_OPTIONS',
    `leakproof: option \`${name}\` must be ${expected}; received ${describe(value)}.`,
  );
}

function integer(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(name, `an integer from ${min} to ${max}`, value);
  }
  return value;
}

/** Checks every option and fills in defaults. Unknown keys are errors, so a typo never silently runs the defaults. */
export function resolveOptions(options: DetectOptions | undefined): ResolvedOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) fail('options', 'an object', options);
  for (const key of Object.keys(options)) {
    if (!KNOWN_KEYS.has(key)) {
      throw new LeakproofError(
        'LEAKPROOF_E_OPTIONS',
        `leakproof: unknown option \`${key}\`; known options: ${[...KNOWN_KEYS].filter((k) => k !== 'gc').join(', ')}.`,
      );
    }
  }
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold < 0) {
    fail('threshold', 'a finite number of bytes ≥ 0', threshold);
  }
  const iterations = integer('iterations', options.iterations ?? DEFAULT_ITERATIONS, MIN_ITERATIONS, MAX_ITERATIONS);
  const maxIterations = integer(
    'maxIterations',
    options.maxIterations ?? Math.min(MAX_ITERATIONS, iterations * DEFAULT_MAX_ITERATIONS_FACTOR),
    iterations,
    MAX_ITERATIONS,
  );
  const maxDurationMs = options.maxDurationMs ?? DEFAULT_MAX_DURATION_MS;
  if (typeof maxDurationMs !== 'number' || !(maxDurationMs > 0) || maxDurationMs === Infinity) {
    fail('maxDurationMs', 'a finite number of milliseconds > 0', maxDurationMs);
  }
  const horizon = options.horizon ?? DEFAULT_HORIZON;
  if (horizon !== 'adaptive' && horizon !== 'fixed') fail('horizon', '"adaptive" or "fixed"', horizon);
  const smallestLeak = options.smallestLeak ?? Math.max(1, threshold * DEFAULT_SMALLEST_LEAK_FRACTION);
  if (typeof smallestLeak !== 'number' || !Number.isFinite(smallestLeak) || !(smallestLeak > 0)) {
    fail('smallestLeak', 'a finite number of bytes per iteration > 0', smallestLeak);
  }
  const warmup = integer('warmup', options.warmup ?? DEFAULT_WARMUP, 0, MAX_ITERATIONS);
  const samples =
    options.samples === undefined
      ? Math.min(DEFAULT_SAMPLES, iterations)
      : integer('samples', options.samples, 3, iterations);
  let metrics: MetricName[] = [...METRIC_NAMES];
  const explicitMetrics = options.metrics !== undefined;
  if (explicitMetrics) {
    const list: unknown = options.metrics;
    if (!Array.isArray(list) || list.length === 0)
      fail('metrics', `a non-empty array of ${METRIC_NAMES.join(', ')}`, list);
    for (const m of list) {
      if (!(METRIC_NAMES as readonly unknown[]).includes(m)) fail('metrics', `a list of ${METRIC_NAMES.join(', ')}`, m);
    }
    metrics = METRIC_NAMES.filter((m) => (list as unknown[]).includes(m));
  }
  if (
    options.signal !== undefined &&
    (typeof options.signal !== 'object' || typeof options.signal.aborted !== 'boolean')
  ) {
    fail('signal', 'an AbortSignal', options.signal);
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    fail('onProgress', 'a function', options.onProgress);
  }
  if (options.allocationSites !== undefined && typeof options.allocationSites !== 'boolean') {
    fail('allocationSites', 'true or false', options.allocationSites);
  }
  if (options.nativeSites !== undefined && typeof options.nativeSites !== 'boolean' && options.nativeSites !== 'auto') {
    fail('nativeSites', "true, false or 'auto'", options.nativeSites);
  }
  if (options.survivalCounts !== undefined && typeof options.survivalCounts !== 'boolean') {
    fail('survivalCounts', 'true or false', options.survivalCounts);
  }
  if (options.gc !== undefined && (typeof options.gc !== 'object' || typeof options.gc.gc !== 'function')) {
    fail('gc', 'a GC handle { gc, method }', options.gc);
  }
  return {
    threshold,
    iterations,
    maxIterations,
    maxDurationMs,
    smallestLeak,
    horizon,
    warmup,
    samples,
    metrics,
    explicitMetrics,
    allocationSites: options.allocationSites ?? true,
    nativeSites: options.nativeSites ?? 'auto',
    survivalCounts: options.survivalCounts ?? survivalCountsFromEnvironment(),
    signal: options.signal,
    onProgress: options.onProgress,
    gc: options.gc,
  };
}
