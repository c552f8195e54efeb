// The one rule that picks the metric a one-line summary names: the failure message, `leakproof check`, the reporter.
import type { MetricResult } from '../model';

/**
 * How close a metric came to a leak verdict: the 95% lower bound of its growth over the threshold, the very comparison
 * the verdict makes (> 1 is a leak); for a heap its survival counts called a leak, the lower bound of the bytes still
 * held (docs/matcher.md, "Survival counts"). A noisy series whose point estimate is large but not significant ranks low.
 * A metric with no positive threshold (handles, fds: any steady rise counts) ranks infinitely high once its lower
 * bound is above zero.
 */
export function thresholdRatio(m: MetricResult): number {
  if (!(m.threshold > 0)) return m.growthLow > 0 ? Number.POSITIVE_INFINITY : 0;
  // A heap decided on survival counts compares the bytes still held with the threshold, not the heapUsed slope.
  if (m.survival?.decision === 'leak') return m.survival.retainedLow / m.threshold;
  return m.growthLow / m.threshold;
}

function closest(pool: MetricResult[]): MetricResult | undefined {
  let best: MetricResult | undefined;
  for (const m of pool) if (!best || thresholdRatio(m) > thresholdRatio(best)) best = m;
  return best;
}

/**
 * The headline metric of one result, in this order (ties: the earlier metric in the result):
 * 1. a leaking metric: the one furthest past its threshold (thresholdRatio);
 * 2. else a metric left undecided (neither a leak nor shown below smallestLeak when the run stopped), rss aside: the closest;
 * 3. else the memory metric (bytes) closest to its threshold, rss aside; rss only when it is the sole memory metric,
 *    and a count metric (handles, fds) only when no memory metric was measured.
 * rss moves by whole pages and allocator arenas: unless it leaked (rule 1) it is not the metric to name. Undefined when
 * there are no metrics (fn threw).
 */
export function headlineMetric(metrics: readonly MetricResult[]): MetricResult | undefined {
  const leaking = metrics.filter((m) => m.leak);
  if (leaking.length > 0) return closest(leaking);
  const undecided = metrics.filter((m) => m.decision === 'undecided' && m.metric !== 'rss');
  if (undecided.length > 0) return closest(undecided);
  const memory = metrics.filter((m) => m.unit === 'bytes');
  const quiet = memory.filter((m) => m.metric !== 'rss');
  return closest(quiet.length > 0 ? quiet : memory.length > 0 ? memory : metrics.slice());
}
