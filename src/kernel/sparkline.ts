// A one-line text chart of a series (▁▂▃▄▅▆▇█), for failure messages and terminal tables.
import type { MetricResult } from '../model';

const BARS = '▁▂▃▄▅▆▇█';

/** Scales min→▁ and max→█ in seven even steps; a flat series prints as ▁s. Longer series are averaged down to `width` characters. */
export function sparkline(values: ArrayLike<number>, width = 40): string {
  const n = values.length;
  if (n === 0) return '';
  const cols = Math.max(1, Math.min(width, n));
  const binned = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    const from = Math.floor((c * n) / cols);
    const to = Math.max(from + 1, Math.floor(((c + 1) * n) / cols));
    let s = 0;
    for (let i = from; i < to; i++) s += values[i];
    binned[c] = s / (to - from);
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of binned) {
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  let out = '';
  for (const v of binned) {
    if (!Number.isFinite(v)) out += ' ';
    else if (hi === lo) out += BARS[0];
    else out += BARS[Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1))];
  }
  return out;
}

/**
 * A metric's series as its shape was read: without leading samples set aside as released memory (releasedSamples), so
 * the chart is not flattened by garbage that was never fn's. Non-finite readings (a metric unreadable at a sample)
 * are left out.
 */
export function metricSparkline(m: Pick<MetricResult, 'samples' | 'releasedSamples'>, width?: number): string {
  return sparkline(m.samples.slice(m.releasedSamples ?? 0).filter(Number.isFinite), width);
}
