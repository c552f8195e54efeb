// detectLeak: runs fn through the sampler, calibrated by the control run, and returns per-metric statistics and a verdict.
// The real clock: a test's jest.useFakeTimers() also fakes the global performance.now().
import { performance } from 'node:perf_hooks';
import type { HorizonInfo, MetricName, MetricResult, StopReason, UnmeasuredMetric } from '../model';
import { LeakproofError, isLeakproofError } from '../errors';
import { analyzeMetric } from '../stats/analyzeMetric';
import { decideLook } from '../stats/sequentialVerdict';
import { getGc, type GcMethod } from './gc';
import { METRIC_COUNT, METRIC_NAMES, metricUnit, readMetrics } from './metrics';
import { DEFAULT_DECIDING, resolveOptions, type DetectOptions, type ResolvedOptions } from './options';
import { getCalibration } from './calibration';
import { column, SampleRun, type SampleSeries } from './sampler';
import type { Calibration } from './workerState';
import { settleMemory } from './settleMemory';
import { profileAllocationSites, type AllocationProfile } from './allocationSites';
import { nativeSitesAfterVerdict, type NativeSiteProfile } from './nativeSites';
import { unmeasuredMetrics } from './unmeasured';
import { measureExclusively } from './exclusiveMeasurement';
import type { ForeignHandleCount } from './foreignHandles';
import { armUnrefTimers } from './unrefTimers';
import { suspendPretenuring } from './pretenuring';
import { handleCensus, handleTypesGrown, type HandleCensus } from './handleTypes';
import { SurvivalSampler } from './survivalSampler';
import { decideSurvival, heapWithSurvival, type SurvivalVerdict } from '../stats/survivalVerdict';

export type { DetectOptions } from './options';

export interface LeakDetection {
  /** True when any deciding metric leaks. Always false when `error` is set. */
  leak: boolean;
  /** One entry per measured metric (in METRIC_NAMES order); empty when `error` is set. */
  metrics: MetricResult[];
  /** Measured iterations: the horizon the growth figures cover (the first window, or longer when extended). */
  iterations: number;
  warmup: number;
  /** Sample rows after the baseline, over all looks. */
  samples: number;
  threshold: number;
  /** How the horizon was reached: looks taken and why the run stopped. */
  horizon: HorizonInfo;
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
  /** Where retained native (malloc/new) memory was allocated in C/C++, after a `native` leak (option `nativeSites`). */
  nativeProfile?: NativeSiteProfile;
  /** Why native sites could not be found (not Linux/glibc, addon without tracker, fn threw while tracked, ...). */
  nativeProfileError?: string;
  /** Default metrics left out because this process cannot read them, with why and how to fix (empty: none). */
  unmeasured: UnmeasuredMetric[];
  /** Milliseconds spent waiting for earlier measurements of this process (exclusiveMeasurement.ts); 0: none. */
  queuedMs: number;
  /** Handles code outside fn opened while this ran (the test's background work, foreignHandles.ts); absent: none. */
  foreignHandles?: ForeignHandleCount[];
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

function horizonInfo(opts: ResolvedOptions, looks: number, stopReason: StopReason): HorizonInfo {
  return {
    firstWindow: opts.iterations,
    looks,
    stopReason,
    maxDurationMs: opts.maxDurationMs,
    maxIterations: opts.maxIterations,
  };
}

/** Largest number of looks a run can take: the first window, then doublings while they stay within maxIterations. */
function maxLooks(opts: ResolvedOptions): number {
  if (opts.horizon === 'fixed') return 1;
  let looks = 1;
  for (let h = opts.iterations; h * 2 <= opts.maxIterations; h *= 2) looks++;
  return looks;
}

interface Measured {
  results: MetricResult[];
  iterations: number;
  samples: number;
  horizon: HorizonInfo;
}

/**
 * The measured run and its sequential verdict (src/stats/sequentialVerdict.ts): the first window, then, while any
 * deciding metric is undecided, one more stage doubling the horizon, as long as it fits within maxIterations and the
 * time budget (predicted from the pace so far). A leak in a deciding metric ends the run at once.
 */
async function measure(
  fn: () => unknown,
  opts: ResolvedOptions,
  gc: ReturnType<typeof getGc>,
  metrics: MetricName[],
  calibration: Calibration,
  runStarted: number,
): Promise<Measured> {
  // Unref'd timers count as handles only while armed, so that arming covers the warm-up (the baseline) and every row.
  const disarm = metrics.includes('handles') ? armUnrefTimers() : () => undefined;
  try {
    return await measureArmed(fn, opts, gc, metrics, calibration, runStarted);
  } finally {
    disarm();
  }
}

async function measureArmed(
  fn: () => unknown,
  opts: ResolvedOptions,
  gc: ReturnType<typeof getGc>,
  metrics: MetricName[],
  calibration: Calibration,
  runStarted: number,
): Promise<Measured> {
  const looksAllowed = maxLooks(opts);
  // The look at which each metric was decided clean (-1: not yet). A decision is final: a metric found clean is not
  // tested again at later looks (it is read on its own shorter series, src/stats/sequentialVerdict.ts), so each metric
  // is one sequential test that stops at its first boundary, and the run goes on only for the undecided ones.
  // Allocated before the baseline row, like every buffer of the run.
  const cleanAt = new Int16Array(METRIC_NAMES.length).fill(-1);
  // Survival counts (survivalSampler.ts) when asked for: started before the warm-up, so that its own first samples and
  // V8's switch to sampling are behind the baseline row.
  const started =
    opts.survivalCounts && opts.horizon === 'adaptive' && metrics.includes('heap')
      ? await SurvivalSampler.start()
      : undefined;
  const sampler = started instanceof SurvivalSampler ? started : undefined;
  const survival: SurvivalLooks = {
    sampler,
    unavailable: started && !(started instanceof SurvivalSampler) ? started.unavailable : undefined,
    verdicts: [],
    rowsAtLook: [],
  };
  try {
    return await measureStages(fn, opts, gc, metrics, calibration, runStarted, looksAllowed, cleanAt, survival);
  } finally {
    await sampler?.stop();
  }
}

/**
 * Survival counts of a run: the sampler, or why it could not start, the survivors' verdict at each look so far, and the
 * sample rows the series had at each look (stages after the first can be light, below).
 */
interface SurvivalLooks {
  sampler?: SurvivalSampler;
  unavailable?: string;
  verdicts: SurvivalVerdict[];
  rowsAtLook: number[];
}

/**
 * Rows of a light stage: one taken when every deciding metric but the heap is decided and the heap is decided on its
 * survivors. Those need a full GC only where they are read (the stage's end), and the aggregate rows then only serve as
 * evidence; each of the 20 rows of a full stage costs a full GC (6–25 ms in a Jest worker). Four keep four survival
 * batches per stage (the granularity of the one-off set-aside) and four heap readings per stage in every table.
 */
const LIGHT_STAGE_ROWS = 4;

/** Whether the next stage can be light: survival counts decide the heap, and nothing else is left to decide. */
function lightNext(results: MetricResult[], opts: ResolvedOptions, survival: SurvivalLooks): boolean {
  if (!survival.sampler) return false;
  return results.every((r) => !isDeciding(opts, r.metric) || r.metric === 'heap' || r.decision !== 'undecided');
}

async function measureStages(
  fn: () => unknown,
  opts: ResolvedOptions,
  gc: ReturnType<typeof getGc>,
  metrics: MetricName[],
  calibration: Calibration,
  runStarted: number,
  looksAllowed: number,
  cleanAt: Int16Array,
  survival: SurvivalLooks,
): Promise<Measured> {
  const run = new SampleRun(fn, gc, 1 + opts.samples * looksAllowed, {
    signal: opts.signal,
    onProgress: opts.onProgress,
    survival: survival.sampler,
  });
  // Handle types before the run (taken before the baseline row, so it is in none of the sampled rows).
  const handlesBefore = metrics.includes('handles') ? handleCensus() : undefined;
  await run.start(opts.warmup, opts.iterations);
  let horizon = opts.iterations;
  await run.extend(horizon, opts.samples);
  for (let look = 0; ; look++) {
    survival.rowsAtLook.push(run.rows);
    if (survival.sampler) {
      // The last row's full GC has just run: the profile holds what is alive.
      const reading = await survival.sampler.read();
      survival.verdicts.push(
        decideSurvival({
          x: reading.ends,
          count: reading.count,
          bytes: reading.bytes,
          interval: reading.interval,
          horizon,
          look,
          firstWindow: opts.iterations,
          threshold: opts.threshold,
          smallestLeak: opts.smallestLeak,
        }),
      );
    }
    // A local that lives across an await stays alive in the async frame: the look's results (boxed samples of every
    // metric, tens of KiB) would be retained during the next stage and read as a step of growth at each look. So the
    // analysis runs in a sync helper and only what decides survives; the results are dropped before awaiting.
    let results: MetricResult[] | undefined = analyzeLook(
      run.series(),
      opts,
      metrics,
      calibration,
      horizon,
      look,
      cleanAt,
      survival,
    );
    const rows = lightNext(results, opts, survival) ? LIGHT_STAGE_ROWS : opts.samples;
    const reason = stopReason(results, opts, look, looksAllowed, horizon, run, runStarted, rows);
    if (reason) {
      if (handlesBefore) nameHandleTypes(results, handlesBefore);
      return { results, iterations: horizon, samples: run.rows - 1, horizon: horizonInfo(opts, look + 1, reason) };
    }
    results = undefined;
    const next = horizon * 2;
    const light = rows === LIGHT_STAGE_ROWS && survival.sampler !== undefined;
    // The analysis allocated (typed arrays whose backing stores V8 may free a collection late): let that settle before
    // the next batch, so none of it shows in the next rows. A light stage's rows decide nothing (the survivors do, and
    // the harness's own allocations are never counted as fn's), so it skips those collections.
    if (!light) await settleMemory(gc);
    await run.extend(next, rows, next, { light });
    horizon = next;
  }
}

/** Adds to the `handles` result which resource types rose over the run (the failure names an unref'd interval). */
function nameHandleTypes(results: MetricResult[], before: HandleCensus): void {
  const handles = results.find((r) => r.metric === 'handles');
  if (!handles) return;
  const grown = handleTypesGrown(before, handleCensus());
  if (grown.length > 0) handles.handleTypes = grown;
}

function isDeciding(opts: ResolvedOptions, metric: MetricName): boolean {
  return opts.explicitMetrics || (DEFAULT_DECIDING as readonly MetricName[]).includes(metric);
}

/** Every measured metric's result at this look (the fixed horizon: the 0.1 rule on the one window). */
function analyzeLook(
  series: SampleSeries,
  opts: ResolvedOptions,
  metrics: MetricName[],
  calibration: Calibration,
  horizon: number,
  look: number,
  cleanAt?: Int16Array,
  survival?: SurvivalLooks,
): MetricResult[] {
  const results: MetricResult[] = [];
  for (const metric of metrics) {
    const col = METRIC_NAMES.indexOf(metric);
    if (opts.horizon === 'adaptive' && cleanAt && cleanAt[col] >= 0 && cleanAt[col] < look) {
      // Decided clean at an earlier look: the same analysis of the series as it was then gives the same decision.
      const k = cleanAt[col];
      const rows = survival?.rowsAtLook[k] ?? 1 + opts.samples * (k + 1);
      const prefix = { rows, values: series.values.subarray(0, rows * METRIC_COUNT), x: series.x.subarray(0, rows) };
      const [earlier] = analyzeLook(
        prefix,
        opts,
        [metric],
        calibration,
        opts.iterations * 2 ** k,
        k,
        undefined,
        survival,
      );
      if (earlier) results.push({ ...earlier, decidedAt: opts.iterations * 2 ** k });
      continue;
    }
    const y = column(series, col);
    if (y.some(Number.isNaN)) continue;
    const unit = metricUnit(metric);
    const sigma = calibration.sigma[col];
    const common = {
      metric,
      unit,
      x: series.x,
      y,
      threshold: unit === 'bytes' ? opts.threshold : 0,
      deciding: isDeciding(opts, metric),
      controlSigma: Number.isFinite(sigma) ? sigma : 0,
    };
    if (opts.horizon === 'fixed') {
      const r = analyzeMetric({ ...common, iterations: horizon, riseGuard: false });
      results.push({ ...r, decision: r.leak ? 'leak' : 'clean' });
    } else {
      let r = decideLook({ ...common, horizon, look, smallestLeak: opts.smallestLeak });
      if (metric === 'heap' && survival?.verdicts[look] && survival.sampler) {
        r = heapWithSurvival(r, survival.verdicts[look], survival.sampler.interval);
      } else if (metric === 'heap' && survival?.unavailable) {
        r = { ...r, survivalUnavailable: survival.unavailable };
      }
      if (cleanAt && r.decision === 'clean') cleanAt[col] = look;
      results.push(r);
    }
  }
  return results;
}

/**
 * Whether the run stops after this look, and why: a fixed horizon; a leak in a deciding metric, or none undecided; the
 * iteration cap; or a time budget the next doubling would not fit in (predicted from fn's time per iteration and the
 * settle-and-read time per sample so far). Undefined: extend.
 */
function stopReason(
  results: MetricResult[],
  opts: ResolvedOptions,
  look: number,
  looksAllowed: number,
  horizon: number,
  run: SampleRun,
  runStarted: number,
  nextRows: number,
): StopReason | undefined {
  if (opts.horizon === 'fixed') return 'fixed-horizon';
  const deciding = results.filter((r) => isDeciding(opts, r.metric));
  if (deciding.some((r) => r.leak) || !deciding.some((r) => r.decision === 'undecided')) return 'decided';
  const next = horizon * 2;
  if (look + 1 >= looksAllowed || next > opts.maxIterations) return 'max-iterations';
  const { batchMs, settleMs, iterations, samples } = run.timing;
  const predicted =
    (batchMs / Math.max(1, iterations)) * (next - horizon) + (settleMs / Math.max(1, samples)) * nextRows;
  if (performance.now() - runStarted + predicted > opts.maxDurationMs) return 'time-budget';
  return undefined;
}

/**
 * Measures whether `fn` (sync or async, awaited each iteration) leaks.
 * Throws LeakproofError for bad options (LEAKPROOF_E_OPTIONS), no GC (LEAKPROOF_E_GC), an explicitly requested metric
 * that cannot be read (LEAKPROOF_E_METRIC_UNAVAILABLE) or an abort (LEAKPROOF_E_ABORTED). If fn itself throws, the
 * returned detection carries the error and no verdict. One measurement runs at a time per process: a call made while
 * another measures waits its turn (`queuedMs`); inside a test it is aborted when the test ends and stops before the
 * test's timeout (exclusiveMeasurement.ts).
 */
export async function detectLeak(fn: () => unknown, options?: DetectOptions): Promise<LeakDetection> {
  if (typeof fn !== 'function') {
    throw new LeakproofError(
      'LEAKPROOF_E_OPTIONS',
      `leakproof: the value under test must be a function; received ${fn === null ? 'null' : typeof fn}.`,
    );
  }
  return measureExclusively('detectLeak', options, async (exclusive) => {
    const restorePretenuring = suspendPretenuring();
    try {
      return await detectLeakNow(fn, exclusive);
    } finally {
      restorePretenuring();
    }
  });
}

/** detectLeak's measurement proper, run once it holds the process's measurement lock. */
async function detectLeakNow(fn: () => unknown, options: DetectOptions): Promise<Omit<LeakDetection, 'queuedMs'>> {
  const started = performance.now();
  const opts = resolveOptions(options);
  const gc = opts.gc ?? getGc();
  if (gc.method === 'unavailable') {
    throw new LeakproofError(
      'LEAKPROOF_E_GC',
      'leakproof: cannot force garbage collection in this process, so growth cannot be told from garbage. ' +
        'Run under the leakproof Jest environment (preset "leakproof") or the leakproof/vitest setup file, or start node with --expose-gc, ' +
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
    horizon: horizonInfo(opts, 0, 'decided'),
    unmeasured: unmeasuredMetrics(unavailable, snapshot),
  };
  const { calibration, fresh } = await getCalibration(gc, opts.gc === undefined);
  const calibrationMs = fresh ? calibration.durationMs : 0;
  const runStarted = performance.now();
  let measured: Measured;
  try {
    measured = await measure(fn, opts, gc, metrics, calibration, runStarted);
  } catch (err) {
    if (isLeakproofError(err) && err.code === 'LEAKPROOF_E_FN_THREW') {
      return { ...base, leak: false, metrics: [], durationMs: performance.now() - started, calibrationMs, error: err };
    }
    throw err;
  }
  const { results } = measured;
  Object.assign(base, { iterations: measured.iterations, samples: measured.samples, horizon: measured.horizon });
  const runMs = performance.now() - runStarted;
  const leak = results.some((r) => r.leak);
  const profiled: Pick<
    LeakDetection,
    'allocationProfile' | 'allocationProfileError' | 'nativeProfile' | 'nativeProfileError'
  > = {};
  if (opts.allocationSites && results.some((r) => r.leak && JS_MEMORY_METRICS.includes(r.metric))) {
    try {
      profiled.allocationProfile = await profileAllocationSites(
        fn,
        profileIterations(measured.iterations, opts.warmup, runMs),
        gc,
      );
    } catch (err) {
      profiled.allocationProfileError = err instanceof Error ? err.message : String(err);
    }
  }
  Object.assign(
    profiled,
    await nativeSitesAfterVerdict(fn, opts, results, profileIterations(measured.iterations, opts.warmup, runMs), gc),
  );
  return {
    ...base,
    leak,
    metrics: results,
    durationMs: performance.now() - started,
    calibrationMs,
    ...profiled,
  };
}
