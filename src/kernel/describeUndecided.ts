// The rate an undecided metric showed when its run stopped, in words, for every face that names one.
import type { MetricResult } from '../model';
import { formatAmount } from './formatAmount';

/**
 * "heap growing +38 B/iter (up to +61 B/iter)", or "heap falling -420 B/iter (down to -510 B/iter)" for memory still
 * being released (the clean verdict needs the newest half's rate shown inside ±smallestLeak; docs/matcher.md).
 * `step` is the unit of the horizon as the face writes it ("iter", "iteration").
 */
export function describeUndecided(m: MetricResult, step: string): string {
  const rate = m.recentSlope ?? m.slope;
  const floor = m.recentSlopeFloor;
  if (rate < 0 && floor !== undefined) {
    return `${m.metric} falling ${formatAmount(rate, m.unit, true)}/${step} (down to ${formatAmount(floor, m.unit, true)}/${step})`;
  }
  const high =
    m.recentSlopeHigh !== undefined ? ` (up to ${formatAmount(m.recentSlopeHigh, m.unit, true)}/${step})` : '';
  return `${m.metric} growing ${formatAmount(rate, m.unit, true)}/${step}${high}`;
}
