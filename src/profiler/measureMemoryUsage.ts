// measureMemoryUsage: what one call of fn leaves behind, per metric, between two GC-settled readings.
import type { MetricName } from '../model';
import { METRIC_NAMES, readMetrics } from '../engine/metrics';
import { LeakproofError } from '../errors';
import { formatGrowth } from './formatGrowth';
import { requireGc } from './requireGc';
import { settleMemory } from '../engine/settleMemory';
import { withMeasurement } from '../engine/measurementLock';
import { currentTestScope } from '../engine/testScope';
import { snapshotGrowth, type MemoryGrowth } from './snapshotGrowth';
import { checkFunction, checkLabel, checkMetrics, checkOptions } from './validate';

export interface MeasureOptions {
  /** Name used in the report. Default: fn's name, or `measureMemoryUsage`. */
  label?: string;
  /** Metrics to report. Default: every readable one. */
  metrics?: MetricName[];
}

export interface MemoryUsageResult<T> {
  /** What fn returned (awaited when it returned a promise). */
  result: T;
  /** Retained change per metric: after − before, both after full GC. Includes whatever `result` itself holds. */
  growth: MemoryGrowth;
  /** One line: `label: heap +1.2 MiB, external 0 B, ...`. */
  report: string;
  durationMs: number;
}

const WHERE = 'measureMemoryUsage';

/**
 * Calls fn once (sync or async) between two settled readings (full GCs with macrotask turns between them, until
 * array-buffer memory stops moving), after any other measurement of this process has finished. If fn throws or
 * rejects, the promise rejects with LeakproofError LEAKPROOF_E_FN_THREW carrying the original error as `cause`.
 */
export async function measureMemoryUsage<T>(
  fn: () => T | Promise<T>,
  options?: MeasureOptions,
): Promise<MemoryUsageResult<Awaited<T>>> {
  checkFunction(WHERE, 'fn', fn);
  const o = checkOptions(WHERE, options, ['label', 'metrics']);
  const label = o.label === undefined ? fn.name || WHERE : checkLabel(WHERE, 'label', o.label);
  const metrics = o.metrics === undefined ? METRIC_NAMES : checkMetrics(WHERE, o.metrics);
  const gc = requireGc(WHERE);
  // One measurement at a time per process: its two readings must not take in another's memory.
  return withMeasurement(label, currentTestScope()?.signal, async () => {
    await settleMemory(gc);
    const before = readMetrics();
    const started = performance.now();
    let result: Awaited<T>;
    try {
      result = await fn();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new LeakproofError('LEAKPROOF_E_FN_THREW', `leakproof: ${WHERE}: fn threw: ${message}`, { cause: err });
    }
    const durationMs = performance.now() - started;
    await settleMemory(gc);
    const growth = snapshotGrowth(before, readMetrics(), metrics);
    return { result, growth, report: `${label}: ${formatGrowth(growth, metrics)}`, durationMs };
  });
}
