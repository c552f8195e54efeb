// Theil–Sen slope (median of pairwise slopes) with Sen's distribution-free 95% interval.
import { median } from './median';

export interface TheilSenFit {
  slope: number;
  /** Median of y − slope·x. */
  intercept: number;
  slopeLow: number;
  slopeHigh: number;
}

const Z975 = 1.959964;

/**
 * `z` is the normal quantile of the interval (default 1.96: a two-sided 95% interval, 2.5% in each tail).
 * Robust to a minority of outliers and to a single jump, which is what a GC-settled memory series mostly suffers from.
 * The interval takes the order statistics of the pairwise slopes around the median at ±z·√Var(S), Var(S) being the
 * variance of Kendall's S under no trend: n(n−1)(2n+5)/18.
 */
export function theilSen(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number = Math.min(x.length, y.length),
  z: number = Z975,
): TheilSenFit {
  if (n < 2) throw new RangeError(`theilSen: need at least 2 points, got ${n}`);
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let count = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = x[j] - x[i];
      if (dx !== 0) slopes[count++] = (y[j] - y[i]) / dx;
    }
  }
  if (count === 0) throw new RangeError('theilSen: all x values are equal');
  const sorted = slopes.subarray(0, count).sort();
  const slope = median(sorted, count);
  const c = z * Math.sqrt((n * (n - 1) * (2 * n + 5)) / 18);
  // 1-based ranks (N − C)/2 and (N + C)/2 + 1, rounded outward so the interval never shrinks.
  const lowRank = Math.floor((count - c) / 2);
  const highRank = Math.ceil((count + c) / 2) + 1;
  const slopeLow = sorted[Math.min(count - 1, Math.max(0, lowRank - 1))];
  const slopeHigh = sorted[Math.min(count - 1, Math.max(0, highRank - 1))];
  const resid = new Float64Array(n);
  for (let i = 0; i < n; i++) resid[i] = y[i] - slope * x[i];
  return { slope, intercept: median(resid, n), slopeLow, slopeHigh };
}
