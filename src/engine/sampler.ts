// The measuring loop: warm-up, then batches of iterations, each followed by a settled full GC and one sample row.
import { setImmediate as realSetImmediate } from 'node:timers';
import { LeakproofError } from '../errors';
import type { GcHandle } from './gc';
import { METRIC_COUNT, readMetricsInto } from './metrics';
import { settleMemory } from './settleMemory';

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
}

/** Awaited from node:timers, not the global: a test that installed fake timers would otherwise hang the sampler. */
function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}

/**
 * One macrotask turn (timer callbacks, pending async continuations, native finalizers queued by the previous GC), then a
 * full GC. Finalizers that this GC queues run before the next sample instead: a lag of one sample, the same for every
 * sample, so it adds no trend, and it halves the cost compared with collecting twice (a full GC takes 6–25 ms in Jest).
 */
export async function settle(gc: GcHandle): Promise<void> {
  await nextMacrotask();
  gc.gc();
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * One call of fn, awaited when it returns a thenable. Its result lives only in this frame, which is gone when the call
 * returns: a caller that kept `fn()` in a local of its own (async functions keep locals alive across their next await)
 * would retain the last iteration's result and count it as growth.
 */
export async function callOnce(fn: () => unknown, iteration: number, phase: 'warm-up' | 'measured' | 'profiled'): Promise<void> {
  try {
    const result = fn();
    if (isThenable(result)) await result;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new LeakproofError('LEAKPROOF_E_FN_THREW', `fn threw in ${phase} iteration ${iteration + 1}: ${message}`, { cause: err });
  }
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new LeakproofError('LEAKPROOF_E_ABORTED', 'leakproof: the run was aborted');
}

/**
 * Runs the plan and returns the series. Every buffer is allocated before the first measured iteration, so the harness's
 * own allocations are the same for every sample and show no trend.
 */
export async function runSampler(fn: () => unknown, plan: SamplePlan, gc: GcHandle, hooks: SamplerHooks = {}): Promise<SampleSeries> {
  const rows = plan.samples + 1;
  const values = new Float64Array(rows * METRIC_COUNT);
  const x = new Float64Array(rows);
  const total = plan.warmup + plan.iterations;
  for (let i = 0; i < plan.warmup; i++) await callOnce(fn, i, 'warm-up');
  checkAbort(hooks.signal);
  hooks.onProgress?.(plan.warmup, total);
  // The baseline row anchors every slope, so it waits until external/arrayBuffers stop moving (settleMemory): V8 can
  // release an earlier garbage's backing store (warm-up, the control run, a previous test) one collection late, and a
  // baseline inflated by it would turn a clean linear series into a "step" (seen in CI: 2 MiB freed between rows 0
  // and 1 of a 4 KiB/iteration leak).
  await settleMemory(gc);
  readMetricsInto(values, 0);
  x[0] = 0;
  let done = 0;
  for (let r = 1; r < rows; r++) {
    // Spread iterations evenly: batch r ends at round(r · iterations / samples).
    const end = Math.round((r * plan.iterations) / plan.samples);
    for (; done < end; done++) await callOnce(fn, done, 'measured');
    checkAbort(hooks.signal);
    await settle(gc);
    readMetricsInto(values, r * METRIC_COUNT);
    x[r] = done;
    hooks.onProgress?.(plan.warmup + done, total);
  }
  return { rows, values, x };
}

/** Column `col` of the series as its own array (after measuring; allocation no longer matters). */
export function column(series: SampleSeries, col: number): Float64Array {
  const out = new Float64Array(series.rows);
  for (let r = 0; r < series.rows; r++) out[r] = series.values[r * METRIC_COUNT + col];
  return out;
}
