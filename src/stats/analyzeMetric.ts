// The per-metric verdict: robust slope and its 95% interval, growth over the run, shape, and whether it is a leak.
import type { MetricName, MetricResult } from '../model';
import { describeGrowth } from './classifyGrowth';
import { medianIncrement } from './medianIncrement';
import { normalQuantile } from './normalQuantile';
import { theilSen } from './theilSen';

/** Below this many bytes, growth over a run is not measurable reliably (chunk rounding, allocator and GC noise). */
export const BYTES_RESOLUTION_FLOOR = 4096;

export interface AnalyzeInput {
  metric: MetricName;
  unit: 'bytes' | 'count';
  /** Iteration index of each sample (0 = first sample after warm-up). */
  x: ArrayLike<number>;
  /** The readings. */
  y: ArrayLike<number>;
  /** Measured iterations (the growth horizon). */
  iterations: number;
  /** Tolerated growth over the measured iterations, in the metric's unit. */
  threshold: number;
  /** Whether this metric may call a leak (rss is measured but only decides when asked for). */
  deciding: boolean;
  /** Harness noise per sample from the control run (robust σ), in the metric's unit; 0 when unknown. */
  controlSigma?: number;
  /** Harness drift per iteration from the control run, subtracted from the slope; 0 when not significant. */
  controlDriftPerIteration?: number;
  /**
   * One-sided error of each of the two lower bounds (Sen's and the median increment's) whose larger value is the
   * verdict's bound, so the bound errs with probability at most 2 × tail. Default 2.5% (each bound one side of a 95%
   * interval); the sequential verdict passes its look's share of the error budget (src/stats/sequentialVerdict.ts).
   */
  tail?: number;
  /** Require the series to have risen by more than the threshold (observedRise) for a memory leak. Default true. */
  riseGuard?: boolean;
}

/** The smallest change worth naming for a metric: the byte floor or 3σ of the harness noise, or one handle/fd. */
export function resolutionFor(unit: 'bytes' | 'count', controlSigma = 0): number {
  return unit === 'count' ? 1 : Math.max(BYTES_RESOLUTION_FLOOR, 3 * controlSigma);
}

function median3(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

/**
 * How much the series actually rose: the median of its last three samples minus the median of its first three (after
 * any released leading samples), with the largest single drop between consecutive samples added back (one large
 * release mid-run, a trimmed arena or a late-freed earlier garbage, must not hide a leak). A necessary condition for a
 * memory leak: memory cannot have leaked more than it grew, and a slope extrapolated over the horizon can exceed what
 * a series rose (a single step halfway through a run reads as a slope of about twice its height over the run).
 */
export function observedRise(y: ArrayLike<number>, from: number, n: number): number {
  if (n - from < 6) return n - from >= 2 ? y[n - 1] - y[from] : 0;
  const first = median3(y[from], y[from + 1], y[from + 2]);
  const last = median3(y[n - 3], y[n - 2], y[n - 1]);
  let drop = 0;
  for (let i = from + 1; i < n; i++) drop = Math.min(drop, y[i] - y[i - 1]);
  return last - first - drop;
}

/**
 * Slope: Theil–Sen. Lower bound: the larger of Sen's bound and the median-increment bound, since each misses what the
 * other sees (Sen follows stair-step growth whose increments are mostly zero; the increment median ignores the large
 * one-off frees by which the runtime shifts a native series down). Both are widened to at least what the control run's
 * noise alone would give.
 * Verdict: memory metrics leak when growthLow > threshold and the series rose by more than the threshold
 * (observedRise); handle and fd counts leak when at least one more is held with
 * confidence (growthLow ≥ 1, above the threshold) and the series rises steadily (classification linear).
 */
export function analyzeMetric(input: AnalyzeInput): MetricResult {
  const { metric, unit, x, y, iterations, threshold, deciding } = input;
  const n = Math.min(x.length, y.length);
  const sigma = input.controlSigma ?? 0;
  const drift = input.controlDriftPerIteration ?? 0;
  const tail = input.tail ?? 0.025;
  const z = tail === 0.025 ? 1.959964 : normalQuantile(1 - tail);
  const ts = theilSen(x, y, n, z);
  const inc = medianIncrement(x, y, n, tail);
  let sxx = 0;
  let mx = 0;
  for (let i = 0; i < n; i++) mx += x[i] / n;
  for (let i = 0; i < n; i++) sxx += (x[i] - mx) ** 2;
  const noiseHalf = sigma > 0 ? (z * sigma) / Math.sqrt(sxx) : 0;
  const slope = ts.slope - drift;
  const slopeLow = Math.min(Math.max(ts.slopeLow, inc.slopeLow), ts.slope - noiseHalf) - drift;
  const slopeHigh = Math.max(ts.slopeHigh, inc.slopeHigh, ts.slope + noiseHalf) - drift;
  const { classification, releasedSamples: released } = describeGrowth({
    x,
    y,
    resolution: resolutionFor(unit, sigma),
  });
  const growth = slope * iterations;
  const growthLow = slopeLow * iterations;
  const growthHigh = slopeHigh * iterations;
  let peak = -Infinity;
  for (let i = released; i < n; i++) peak = Math.max(peak, y[i] - y[released]);
  const rise = observedRise(y, released, n);
  const leak =
    deciding &&
    (unit === 'bytes'
      ? growthLow > threshold && (input.riseGuard === false || rise > threshold)
      : growthLow >= 1 && growthLow > threshold && classification === 'linear');
  return {
    metric,
    unit,
    slope,
    slopeLow,
    slopeHigh,
    growth,
    growthLow,
    growthHigh,
    threshold,
    classification,
    ...(released > 0 ? { releasedSamples: released } : {}),
    leak,
    rise,
    peak,
    samples: Array.from({ length: n }, (_, i) => y[i]),
    sampleIterations: Array.from({ length: n }, (_, i) => x[i]),
  };
}
