// memoryProfile: wraps a function so that every call reports the memory it left behind, without changing what it returns.
import type { MetricName } from '../model';
import { isThenable } from '../kernel/isThenable';
import { METRIC_NAMES, readMetrics, type MetricSnapshot } from '../engine/metrics';
import type { GcHandle } from '../engine/gc';
import { formatGrowth } from './formatGrowth';
import { requireGc } from './requireGc';
import { settleMemory, settleMemorySync } from '../engine/settleMemory';
import { snapshotGrowth, type MemoryGrowth } from './snapshotGrowth';
import { checkFunction, checkLabel, checkMetrics, checkOptions, invalid } from './validate';

export interface ProfiledCall {
  label: string;
  /** 1-based count of calls to this wrapper. */
  call: number;
  growth: MemoryGrowth;
  /** One line: `label #3: heap +12.0 KiB, ...`. */
  report: string;
  durationMs: number;
}

export interface MemoryProfileOptions {
  /** Name in reports. Default: fn's name, or `anonymous`. */
  label?: string;
  /** Metrics to report. Default: every readable one. */
  metrics?: MetricName[];
  /** Receives each call's measurement. */
  onMeasure?: (call: ProfiledCall) => void;
  /** Where report lines go: a function, true for console.log, false for nowhere. Default: console.log unless onMeasure is given. */
  log?: boolean | ((line: string) => void);
}

export const MEMORY_PROFILE_OPTION_KEYS = ['label', 'metrics', 'onMeasure', 'log'] as const;

/**
 * Returns a function with fn's signature and `this`. Each call is bracketed by full GCs and readings. A sync fn stays sync
 * (back-to-back GCs on each side); when fn returns a promise, the closing reading waits for it and settles asynchronously.
 * Errors from fn pass through unchanged, unmeasured.
 */
export function memoryProfile<A extends unknown[], R>(
  fn: (...args: A) => R,
  options?: MemoryProfileOptions,
): (...args: A) => R {
  const where = 'memoryProfile';
  checkFunction(where, 'fn', fn);
  const o = checkOptions(where, options, MEMORY_PROFILE_OPTION_KEYS);
  const label = o.label === undefined ? fn.name || 'anonymous' : checkLabel(where, 'label', o.label);
  const metrics = o.metrics === undefined ? METRIC_NAMES : checkMetrics(where, o.metrics);
  if (o.onMeasure !== undefined && typeof o.onMeasure !== 'function')
    invalid(where, 'onMeasure', 'a function', o.onMeasure);
  if (o.log !== undefined && typeof o.log !== 'boolean' && typeof o.log !== 'function')
    invalid(where, 'log', 'a boolean or a function', o.log);
  const onMeasure = o.onMeasure as ((call: ProfiledCall) => void) | undefined;
  const log: ((line: string) => void) | undefined =
    typeof o.log === 'function'
      ? (o.log as (line: string) => void)
      : o.log === true || (o.log === undefined && !onMeasure)
        ? (line) => console.log(line)
        : undefined;
  let calls = 0;
  let gc: GcHandle | undefined;

  const finish = (before: MetricSnapshot, started: number, ended: number): void => {
    const growth = snapshotGrowth(before, readMetrics(), metrics);
    const call = ++calls;
    const measured: ProfiledCall = {
      label,
      call,
      growth,
      report: `${label} #${call}: ${formatGrowth(growth, metrics)}`,
      durationMs: ended - started,
    };
    onMeasure?.(measured);
    log?.(measured.report);
  };

  return function profiled(this: unknown, ...args: A): R {
    gc ??= requireGc(where);
    settleMemorySync(gc);
    const before = readMetrics();
    const started = performance.now();
    const out = fn.apply(this, args);
    if (!isThenable(out)) {
      const ended = performance.now();
      settleMemorySync(gc);
      finish(before, started, ended);
      return out;
    }
    const handle = gc;
    return Promise.resolve(out).then(async (value) => {
      const ended = performance.now();
      await settleMemory(handle);
      finish(before, started, ended);
      return value;
    }) as R;
  };
}
