// Number and series formatting shared by every output format, so the table, Markdown, JUnit and HTML say the same thing.
import * as path from 'path';
import type { MetricResult } from '../src/model';
import { metricSparkline } from '../src/stats/sparkline';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `1536` → `1.5 KiB`; signed adds `+` for positive values. Non-finite values print as `n/a`. */
export function formatBytes(value: number, signed = false): string {
  if (!Number.isFinite(value)) return 'n/a';
  const sign = value < 0 ? '-' : signed && value > 0 ? '+' : '';
  let v = Math.abs(value);
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  const digits = u === 0 ? 0 : v < 10 ? 2 : v < 100 ? 1 : 0;
  return `${sign}${v.toFixed(digits)} ${UNITS[u]}`;
}

/** A count (handles, fds) with at most two decimals. */
export function formatCount(value: number, signed = false): string {
  if (!Number.isFinite(value)) return 'n/a';
  const sign = signed && value > 0 ? '+' : '';
  const rounded = Math.round(value * 100) / 100;
  return `${sign}${rounded}`;
}

export function formatQuantity(value: number, unit: MetricResult['unit'], signed = false): string {
  return unit === 'bytes' ? formatBytes(value, signed) : formatCount(value, signed);
}

/** `+1.2 KiB/iter [0.9 KiB … 1.5 KiB]` */
export function formatSlope(m: MetricResult): string {
  return `${formatQuantity(m.slope, m.unit, true)}/iter [${formatQuantity(m.slopeLow, m.unit)} … ${formatQuantity(m.slopeHigh, m.unit)}]`;
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
