// The rate an undecided metric showed when its run stopped, in words, for every face that names one.
import type { MetricResult } from '../model';
import { formatAmount } from './formatAmount';

/**
 * "heap growing +38 B/iter (up to +61 B/iter)", or "heap falling -420 B/iter (down to -510 B/iter)" for memory still
 * being released (the clean verdict needs the newest half's rate shown inside ±smallestLeak; docs/matcher.md), or, for a
 * heap decided on survival counts, "heap survivors: 12 samples alive from 600 aged calls (up to 80 B/iter), 30 KiB held
 * since the first window".
 * `step` is the unit of the horizon as the face writes it ("iter", "iteration").
 */
export function describeUndecided(m: MetricResult, step: string): string {
  const s = m.survival;
  if (s) {
    // Decided on survivors (docs/matcher.md, "Survival counts"): what the aged calls kept, in the rule's own terms.
    if (s.agedCalls <= 0) return `${m.metric} survivors: no call old enough to read yet`;
    const high = s.rateHigh !== undefined ? ` (up to ${formatAmount(s.rateHigh, m.unit)}/${step})` : '';
    return (
      `${m.metric} survivors: ${s.agedCount} samples alive from ${s.agedCalls} aged calls` +
      `${high}, ${formatAmount(s.postBytes, m.unit)} held since the first window`
    );
  }
  const rate = m.recentSlope ?? m.slope;
  const floor = m.recentSlopeFloor;
  if (rate < 0 && floor !== undefined) {
    return `${m.metric} falling ${formatAmount(rate, m.unit, true)}/${step} (down to ${formatAmount(floor, m.unit, true)}/${step})`;
  }
  const high =
    m.recentSlopeHigh !== undefined ? ` (up to ${formatAmount(m.recentSlopeHigh, m.unit, true)}/${step})` : '';
  return `${m.metric} growing ${formatAmount(rate, m.unit, true)}/${step}${high}`;
}
