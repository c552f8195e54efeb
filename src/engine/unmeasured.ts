// Which requested metrics this process cannot read, and for each why and how to fix it: the "never silent" list.
import type { MetricName, UnmeasuredMetric } from '../model';
import { BUILD_NATIVE_HINT, nativeUnavailableReason } from '../native';

/** Metrics read through the native addon; the others come from Node itself. */
const NATIVE_METRICS: readonly MetricName[] = ['native', 'fds'];

/** Why `metric` reads NaN here and what would make it readable. */
function explain(metric: MetricName): UnmeasuredMetric {
  const addonMissing = NATIVE_METRICS.includes(metric) ? nativeUnavailableReason() : undefined;
  if (addonMissing) return { metric, reason: addonMissing, fix: BUILD_NATIVE_HINT };
  if (metric === 'native') {
    return {
      metric,
      reason: 'this C library has no malloc statistics (mallinfo2/mallinfo are glibc only)',
      fix: 'run the tests on glibc Linux (e.g. a Debian or Ubuntu container) to measure the native heap',
    };
  }
  if (metric === 'fds') {
    return {
      metric,
      reason: 'open descriptors cannot be counted here (no /proc/self/fd or /dev/fd)',
      fix: 'run the tests on Linux or macOS to count file descriptors',
    };
  }
  return { metric, reason: `Node ${process.version} cannot report it`, fix: 'use a current Node (20 or later)' };
}

/** The entries of `requested` that are NaN in `snapshot`, explained (empty when every one can be read). */
export function unmeasuredMetrics(
  requested: readonly MetricName[],
  snapshot: Readonly<Record<MetricName, number>>,
): UnmeasuredMetric[] {
  return requested.filter((m) => Number.isNaN(snapshot[m])).map(explain);
}

/** One line naming what was not measured, why, and the fix; '' when nothing is missing. Same text everywhere. */
export function unmeasuredWarning(list: readonly UnmeasuredMetric[]): string {
  if (list.length === 0) return '';
  const byReason = new Map<string, { metrics: MetricName[]; fix: string }>();
  for (const u of list) {
    const entry = byReason.get(u.reason) ?? { metrics: [], fix: u.fix };
    if (!entry.metrics.includes(u.metric)) entry.metrics.push(u.metric);
    byReason.set(u.reason, entry);
  }
  const parts = [...byReason].map(([reason, e]) => `${e.metrics.join(', ')} not measured: ${reason}; to fix, ${e.fix}`);
  return `leakproof warning: ${parts.join('. ')}.`;
}
