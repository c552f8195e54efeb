// The plain-text report of a verdict (profiler, stress test, `leakproof check`): a headline, then one row per metric
// with slope, interval, growth, shape and a sparkline.
import type { AllocationSite, HorizonInfo, MetricResult } from '../model';
import { describeHorizon } from './describeHorizon';
import { describeUndecided } from './describeUndecided';
import { formatAmount as formatKernelAmount } from './formatAmount';
import { formatSite } from './formatSite';
import { metricSparkline } from './sparkline';
import { pad } from './pad';

/** Every amount in a verdict is a change, so signed unless said otherwise. */
function formatAmount(value: number, unit: 'bytes' | 'count', signed = true): string {
  return formatKernelAmount(value, unit, signed);
}

export interface VerdictSummary {
  /** What was measured, e.g. `runMemoryStressTest` or a profiler label. */
  title: string;
  leak: boolean;
  metrics: MetricResult[];
  /** The growth horizon: measured iterations (stress test) or snapshot intervals (profiler). */
  iterations: number;
  /** Word for one step of the horizon in the text: "iteration" or "snapshot". */
  step: string;
  threshold: number;
  durationMs?: number;
  /** Where a JS-memory leak's retained objects were allocated: one `allocated in` line each, after the table. */
  allocationSites?: AllocationSite[];
  /** How the sequential verdict reached its horizon (stress test and `leakproof check`). */
  horizon?: HorizonInfo;
}

/** Multi-line plain text (no colour), leading with what leaked. */
export function formatVerdict(v: VerdictSummary): string {
  const leaking = v.metrics.filter((m) => m.leak);
  const lines: string[] = [];
  const span = `${v.iterations} ${v.step}${v.iterations === 1 ? '' : 's'}`;
  const took = v.durationMs !== undefined ? ` in ${(v.durationMs / 1000).toFixed(2)} s` : '';
  if (leaking.length > 0) {
    const names = leaking.map((m) => `${m.metric} ${formatAmount(m.growth, m.unit)}`).join(', ');
    lines.push(
      `${v.title}: LEAK: ${names} over ${span} (threshold ${formatAmount(v.threshold, 'bytes', false)})${took}`,
    );
  } else {
    lines.push(`${v.title}: no leak over ${span} (threshold ${formatAmount(v.threshold, 'bytes', false)})${took}`);
  }
  const header = ['metric', `slope per ${v.step} [95%]`, 'growth [95%]', 'shape', 'verdict', 'series'];
  const rows = v.metrics.map((m) => [
    m.metric,
    `${formatAmount(m.slope, m.unit)} [${formatAmount(m.slopeLow, m.unit)}, ${formatAmount(m.slopeHigh, m.unit)}]`,
    `${formatAmount(m.growth, m.unit)} [${formatAmount(m.growthLow, m.unit)}, ${formatAmount(m.growthHigh, m.unit)}]`,
    m.classification,
    m.leak ? 'LEAK' : m.decision === 'undecided' ? 'undecided' : 'ok',
    metricSparkline(m, 24),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  for (const r of [header, ...rows])
    lines.push('  ' + r.map((cell, c) => (c === r.length - 1 ? cell : pad(cell, widths[c]))).join('  '));
  const how = describeHorizon(v);
  if (how) lines.push(`  horizon: ${v.iterations} ${v.step}s, ${how}`);
  for (const m of v.metrics.filter((r) => r.decision === 'undecided' && !r.leak)) {
    lines.push(
      `  undecided: ${describeUndecided(m, v.step)}` +
        ' when the run stopped (passes; raise maxDurationMs/maxIterations, or smallestLeak, to decide it)',
    );
  }
  for (const site of v.allocationSites ?? []) {
    lines.push(
      `  allocated in ${formatSite(site)}: ~${formatAmount(site.bytesPerIteration, 'bytes', false)} of ${site.kind === 'native' ? 'native' : 'JS'} heap per ${v.step}`,
    );
  }
  return lines.join('\n');
}
