// The growth figure a one-line summary prints for a metric: its growth and lower bound, or what its survivors held.
import type { MetricResult } from '../model';
import { formatAmount } from './formatAmount';

/**
 * "+35.2 KiB (95% low +30.8 KiB)", or for a heap decided a leak on survival counts "≥ 86.0 KiB still held by calls
 * after the first window (survival counts)": the figure the verdict compared with the threshold, so that a summary
 * never shows a falling heapUsed series beside a leak its survivors decided.
 */
export function growthFigure(m: MetricResult): string {
  const s = m.survival;
  if (s?.decision === 'leak') {
    return `≥ ${formatAmount(s.retainedLow, m.unit)} still held by calls after the first window (survival counts)`;
  }
  return `${formatAmount(m.growth, m.unit, true)} (95% low ${formatAmount(m.growthLow, m.unit, true)})`;
}
