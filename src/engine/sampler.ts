// The measuring loop: warm-up, then batches of iterations, each followed by a settled full GC and one sample row.
// The real clock: a test's jest.useFakeTimers() also fakes the global performance.now().
import { performance } from 'node:perf_hooks';
import { setImmediate as realSetImmediate } from 'node:timers';
import { LeakproofError } from '../errors';
import { isThenable } from '../kernel/isThenable';
import type { GcHandle } from './gc';
import { METRIC_COUNT, readMetricsInto } from './metrics';
import { settleMemory } from './settleMemory';
import { pruneDestroyedTimers } from './unrefTimers';
import { finishCompiling } from './finishCompiling';
import { finishSweeping } from './finishSweeping';
import type { SurvivalSampler } from './survivalSampler';

export interface SamplePlan {
  warmup: number;
  iterations: number;
  /** Samples after the baseline; the series has samples + 1 rows. */
  samples: number;
}

export interface SampleSeries {
  rows: number;
  /** Row-major: row r holds METRIC_COUNT readings at values[r * METRIC_COUNT ...] in METRIC_NAMES order. */
  values: Float64Array;
  /** Iterations completed (after warm-up) when each row was read. */
  x: Float64Array;
}

export interface SamplerHooks {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Survival counts of the run: told where the run stands in the allocation samples (survivalSampler.ts). */
  survival?: SurvivalSampler;
  /**
   * Rows between two survival boundaries in a stage after the first (the last row of every stage is always one, and so
   * is the baseline; the first window's inner boundaries are never read, since the survival rule leaves that window
   * out). Default: a quarter of the stage's rows (5 of 20). Each boundary is one inspector profile, and V8 runs a full
   * GC for each (4–8 ms measured in plain node), so one per row would double a full stage's cost; four batches per
   * stage keep the one-off set-aside of the survival rule to a quarter stage.
   */
  survivalEvery?: number;
}

/** How a stage takes its rows (SampleRun.extend). */
export interface StageOptions {
  /**
   * A light stage: every row is a survival boundary, and the full GC V8 runs for the boundary's profile is the row's GC
   * (no second one). Used when survival counts decide the heap and no other metric is left to decide, so the rows are
   * evidence only (detectLeak.ts, LIGHT_STAGE_ROWS).
   */
  light?: boolean;
}

/** Awaited from node:timers, not the global: a test that installed fake timers would otherwise hang the sampler. */
function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}

/**
 * One macrotask turn (timer callbacks, pending async continuations, native finalizers queued by the previous GC), a
 * full GC, and one more macrotask turn, in which the finalizers this GC queued run (a zlib handle's external memory is
 * released there). Without that last turn each sample carried the whole previous batch's garbage: harmless while every
 * batch had the same size, but the sequential verdict doubles the batches at each stage, and a clean zlib round trip
 * then read as +1.4 KiB of external per iteration over 1,600. The turn costs microseconds; a second GC would cost
 * 6–25 ms in Jest.
 */
export async function settle(gc: GcHandle, collect?: () => Promise<void>): Promise<void> {
  await nextMacrotask();
  pruneDestroyedTimers();
  if (collect) await collect();
  else gc.gc();
  finishSweeping();
  await nextMacrotask();
  finishCompiling();
}

/**
 * One call of fn, awaited when it returns a thenable. Its result lives only in this frame, which is gone when the call
 * returns: a caller that kept `fn()` in a local of its own (async functions keep locals alive across their next await)
 * would retain the last iteration's result and count it as growth.
 */
export async function callOnce(
  fn: () => unknown,
  iteration: number,
  phase: 'warm-up' | 'measured' | 'profiled',
): Promise<void> {
  try {
    const result = fn();
    if (isThenable(result)) await result;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new LeakproofError('LEAKPROOF_E_FN_THREW', `fn threw in ${phase} iteration ${iteration + 1}: ${message}`, {
      cause: err,
    });
  }
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new LeakproofError('LEAKPROOF_E_ABORTED', 'leakproof: the run was aborted');
}

/** Where the time of a run went, so the caller can predict what one more stage would cost. */
export interface SamplerTiming {
  /** Wall time inside fn's measured iterations (batches), in ms. */
  batchMs: number;
  /** Wall time of the per-sample settle-and-read steps, in ms. */
  settleMs: number;
  /** Measured iterations and sample rows (after the baseline) behind those figures. */
  iterations: number;
  samples: number;
}

/**
 * A measured run that can be extended: warm-up, a settled baseline row, then stages of batches, each followed by a
 * settled full GC and one sample row. Every buffer is allocated before the baseline row for the largest series the run
 * may reach (`maxRows`), so the harness's own allocations are the same for every sample and show no trend, however
 * many times the run is extended.
 */
export class SampleRun {
  readonly values: Float64Array;
  readonly x: Float64Array;
  rows = 0;
  /** Measured iterations so far (after warm-up). */
  done = 0;
  readonly timing: SamplerTiming = { batchMs: 0, settleMs: 0, iterations: 0, samples: 0 };
  private warmup = 0;

  constructor(
    private readonly fn: () => unknown,
    private readonly gc: GcHandle,
    readonly maxRows: number,
    private readonly hooks: SamplerHooks = {},
  ) {
    this.values = new Float64Array(maxRows * METRIC_COUNT);
    this.x = new Float64Array(maxRows);
  }

  /** Warm-up calls, then the baseline row (row 0), read once external/arrayBuffers stop moving. */
  async start(warmup: number, total: number): Promise<void> {
    // The signal is read before every call: once a run is aborted (its test ended), fn is not called again.
    for (let i = 0; i < warmup; i++) {
      checkAbort(this.hooks.signal);
      await callOnce(this.fn, i, 'warm-up');
    }
    checkAbort(this.hooks.signal);
    this.hooks.onProgress?.(warmup, warmup + total);
    // The baseline row anchors every slope, so it waits until external/arrayBuffers stop moving (settleMemory): V8 can
    // release an earlier garbage's backing store (warm-up, the control run, a previous test) one collection late, and
    // a baseline inflated by it would turn a clean linear series into a "step" (seen in CI: 2 MiB freed between rows 0
    // and 1 of a 4 KiB/iteration leak).
    await settleMemory(this.gc);
    readMetricsInto(this.values, 0);
    await this.hooks.survival?.boundary(0);
    this.x[0] = 0;
    this.rows = 1;
    this.warmup = warmup;
  }

  /**
   * Runs fn until `until` measured iterations are done, reading `samples` rows spread evenly over the new iterations
   * (batch r of the stage ends at round(from + r · (until − from) / samples)). `total` is only for progress reports.
   */
  async extend(until: number, samples: number, total: number = until, stage: StageOptions = {}): Promise<void> {
    if (this.rows === 0) throw new RangeError('SampleRun: start() first');
    if (this.rows + samples > this.maxRows)
      throw new RangeError(`SampleRun: ${this.rows + samples} rows exceed the ${this.maxRows} allocated`);
    const from = this.done;
    for (let r = 1; r <= samples; r++) {
      const end = from + Math.round((r * (until - from)) / samples);
      const t0 = performance.now();
      for (; this.done < end; this.done++) {
        checkAbort(this.hooks.signal);
        await callOnce(this.fn, this.done, 'measured');
      }
      const t1 = performance.now();
      checkAbort(this.hooks.signal);
      const survival = this.hooks.survival;
      const every = stage.light ? 1 : (this.hooks.survivalEvery ?? Math.max(1, Math.round(samples / 4)));
      // The first window's inner boundaries are taken only when asked for (survivalEvery: the lab, the tests).
      const inner = from > 0 || this.hooks.survivalEvery !== undefined;
      const boundary = survival && (r === samples || (inner && r % every === 0));
      const done = this.done;
      if (boundary && stage.light) {
        await settle(this.gc, () => survival.boundary(done));
        readMetricsInto(this.values, this.rows * METRIC_COUNT);
      } else {
        await settle(this.gc);
        readMetricsInto(this.values, this.rows * METRIC_COUNT);
        if (boundary) await survival.boundary(done);
      }
      this.timing.settleMs += performance.now() - t1;
      this.timing.batchMs += t1 - t0;
      this.x[this.rows] = this.done;
      this.rows++;
      this.hooks.onProgress?.(this.warmup + this.done, this.warmup + total);
    }
    this.timing.iterations = this.done;
    this.timing.samples = this.rows - 1;
  }

  /** The rows so far as a series (views, not copies: valid until the next extend). */
  series(): SampleSeries {
    return {
      rows: this.rows,
      values: this.values.subarray(0, this.rows * METRIC_COUNT),
      x: this.x.subarray(0, this.rows),
    };
  }
}

/** Runs a fixed plan in one stage and returns the series (the control run and other one-window callers). */
export async function runSampler(
  fn: () => unknown,
  plan: SamplePlan,
  gc: GcHandle,
  hooks: SamplerHooks = {},
): Promise<SampleSeries> {
  const run = new SampleRun(fn, gc, plan.samples + 1, hooks);
  await run.start(plan.warmup, plan.iterations);
  await run.extend(plan.iterations, plan.samples);
  return run.series();
}

/** Column `col` of the series as its own array (after measuring; allocation no longer matters). */
export function column(series: SampleSeries, col: number): Float64Array {
  const out = new Float64Array(series.rows);
  for (let r = 0; r < series.rows; r++) out[r] = series.values[r * METRIC_COUNT + col];
  return out;
}
