// The per-metric verdict: robust slope and its 95% interval, growth over the run, shape, and whether it is a leak.
import type { MetricName, MetricResult } from '../jest/record';
import { describeGrowth } from './classifyGrowth';
import { medianIncrement } from './medianIncrement';
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
}

/** The smallest change worth naming for a metric: the byte floor or 3σ of the harness noise, or one handle/fd. */
export function resolutionFor(unit: 'bytes' | 'count', controlSigma = 0): number {
  return unit === 'count' ? 1 : Math.max(BYTES_RESOLUTION_FLOOR, 3 * controlSigma);
}

/**
 * Slope: Theil–Sen. Lower bound: the larger of Sen's bound and the median-increment bound, since each misses what the
 * other sees (Sen follows stair-step growth whose increments are mostly zero; the increment median ignores the large
 * one-off frees by which the runtime shifts a native series down). Both are widened to at least what the control run's
 * noise alone would give.
 * Verdict: memory metrics leak when growthLow > threshold; handle and fd counts leak when at least one more is held with
 * confidence (growthLow ≥ 1, above the threshold) and the series rises steadily (classification linear).
 */
export function analyzeMetric(input: AnalyzeInput): MetricResult {
  const { metric, unit, x, y, iterations, threshold, deciding } = input;
  const n = Math.min(x.length, y.length);
  const sigma = input.controlSigma ?? 0;
  const drift = input.controlDriftPerIteration ?? 0;
  const ts = theilSen(x, y, n);
  const inc = medianIncrement(x, y, n);
  let sxx = 0;
  let mx = 0;
  for (let i = 0; i < n; i++) mx += x[i] / n;
  for (let i = 0; i < n; i++) sxx += (x[i] - mx) ** 2;
  const noiseHalf = sigma > 0 ? (1.959964 * sigma) / Math.sqrt(sxx) : 0;
  const slope = ts.slope - drift;
  const slopeLow = Math.min(Math.max(ts.slopeLow, inc.slopeLow), ts.slope - noiseHalf) - drift;
  const slopeHigh = Math.max(ts.slopeHigh, inc.slopeHigh, ts.slope + noiseHalf) - drift;
  const { classification, releasedSamples: released } = describeGrowth({ x, y, resolution: resolutionFor(unit, sigma) });
  const growth = slope * iterations;
  const growthLow = slopeLow * iterations;
  const growthHigh = slopeHigh * iterations;
  let peak = -Infinity;
  for (let i = released; i < n; i++) peak = Math.max(peak, y[i] - y[released]);
  const leak =
    deciding &&
    (unit === 'bytes' ? growthLow > threshold : growthLow >= 1 && growthLow > threshold && classification === 'linear');
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
    peak,
    samples: Array.from({ length: n }, (_, i) => y[i]),
    sampleIterations: Array.from({ length: n }, (_, i) => x[i]),
  };
}
