// Growth pattern of a long memory series, judged window by window: a steady leak grows in every window up to the end;
// a plateau (a cache filling up, a pool warming) grows early and then stops; a stable series keeps its baseline.
// The shape itself is the engine's one classifier (src/stats/classifyGrowth.ts); the windows add the long-run question
// "does it still grow at the end?" and the per-window slopes the endurance suite prints.
import type { GrowthClass } from '../../../src/model';
import { classifyGrowth } from '../../../src/stats/classifyGrowth';
import { median } from '../../../src/stats/median';
import { theilSen } from '../../../src/stats/theilSen';

export type GrowthPattern = 'stable' | 'plateau' | 'linear';

export interface WindowFit {
  /** First and last iteration index in the window. */
  from: number;
  to: number;
  slope: number;
  slopeLow: number;
  slopeHigh: number;
  /** Median reading in the window. */
  level: number;
}

export interface GrowthAnalysis {
  pattern: GrowthPattern;
  /** Theil–Sen over the whole series: units per iteration and its 95% interval. */
  slope: number;
  slopeLow: number;
  slopeHigh: number;
  windows: WindowFit[];
  /** Median of the last window minus median of the first: how far the baseline moved. */
  drift: number;
  /** The engine's shape of the whole series (classifyGrowth with the tolerance as its resolution). */
  shape: GrowthClass;
  /** Why the pattern was chosen, for failure messages. */
  reason: string;
}

/**
 * Classifies a series of readings `y` taken at iterations `x`.
 * - linear: the engine's classifier names the shape linear, the whole-run lower bound of growth exceeds `tolerance`,
 *   AND the last window still grows (its slope's lower bound, projected over the window, is above zero);
 * - plateau: the baseline moved by more than `tolerance`, but not as a steady rise to the end (it stopped, or stepped);
 * - stable: the baseline moved by `tolerance` or less.
 */
export function analyzeGrowth(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  tolerance: number,
  windows = 4,
): GrowthAnalysis {
  const n = Math.min(x.length, y.length);
  if (n < windows * 3)
    throw new RangeError(`analyzeGrowth: need at least ${windows * 3} readings for ${windows} windows, got ${n}`);
  if (!(tolerance >= 0)) throw new RangeError(`analyzeGrowth: tolerance must be ≥ 0, got ${tolerance}`);
  const all = theilSen(x, y, n);
  const fits: WindowFit[] = [];
  for (let w = 0; w < windows; w++) {
    const a = Math.floor((w * n) / windows);
    const b = Math.floor(((w + 1) * n) / windows);
    const xs = Array.from({ length: b - a }, (_, i) => x[a + i]);
    const ys = Array.from({ length: b - a }, (_, i) => y[a + i]);
    const f = theilSen(xs, ys);
    fits.push({
      from: xs[0],
      to: xs[xs.length - 1],
      slope: f.slope,
      slopeLow: f.slopeLow,
      slopeHigh: f.slopeHigh,
      level: median(ys),
    });
  }
  const span = x[n - 1] - x[0];
  const drift = fits[fits.length - 1].level - fits[0].level;
  const last = fits[fits.length - 1];
  const lastSpan = last.to - last.from;
  const growthLow = all.slopeLow * span;
  const stillGrowing = last.slopeLow * lastSpan > tolerance / windows / 4 && last.slopeLow > 0;
  let pattern: GrowthPattern;
  let reason: string;
  const shape = classifyGrowth({
    x: Array.from({ length: n }, (_, i) => x[i]),
    y: Array.from({ length: n }, (_, i) => y[i]),
    resolution: tolerance,
  });
  if (shape === 'linear' && growthLow > tolerance && stillGrowing) {
    pattern = 'linear';
    reason = `a ${shape} series that grows ${Math.round(all.slope)}/iter overall (≥ ${Math.round(growthLow)} over ${span} iterations > ${tolerance}) and still grows in the last window (≥ ${Math.round(last.slopeLow)}/iter)`;
  } else if (drift > tolerance) {
    pattern = 'plateau';
    reason = `a ${shape} series: baseline moved ${Math.round(drift)} (> ${tolerance}) but it is not a steady rise to the end (last window: slope ${Math.round(last.slope)} [${Math.round(last.slopeLow)}, ${Math.round(last.slopeHigh)}])`;
  } else {
    pattern = 'stable';
    reason = `a ${shape} series: baseline moved ${Math.round(drift)} (≤ ${tolerance})`;
  }
  return {
    pattern,
    slope: all.slope,
    slopeLow: all.slopeLow,
    slopeHigh: all.slopeHigh,
    windows: fits,
    drift,
    shape,
    reason,
  };
}
