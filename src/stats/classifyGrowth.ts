// Names the shape of a measured series: none / linear / step / plateau / noisy.
import type { GrowthClass } from '../jest/record';
import { robustSigma } from './median';
import { ols } from './ols';
import { theilSen } from './theilSen';

export interface ClassifyInput {
  /** Sample positions (iteration index), strictly increasing. */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /**
   * The smallest change worth naming, in y's unit: changes below it count as no change. For bytes, the measurement floor
   * (a few KiB, or more when the control run was noisier); for counts, 1.
   */
  resolution: number;
}

/** Sum of squared deviations of y[from .. to) from their mean. */
function sse(y: ArrayLike<number>, from: number, to: number): number {
  let m = 0;
  for (let i = from; i < to; i++) m += y[i];
  m /= to - from;
  let s = 0;
  for (let i = from; i < to; i++) s += (y[i] - m) ** 2;
  return s;
}

function mean(y: ArrayLike<number>, from: number, to: number): number {
  let m = 0;
  for (let i = from; i < to; i++) m += y[i];
  return m / (to - from);
}

/**
 * True when the first row (the baseline) alone sits above the line through the others, by at least the resolution and
 * six robust σ of their scatter. That is memory earlier garbage still held when the baseline was read and a later
 * collection released (V8 frees dead ArrayBuffers' backing stores on a background thread, a collection late; a closed
 * handle leaves the list a turn late): it says nothing about what fn does, and a line or step fitted through it would
 * name the wrong shape (seen in CI: a 4 KiB/iteration leak named "step" after 2 MiB was released between rows 0 and 1).
 * A first row *below* the others is growth fn caused and stays.
 */
export function baselineReleasedLater({ x, y, resolution }: ClassifyInput): boolean {
  const n = Math.min(x.length, y.length);
  if (n < 6) return false;
  const rx = Array.from({ length: n - 1 }, (_, i) => x[i + 1]);
  const ry = Array.from({ length: n - 1 }, (_, i) => y[i + 1]);
  const rest = theilSen(rx, ry);
  const resid = ry.map((v, i) => v - (rest.intercept + rest.slope * rx[i]));
  const above = y[0] - (rest.intercept + rest.slope * x[0]);
  return above >= resolution && above >= 6 * robustSigma(resid);
}

/**
 * Rules, in order (each shape is checked against a resolution, so tiny wiggles never look like a shape), after setting
 * aside a baseline row that later collections showed to hold released memory (baselineReleasedLater):
 * - none: the series stays within the resolution, or neither trend nor scatter reaches it;
 * - step: one jump explains the series at least twice as well as a line, and both sides are flat (the first row alone
 *   makes a side only when it is below the rest);
 * - plateau: it rises in the first half and stops rising in the second;
 * - linear: the trend reaches the resolution and a line explains most of the variance (R² ≥ 0.6);
 * - noisy: anything else (scatter as large as the trend).
 */
export function classifyGrowth({ x, y, resolution }: ClassifyInput): GrowthClass {
  const n = Math.min(x.length, y.length);
  if (baselineReleasedLater({ x, y, resolution })) {
    return shapeOf(Array.from({ length: n - 1 }, (_, i) => x[i + 1]), Array.from({ length: n - 1 }, (_, i) => y[i + 1]), resolution);
  }
  return shapeOf(x, y, resolution);
}

function shapeOf(x: ArrayLike<number>, y: ArrayLike<number>, resolution: number): GrowthClass {
  const n = Math.min(x.length, y.length);
  if (n < 3) return 'none';
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, y[i]);
    hi = Math.max(hi, y[i]);
  }
  if (hi - lo < resolution) return 'none';

  const ts = theilSen(x, y, n);
  const span = x[n - 1] - x[0];
  const trend = ts.slope * span;
  const resid = new Float64Array(n);
  for (let i = 0; i < n; i++) resid[i] = y[i] - (ts.intercept + ts.slope * x[i]);
  const scatter = robustSigma(resid, n);

  const fit = ols(x, y, n);
  const sseLine = (1 - fit.r2) * sse(y, 0, n);
  let bestSplit = -1;
  let bestSse = Infinity;
  for (let c = 1; c <= n - 2; c++) {
    // A lone first row is a side of a step only below the rest: fn retained something once, after the baseline.
    if (c === 1 && mean(y, 1, n) <= y[0]) continue;
    const s = sse(y, 0, c) + sse(y, c, n);
    if (s < bestSse) {
      bestSse = s;
      bestSplit = c;
    }
  }
  if (bestSplit > 0) {
    const jump = mean(y, bestSplit, n) - mean(y, 0, bestSplit);
    const withinSd = Math.sqrt(bestSse / n);
    if (Math.abs(jump) >= resolution && bestSse <= 0.5 * sseLine && withinSd <= Math.abs(jump) / 4) return 'step';
  }

  if (n >= 6) {
    const half = n >> 1;
    const first = theilSen(x, y, half + 1);
    const second = theilSen(Array.from({ length: n - half }, (_, i) => x[half + i]), Array.from({ length: n - half }, (_, i) => y[half + i]));
    const rise1 = first.slope * (x[half] - x[0]);
    const rise2 = second.slope * (x[n - 1] - x[half]);
    if (rise1 >= resolution && Math.abs(rise2) < Math.max(resolution / 2, 0.2 * rise1)) return 'plateau';
  }

  if (Math.abs(trend) >= resolution) return fit.r2 >= 0.6 ? 'linear' : 'noisy';
  return scatter >= resolution ? 'noisy' : 'none';
}
