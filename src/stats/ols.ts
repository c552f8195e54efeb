// Ordinary least squares line with a 95% t-interval on the slope.
import { t975 } from './tQuantile';

export interface OlsFit {
  slope: number;
  intercept: number;
  /** 95% confidence interval of the slope (t-distribution, n − 2 degrees of freedom). */
  slopeLow: number;
  slopeHigh: number;
  /** Standard error of the slope. */
  slopeSe: number;
  /** Residual standard deviation. */
  residualSd: number;
  /** Coefficient of determination; 1 for a constant series fitted exactly. */
  r2: number;
  /** Σ (x − x̄)². */
  sxx: number;
}

export function ols(x: ArrayLike<number>, y: ArrayLike<number>, n: number = Math.min(x.length, y.length)): OlsFit {
  if (n < 2) throw new RangeError(`ols: need at least 2 points, got ${n}`);
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) throw new RangeError('ols: all x values are equal');
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const sse = Math.max(0, syy - slope * sxy);
  const df = n - 2;
  const residualSd = df > 0 ? Math.sqrt(sse / df) : 0;
  const slopeSe = df > 0 ? residualSd / Math.sqrt(sxx) : Infinity;
  const half = df > 0 ? t975(df) * slopeSe : Infinity;
  const r2 = syy === 0 ? 1 : 1 - sse / syy;
  return { slope, intercept, slopeLow: slope - half, slopeHigh: slope + half, slopeSe, residualSd, r2, sxx };
}
