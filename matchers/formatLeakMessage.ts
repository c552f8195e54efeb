// Builds the toLeakMemory failure message: Jest's hint line, expected vs received, then one line per metric.
import type { LeakDetection } from '../src/engine/detectLeak';
import { describeHorizon } from '../src/kernel/describeHorizon';
import type { MetricResult } from '../src/model';
import { formatAmount, formatBytes } from '../src/kernel/formatAmount';
import { describeUndecided } from '../src/kernel/describeUndecided';
import { formatSite } from '../src/kernel/formatSite';
import { growthFigure } from '../src/kernel/growthFigure';
import { formatSlope } from '../src/kernel/formatSlope';
import { headlineMetric } from '../src/kernel/headlineMetric';
import { pad } from '../src/kernel/pad';
import { metricSparkline } from '../src/kernel/sparkline';
import { nativeSiteLines } from '../src/engine/nativeSiteLines';

/** The colours of the runner's matcher utils (Jest's and Vitest's both have them). */
type Utils = { RECEIVED_COLOR: (text: string) => string; EXPECTED_COLOR: (text: string) => string };

function metricLine(m: MetricResult, iterations: number, utils: Utils): string {
  const per = formatSlope(m);
  const growth = `${formatAmount(m.growth, m.unit, true)} (≥ ${formatAmount(m.growthLow, m.unit, true)})`;
  const limit = m.unit === 'bytes' ? `threshold ${formatBytes(m.threshold)}` : 'steady rise ≥ 1';
  const color = m.leak ? utils.RECEIVED_COLOR : (s: string) => s;
  const flag = m.leak ? utils.RECEIVED_COLOR('  ← leak') : m.decision === 'undecided' ? '  ← undecided' : '';
  void iterations;
  return `  ${pad(m.metric, 13)}${color(pad(per, 40))} ${color(pad(growth, 28))} ${pad(limit, 21)} ${pad(m.classification, 8)} ${metricSparkline(m, 24)}${flag}`;
}

/** The "where" part: the allocation sites of retained JS memory, or why they are missing. */
function allocationLines(detection: LeakDetection, utils: Utils): string[] {
  const profile = detection.allocationProfile;
  if (detection.allocationProfileError !== undefined) {
    return ['', `Allocation sites unavailable: ${detection.allocationProfileError}`];
  }
  if (!profile) return [];
  const head = `Where the retained objects were allocated (V8 sampling heap profiler, ${profile.iterations} more iterations; JS heap bytes only):`;
  if (profile.sites.length === 0) {
    return [
      '',
      head,
      '  no allocation in user code stayed alive (the growth is owned by native code or by the runtime)',
    ];
  }
  const lines = ['', head];
  for (const site of profile.sites) {
    const amount = utils.RECEIVED_COLOR(pad(`${formatBytes(site.bytesPerIteration, true)}/iter`, 14));
    lines.push(`  ${amount} ${formatSite(site)}`);
    for (const caller of site.callers) lines.push(`  ${' '.repeat(14)}   ← ${caller}`);
  }
  return lines;
}

/**
 * The survivors' line when survival counts decided the heap (docs/matcher.md, "Survival counts"): what stayed alive, and
 * what that decided, so a grown or flat heapUsed series above it is not read as the verdict.
 */
export function survivalLines(detection: LeakDetection): string[] {
  const heap = detection.metrics.find((m) => m.metric === 'heap');
  if (heap?.survivalUnavailable)
    return ['', `Survival counts unavailable (heap decided on heapUsed): ${heap.survivalUnavailable}`];
  const s = heap?.survival;
  if (!heap || !s) return [];
  const verdict =
    s.decision === 'leak'
      ? `leak: at least ${formatBytes(s.retainedLow)} still held, past the threshold, by calls spread over the run`
      : s.decision === 'clean'
        ? `clean: the calls at least half the run old kept under smallestLeak per call`
        : heap.leak
          ? 'undecided on survivors; the heapUsed series decided (growth held in one object replaced as it grows, such as a table)'
          : 'undecided';
  return [
    '',
    `Survivors (heap, V8 allocation samples every ${formatBytes(s.interval)}): ${s.postCount} still alive from the calls ` +
      `after the first window (${formatBytes(s.postBytes)}), ${s.agedCount} of them from the ${s.agedCalls} oldest calls; ${verdict}`,
  ];
}

/** One line per metric left undecided when the run stopped (passing, but not silently), with its newest half's rate. */
export function undecidedLines(detection: LeakDetection): string[] {
  return detection.metrics
    .filter((m) => m.decision === 'undecided' && !m.leak)
    .map(
      (m) =>
        `${describeUndecided(m, 'iter')}, undecided at ${detection.iterations} iterations (${describeHorizon(detection)}); ` +
        'raise maxDurationMs/maxIterations (or smallestLeak) to decide it',
    );
}

export interface MessageInput {
  detection: LeakDetection;
  hint: string;
  isNot: boolean;
  utils: Utils;
}

export function formatLeakMessage({ detection, hint, isNot, utils }: MessageInput): string {
  const { iterations, warmup, samples, threshold } = detection;
  const over = `over ${iterations} iterations`;
  const expected = isNot
    ? `no metric to grow by more than ${utils.EXPECTED_COLOR(formatBytes(threshold))} ${over} (nor handles/fds to rise steadily)`
    : `some metric to grow by more than ${utils.EXPECTED_COLOR(formatBytes(threshold))} ${over}`;
  const top = headlineMetric(detection.metrics);
  const leaks = detection.metrics.filter((m) => m.leak);
  let received: string;
  if (leaks.length > 0) {
    received = leaks
      .map((m) =>
        m.survival?.decision === 'leak'
          ? `${m.metric}: ${utils.RECEIVED_COLOR(growthFigure(m))}`
          : `${m.metric} grew ${utils.RECEIVED_COLOR(formatAmount(m.growth, m.unit, true))} (95% lower bound ` +
            `${utils.RECEIVED_COLOR(formatAmount(m.growthLow, m.unit, true))}, ${formatAmount(m.slope, m.unit, true)} per iteration, ${m.classification})` +
            (m.handleTypes?.length
              ? `; still open: ${m.handleTypes
                  .slice(0, 3)
                  .map((t) => `${t.type} +${t.delta}`)
                  .join(', ')}`
              : ''),
      )
      .join('; ');
  } else if (top) {
    received =
      `no leak: largest growth ${top.metric} ${utils.RECEIVED_COLOR(formatAmount(top.growth, top.unit, true))} ` +
      `(95% lower bound ${utils.RECEIVED_COLOR(formatAmount(top.growthLow, top.unit, true))}, ${top.classification})`;
  } else {
    received = 'no leak (no metric could be measured)';
  }
  const lines = [
    hint,
    '',
    `Expected: ${expected}`,
    `Received: ${received}`,
    '',
    `  ${pad('metric', 13)}${pad('slope per iteration [95% interval]', 40)} ${pad('growth (95% low)', 28)} ${pad('limit', 21)} ${pad('shape', 8)} series`,
    ...detection.metrics.map((m) => metricLine(m, iterations, utils)),
    ...survivalLines(detection),
    ...allocationLines(detection, utils),
    ...nativeSiteLines(detection, utils.RECEIVED_COLOR),
    ...undecidedLines(detection).map((l, i) => (i === 0 ? `\nUndecided: ${l}` : `           ${l}`)),
    '',
    `${iterations} iterations measured after ${warmup} warm-up (${describeHorizon(detection)}), ${samples + 1} GC-settled samples, ` +
      `gc: ${detection.gcMethod}, ${Math.round(detection.durationMs)} ms`,
  ];
  return lines.join('\n');
}
