// Median of per-iteration increments between consecutive samples, with a distribution-free 95% interval.
import { median } from './median';

export interface MedianIncrementFit {
  slope: number;
  slopeLow: number;
  slopeHigh: number;
}

/**
 * Largest rank r (1-based) with P(Binomial(m, ½) < r) ≤ tail (default 2.5%): the order statistics r and m + 1 − r bound
 * the median, each side missing it with probability at most `tail`.
 */
export function medianRank(m: number, tail = 0.025): number {
  let cdf = 0;
  let term = 0.5 ** m; // P(X = 0)
  let r = 0;
  for (let k = 0; k < m; k++) {
    if (cdf + term > tail) break;
    cdf += term;
    r = k + 1;
    term = (term * (m - k)) / (k + 1);
  }
  return Math.max(1, r);
}

/**
 * Robust where Theil–Sen is not: when the runtime frees a large block mid-run (a finished JIT compile job, a trimmed
 * arena), the level series shifts down once and Sen's interval widens to include zero, yet most increments still show
 * the leak. A single increment, up or down, cannot move this median.
 */
export function medianIncrement(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number = Math.min(x.length, y.length),
  tail = 0.025,
): MedianIncrementFit {
  if (n < 2) throw new RangeError(`medianIncrement: need at least 2 points, got ${n}`);
  const inc = new Float64Array(n - 1);
  let m = 0;
  for (let i = 1; i < n; i++) {
    const dx = x[i] - x[i - 1];
    if (dx > 0) inc[m++] = (y[i] - y[i - 1]) / dx;
  }
  if (m === 0) throw new RangeError('medianIncrement: x must increase');
  const sorted = inc.subarray(0, m).sort();
  const r = medianRank(m, tail);
  return { slope: median(sorted, m), slopeLow: sorted[r - 1], slopeHigh: sorted[m - r] };
}
