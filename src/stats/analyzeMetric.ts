// The per-metric verdict: robust slope and its 95% interval, growth over the run, shape, and whether it is a leak.
import type { MetricName, MetricResult } from '../jest/record';
import { classifyGrowth } from './classifyGrowth';
import { ols } from './ols';
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
 * Interval: the union of Sen's interval and the OLS t-interval (each misses what the other sees: Sen ignores outliers,
 * OLS sees scatter), widened to at least what the control run's noise alone would give, then shifted by the harness drift.
 * Verdict: memory metrics leak when growthLow > threshold; handle and fd counts leak when at least one more is held with
 * confidence (growthLow ≥ 1, above the threshold) and the series rises steadily (classification linear).
 */
export function analyzeMetric(input: AnalyzeInput): MetricResult {
  const { metric, unit, x, y, iterations, threshold, deciding } = input;
  const n = Math.min(x.length, y.length);
  const sigma = input.controlSigma ?? 0;
  const drift = input.controlDriftPerIteration ?? 0;
  const ts = theilSen(x, y, n);
  const fit = ols(x, y, n);
  const noiseHalf = sigma > 0 ? (1.959964 * sigma) / Math.sqrt(fit.sxx) : 0;
  const slope = ts.slope - drift;
  const slopeLow = Math.min(ts.slopeLow, fit.slopeLow, ts.slope - noiseHalf) - drift;
  const slopeHigh = Math.max(ts.slopeHigh, fit.slopeHigh, ts.slope + noiseHalf) - drift;
  const classification = classifyGrowth({ x, y, resolution: resolutionFor(unit, sigma) });
  const growth = slope * iterations;
  const growthLow = slopeLow * iterations;
  const growthHigh = slopeHigh * iterations;
  let peak = -Infinity;
  for (let i = 0; i < n; i++) peak = Math.max(peak, y[i] - y[0]);
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
    leak,
    peak,
    samples: Array.from({ length: n }, (_, i) => y[i]),
    sampleIterations: Array.from({ length: n }, (_, i) => x[i]),
  };
}
