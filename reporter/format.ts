// Number and series formatting shared by every output format, so the table, Markdown, JUnit and HTML say the same thing.
import * as path from 'path';
import type { MetricResult } from '../src/model';
import { formatAmount, formatBytes, formatCount } from '../src/kernel/formatAmount';
import { metricSparkline } from '../src/kernel/sparkline';

// `1536` → `1.50 KiB`, counts with at most two decimals, `n/a` for non-finite: the kernel's one formatter.
export { formatBytes, formatCount };

/** `formatAmount` from the kernel under the reporter's name. */
export function formatQuantity(value: number, unit: MetricResult['unit'], signed = false): string {
  return formatAmount(value, unit, signed);
}

/** A metric's sparkline in the tables, 16 characters wide (the engine's metricSparkline: one chart everywhere). */
export function sparkline(m: Pick<MetricResult, 'samples' | 'releasedSamples'>): string {
  return metricSparkline(m, 16);
}

/** Posix-style path relative to `rootDir` (absolute input outside rootDir stays absolute). */
export function relativeTestPath(rootDir: string, testPath: string): string {
  const rel = path.relative(rootDir, testPath);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return testPath.split(path.sep).join('/');
  return rel.split(path.sep).join('/');
}
