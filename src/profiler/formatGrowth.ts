// One line naming each metric's change, for reports: `heap +1.2 MiB, external 0 B, native +64.0 KiB, fds +1`.
import type { MetricName } from '../model';
import { METRIC_NAMES, metricUnit } from '../engine/metrics';
import { formatAmount } from './formatAmount';
import type { MemoryGrowth } from './snapshotGrowth';

export function formatGrowth(growth: MemoryGrowth, metrics: readonly MetricName[] = METRIC_NAMES): string {
  const parts: string[] = [];
  for (const m of metrics) {
    const v = growth[m];
    if (v !== undefined) parts.push(`${m} ${formatAmount(v, metricUnit(m))}`);
  }
  return parts.length > 0 ? parts.join(', ') : 'no metric readable';
}
