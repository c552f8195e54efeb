// runMemoryStressTest: runs fn many times through the leak engine and returns its verdict with a readable report.
import type { AllocationSite, MetricName, MetricResult } from '../model';
import { detectLeak } from '../engine/detectLeak';
import { withNativeSites } from '../engine/nativeSites';
import type { GcMethod } from '../engine/gc';
import { formatVerdict } from '../kernel/formatVerdict';
import { checkFunction, checkOptions } from './validate';

export interface StressTestOptions {
  /** Measured iterations of the first window after warm-up; extended while undecided. Default: the engine's (200). */
  iterations?: number;
  /** Cap on measured iterations over all extensions. Default: the engine's (64 × iterations). */
  maxIterations?: number;
  /** Time budget in ms. Default: the engine's (10,000). */
  maxDurationMs?: number;
  /** 'adaptive' (default) or 'fixed' (one window, the 0.1 rule). */
  horizon?: 'adaptive' | 'fixed';
  /** Smallest steady leak in bytes per iteration the adaptive horizon must not call clean. Default threshold / 1024. */
  smallestLeak?: number;
  /** Tolerated growth in bytes over the measured iterations. Default: the engine's (64 KiB). */
  threshold?: number;
  /** Unmeasured iterations first. Default: the engine's (20). */
  warmup?: number;
  /** GC-settled readings over the measured iterations. Default: the engine's (20). */
  samples?: number;
  /** Metrics that decide; default every readable one except rss. */
  metrics?: MetricName[];
  /** After a heap/external/arrayBuffers leak, name where the retained objects were allocated. Default true. */
  allocationSites?: boolean;
  /** After a native leak, name the C/C++ allocation sites ('auto', default), always (true) or never (false). */
  nativeSites?: boolean | 'auto';
  /** Decide the JS heap on survival counts (docs/matcher.md, "Survival counts"). Default false for now. */
  survivalCounts?: boolean;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface StressTestResult {
  leak: boolean;
  /** Headline plus one row per metric: slope per iteration with its 95% interval, growth, shape, sparkline. */
  report: string;
  /** The engine's per-metric statistics, raw samples included. */
  measurements: MetricResult[];
  iterations: number;
  warmup: number;
  threshold: number;
  durationMs: number;
  /** Milliseconds spent waiting for other measurements of this process before this one started (0: none). */
  queuedMs: number;
  gcMethod: GcMethod;
  /** For a JS-memory leak: where the retained objects were allocated (sampling heap profiler), largest first; then, for a native leak, the C/C++ sites (`kind: 'native'`). */
  allocationSites?: AllocationSite[];
}

const OPTION_KEYS = [
  'iterations',
  'maxIterations',
  'maxDurationMs',
  'horizon',
  'smallestLeak',
  'threshold',
  'warmup',
  'samples',
  'metrics',
  'allocationSites',
  'nativeSites',
  'survivalCounts',
  'onProgress',
  'signal',
] as const;

/**
 * The verdict the `toLeakMemory` matcher uses, outside Jest. Options are checked by the engine (LEAKPROOF_E_OPTIONS);
 * if fn throws or rejects, the promise rejects with LEAKPROOF_E_FN_THREW (original error as `cause`) instead of a verdict.
 */
export async function runMemoryStressTest(fn: () => unknown, options?: StressTestOptions): Promise<StressTestResult> {
  checkFunction('runMemoryStressTest', 'fn', fn);
  checkOptions('runMemoryStressTest', options, OPTION_KEYS);
  const d = await detectLeak(fn, options);
  if (d.error !== undefined) throw d.error;
  const sites = withNativeSites(d.allocationProfile?.sites, d);
  const report = formatVerdict({
    title: `runMemoryStressTest${fn.name ? ` (${fn.name})` : ''}`,
    leak: d.leak,
    metrics: d.metrics,
    iterations: d.iterations,
    step: 'iteration',
    threshold: d.threshold,
    durationMs: d.durationMs,
    allocationSites: sites,
    horizon: d.horizon,
  });
  return {
    leak: d.leak,
    report,
    measurements: d.metrics,
    iterations: d.iterations,
    warmup: d.warmup,
    threshold: d.threshold,
    durationMs: d.durationMs,
    queuedMs: d.queuedMs,
    gcMethod: d.gcMethod,
    ...(sites.length > 0 ? { allocationSites: sites } : {}),
  };
}
