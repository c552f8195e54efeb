// Growth between two metric snapshots: after − before for every metric both could read.
import type { MetricName } from '../model';
import { METRIC_NAMES, type MetricSnapshot } from '../engine/metrics';

/** Change per metric, in the metric's unit (bytes, or a count for handles and fds). Unreadable metrics are absent. */
export type MemoryGrowth = Partial<Record<MetricName, number>>;

export function snapshotGrowth(
  before: MetricSnapshot,
  after: MetricSnapshot,
  metrics: readonly MetricName[] = METRIC_NAMES,
): MemoryGrowth {
  const growth: MemoryGrowth = {};
  for (const m of metrics) {
    const d = after[m] - before[m];
    if (Number.isFinite(d)) growth[m] = d;
  }
  return growth;
}
