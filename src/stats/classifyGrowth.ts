// Names the shape of a measured series: none / linear / step / plateau / noisy.
import type { GrowthClass } from '../model';
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

/** At most this many leading samples are set aside as released memory. */
const MAX_RELEASED_SAMPLES = 2;

/**
 * How many leading samples (0, 1 or 2) to set aside: the most k for which each of the first k sits above the line
 * through the samples after them, by at least the resolution and six robust σ of their scatter. That is memory earlier
 * garbage still held when the baseline was read and later collections released (V8 frees dead ArrayBuffers' backing
 * stores on a background thread and settles its `external` total lazily, one or two collections late; a closed handle
 * leaves the list a turn late): it says nothing about what fn does, and a line or step fitted through it would name the
 * wrong shape (seen in CI: a 4 KiB/iteration leak named "step", then "noisy", after MiBs were released after row 0, and
 * once after row 1). Leading samples *below* the rest are growth fn caused and stay; three or more high samples are a
 * real step down.
 */
function releasedLeadingSamples({ x, y, resolution }: ClassifyInput): number {
  const n = Math.min(x.length, y.length);
  for (let k = MAX_RELEASED_SAMPLES; k >= 1; k--) {
    if (n - k < 5) continue;
    const rx = Array.from({ length: n - k }, (_, i) => x[i + k]);
    const ry = Array.from({ length: n - k }, (_, i) => y[i + k]);
    const rest = theilSen(rx, ry);
    const floor = Math.max(resolution, 6 * robustSigma(ry.map((v, i) => v - (rest.intercept + rest.slope * rx[i]))));
    const above = (i: number): boolean => y[i] - (rest.intercept + rest.slope * x[i]) >= floor;
    // The first k, and not the one after them (else the high run is longer than k: a real step down).
    let all = !above(k);
    for (let i = 0; i < k && all; i++) all = above(i);
    if (all) return k;
  }
  return 0;
}

/**
 * The shape of a series, and how many leading samples were set aside as memory that later collections showed released
 * (releasedLeadingSamples) before reading it. Rules, in order (each shape is checked against a resolution, so tiny
 * wiggles never look like a shape):
 * - none: the series stays within the resolution, or neither trend nor scatter reaches it;
 * - step: one jump explains the series at least twice as well as a line, and both sides are flat (the first row alone
 *   makes a side only when it is below the rest);
 * - plateau: it rises in the first half and stops rising in the second;
 * - linear: the trend reaches the resolution and a line explains most of the variance (R² ≥ 0.6);
 * - noisy: anything else (scatter as large as the trend).
 */
export function describeGrowth({ x, y, resolution }: ClassifyInput): {
  classification: GrowthClass;
  releasedSamples: number;
} {
  const n = Math.min(x.length, y.length);
  const k = releasedLeadingSamples({ x, y, resolution });
  const classification =
    k > 0
      ? shapeOf(
          Array.from({ length: n - k }, (_, i) => x[i + k]),
          Array.from({ length: n - k }, (_, i) => y[i + k]),
          resolution,
        )
      : shapeOf(x, y, resolution);
  return { classification, releasedSamples: k };
}

/** The shape alone (see describeGrowth). */
export function classifyGrowth(input: ClassifyInput): GrowthClass {
  return describeGrowth(input).classification;
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
    const second = theilSen(
      Array.from({ length: n - half }, (_, i) => x[half + i]),
      Array.from({ length: n - half }, (_, i) => y[half + i]),
    );
    const rise1 = first.slope * (x[half] - x[0]);
    const rise2 = second.slope * (x[n - 1] - x[half]);
    if (rise1 >= resolution && Math.abs(rise2) < Math.max(resolution / 2, 0.2 * rise1)) return 'plateau';
  }

  if (Math.abs(trend) >= resolution) return fit.r2 >= 0.6 ? 'linear' : 'noisy';
  return scatter >= resolution ? 'noisy' : 'none';
}
