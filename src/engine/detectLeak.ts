// detectLeak: runs fn through the sampler, calibrated by the control run, and returns per-metric statistics and a verdict.
import type { MetricName, MetricResult } from '../jest/record';
import { LeakproofError, isLeakproofError } from '../errors';
import { analyzeMetric } from '../stats/analyzeMetric';
import { getGc, type GcMethod } from './gc';
import { METRIC_NAMES, metricUnit, readMetrics } from './metrics';
import { DEFAULT_DECIDING, resolveOptions, type DetectOptions } from './options';
import { getCalibration } from './calibration';
import { column, runSampler } from './sampler';
import { profileAllocationSites, type AllocationProfile } from './allocationSites';

export type { DetectOptions } from './options';

export interface LeakDetection {
  /** True when any deciding metric leaks. Always false when `error` is set. */
  leak: boolean;
  /** One entry per measured metric (in METRIC_NAMES order); empty when `error` is set. */
  metrics: MetricResult[];
  iterations: number;
  warmup: number;
  samples: number;
  threshold: number;
  /** Time of this call, calibration included when it ran. */
  durationMs: number;
  /** Time of the control run if this call paid for it, else 0. */
  calibrationMs: number;
  gcMethod: GcMethod;
  /** What fn threw or rejected with (wrapped as LeakproofError code LEAKPROOF_E_FN_THREW, original in `cause`). */
  error?: unknown;
  /** Where retained JS memory was allocated, when heap, external or arrayBuffers leaked (option `allocationSites`). */
  allocationProfile?: AllocationProfile;
  /** Why the allocation profile could not be taken (no inspector in this runtime, fn threw while profiled, ...). */
  allocationProfileError?: string;
}

/** Metrics whose growth lives in (or is owned by objects in) the JS heap, so the heap profiler can place it. */
const JS_MEMORY_METRICS: readonly string[] = ['heap', 'external', 'arrayBuffers'];

/**
 * Iterations for the allocation profile: enough for the leak to dominate the samples, at most 100, and about two
 * seconds of fn at the pace the measured run went.
 */
function profileIterations(iterations: number, warmup: number, runMs: number): number {
  const perIteration = runMs / Math.max(1, iterations + warmup);
  const affordable = perIteration > 0 ? Math.floor(2000 / perIteration) : 100;
  return Math.max(10, Math.min(100, iterations, affordable));
}

/**
 * Measures whether `fn` (sync or async, awaited each iteration) leaks.
 * Throws LeakproofError for bad options (LEAKPROOF_E_OPTIONS), no GC (LEAKPROOF_E_GC), an explicitly requested metric
 * that cannot be read (LEAKPROOF_E_METRIC_UNAVAILABLE) or an abort (LEAKPROOF_E_ABORTED). If fn itself throws, the
 * returned detection carries the error and no verdict.
 */
export async function detectLeak(fn: () => unknown, options?: DetectOptions): Promise<LeakDetection> {
  const started = performance.now();
  if (typeof fn !== 'function') {
    throw new LeakproofError('LEAKPROOF_E_OPTIONS', `leakproof: the value under test must be a function; received ${fn === null ? 'null' : typeof fn}.`);
  }
  const opts = resolveOptions(options);
  const gc = opts.gc ?? getGc();
  if (gc.method === 'unavailable') {
    throw new LeakproofError(
      'LEAKPROOF_E_GC',
      'leakproof: cannot force garbage collection in this process, so growth cannot be told from garbage. ' +
        'Run under the leakproof Jest environment (preset "leakproof"), or start node with --expose-gc, ' +
        'and check that LEAKPROOF_GC is not set to "unavailable".',
    );
  }
  const snapshot = readMetrics();
  const unavailable = opts.metrics.filter((m) => Number.isNaN(snapshot[m]));
  if (opts.explicitMetrics && unavailable.length > 0) {
    throw new LeakproofError(
      'LEAKPROOF_E_METRIC_UNAVAILABLE',
      `leakproof: metric(s) ${unavailable.join(', ')} cannot be read here (native and fds need the built addon on glibc/Linux; ` +
        'handles need Node ≥ 17). Leave them out of `metrics`.',
    );
  }
  const metrics = opts.metrics.filter((m) => !unavailable.includes(m));
  const base = {
    iterations: opts.iterations,
    warmup: opts.warmup,
    samples: opts.samples,
    threshold: opts.threshold,
    gcMethod: gc.method,
  };
  const { calibration, fresh } = await getCalibration(gc, opts.gc === undefined);
  const calibrationMs = fresh ? calibration.durationMs : 0;
  let series;
  const runStarted = performance.now();
  try {
    series = await runSampler(fn, opts, gc, { signal: opts.signal, onProgress: opts.onProgress });
  } catch (err) {
    if (isLeakproofError(err) && err.code === 'LEAKPROOF_E_FN_THREW') {
      return { ...base, leak: false, metrics: [], durationMs: performance.now() - started, calibrationMs, error: err };
    }
    throw err;
  }
  const results: MetricResult[] = [];
  for (const metric of metrics) {
    const col = METRIC_NAMES.indexOf(metric);
    const y = column(series, col);
    if (y.some(Number.isNaN)) continue;
    const unit = metricUnit(metric);
    const deciding = opts.explicitMetrics || (DEFAULT_DECIDING as readonly MetricName[]).includes(metric);
    const sigma = calibration.sigma[col];
    results.push(
      analyzeMetric({
        metric,
        unit,
        x: series.x,
        y,
        iterations: opts.iterations,
        threshold: unit === 'bytes' ? opts.threshold : 0,
        deciding,
        controlSigma: Number.isFinite(sigma) ? sigma : 0,
      }),
    );
  }
  const runMs = performance.now() - runStarted;
  const leak = results.some((r) => r.leak);
  const profiled: Pick<LeakDetection, 'allocationProfile' | 'allocationProfileError'> = {};
  if (opts.allocationSites && results.some((r) => r.leak && JS_MEMORY_METRICS.includes(r.metric))) {
    try {
      profiled.allocationProfile = await profileAllocationSites(fn, profileIterations(opts.iterations, opts.warmup, runMs), gc);
    } catch (err) {
      profiled.allocationProfileError = err instanceof Error ? err.message : String(err);
    }
  }
  return {
    ...base,
    leak,
    metrics: results,
    durationMs: performance.now() - started,
    calibrationMs,
    ...profiled,
  };
}
