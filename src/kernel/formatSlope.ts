// A metric's slope with its 95% interval, as the reporter's table, Markdown, JUnit and HTML print it.
import type { MetricResult } from '../model';
import { formatAmount } from './formatAmount';

/** `+1.20 KiB/iter [922 B … 1.50 KiB]`: the slope signed, its interval's bounds as they are, in the metric's unit. */
export function formatSlope(m: Pick<MetricResult, 'slope' | 'slopeLow' | 'slopeHigh' | 'unit'>): string {
  return `${formatAmount(m.slope, m.unit, true)}/iter [${formatAmount(m.slopeLow, m.unit)} … ${formatAmount(m.slopeHigh, m.unit)}]`;
}
