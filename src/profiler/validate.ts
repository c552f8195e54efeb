// Boundary checks for the profiler API: each names the argument, what was expected and what was received.
import type { MetricName } from '../model';
import { LeakproofError } from '../errors';
import { METRIC_NAMES } from '../engine/metrics';
import { describeValue as describe, isOptionsObject, unknownKeyOf } from '../kernel/validate';

export function invalid(where: string, name: string, expected: string, value: unknown): never {
  throw new LeakproofError(
    'LEAKPROOF_E_OPTIONS',
    `leakproof: ${where}: \`${name}\` must be ${expected}; received ${describe(value)}.`,
  );
}

export function checkFunction(where: string, name: string, value: unknown): void {
  if (typeof value !== 'function') invalid(where, name, 'a function', value);
}

/** An options argument: undefined or a plain object holding only known keys (a typo must not silently run defaults). */
export function checkOptions(where: string, value: unknown, known: readonly string[]): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isOptionsObject(value)) invalid(where, 'options', 'an object', value);
  const key = unknownKeyOf(value, known);
  if (key !== undefined) {
    throw new LeakproofError(
      'LEAKPROOF_E_OPTIONS',
      `leakproof: ${where}: unknown option \`${key}\`; known options: ${known.join(', ')}.`,
    );
  }
  return value;
}

export function checkThreshold(where: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    invalid(where, 'threshold', 'a finite number of bytes ≥ 0', value);
  return value;
}

export function checkLabel(where: string, name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) invalid(where, name, 'a non-empty string', value);
  return value;
}

export function checkMetrics(where: string, value: unknown): MetricName[] {
  if (!Array.isArray(value) || value.length === 0)
    invalid(where, 'metrics', `a non-empty array of ${METRIC_NAMES.join(', ')}`, value);
  for (const m of value) {
    if (!(METRIC_NAMES as readonly unknown[]).includes(m))
      invalid(where, 'metrics', `a list of ${METRIC_NAMES.join(', ')}`, m);
  }
  return METRIC_NAMES.filter((m) => (value as unknown[]).includes(m));
}
