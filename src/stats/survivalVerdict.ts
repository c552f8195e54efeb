// The leak verdict on survival counts: bytes fn allocated after its first window that are still alive long after.
import { poissonLower, poissonUpper } from './poissonBounds';
import { MISS_BETA, FAMILY_ALPHA } from './sequentialVerdict';

/*
 * The rule, and what it guarantees.
 *
 * Input: at a look with horizon T (calls measured so far), the live samples of V8's sampling heap profiler by the batch
 * of calls that allocated them (src/engine/survivalSampler.ts). The only randomness in these numbers is the profiler's
 * own: it samples allocated bytes as a Poisson process, so the count of samples a batch's surviving objects left is
 * Poisson with mean (their bytes) / I for objects much smaller than the interval I, and each sample stands for its
 * bytes. No GC timing, page accounting or load enters, which is what lets the bounds below be exact.
 *
 * Aged batches: those inside (firstWindow, T/2]. Every call in them is at least T/2 calls old, so
 *  - a bounded cache whose entries are evicted within T/2 calls has left nothing there;
 *  - the first window is left out because it holds what a function's first calls build once (its code as V8 tiers it
 *    up, inline-cache maps, a lazy singleton's first use), measured: clean cases leave 0–15 samples in it and none
 *    after (bench/lab);
 *  - a steady leak has left its share in every one of them.
 * The batch with the most bytes is set aside too: a one-off that happens later (a lazy table built at call 500) lands
 * in one batch, while a steady leak loses one batch of many (at least ten at any look that can decide).
 *
 * Leak: the lower bound of the bytes those batches still hold exceeds the threshold. The bound scales the bytes seen by
 * the exact Poisson lower bound on their count, so a few large samples (one big object) give a wide interval and
 * cannot decide alone. Guarantee: code whose retained growth after its first window stays under the threshold (a
 * bounded cache, any number of one-offs each in one batch) is called a leak with probability at most α = FAMILY_ALPHA
 * over all looks (look k spends α / 2^(k+1)), under the Poisson model of the sampler alone.
 *
 * Clean: the upper bound of the steady rate, bytes per call over the aged batches, is below smallestLeak. Unseen samples
 * are priced at the interval (small objects; a large leaked object is sampled almost surely and so is seen). Guarantee:
 * a steady leak of smallestLeak or more per call, made of objects smaller than the interval, is called clean with
 * probability at most β = MISS_BETA over all looks, again under the sampler's Poisson model alone.
 *
 * Undecided otherwise, and at looks with no aged batch (T < 2 × firstWindow + one batch).
 */

export interface SurvivalInput {
  /** Calls done at each row: x[0] = 0 (the baseline), x[r] the end of batch r. */
  x: ArrayLike<number>;
  /** Survivors per batch at this look (batch r at index r − 1): sample counts and the bytes they stand for. */
  count: ArrayLike<number>;
  bytes: ArrayLike<number>;
  /** The sampler's mean interval, bytes. */
  interval: number;
  /** Calls measured so far, and the look's index (0: the first window). */
  horizon: number;
  look: number;
  firstWindow: number;
  threshold: number;
  smallestLeak: number;
}

export interface SurvivalVerdict {
  decision: 'leak' | 'clean' | 'undecided';
  /** Calls in the aged batches used (the set-aside batch excluded), their surviving samples and bytes. */
  agedCalls: number;
  agedCount: number;
  agedBytes: number;
  /** Lower bound of the bytes they retain (compared with the threshold), and upper bound of the rate (with smallestLeak). */
  retainedLow: number;
  rateHigh: number;
  /** Bytes of the batch set aside as a possible one-off. */
  setAside: number;
}

/** One-sided error each look may spend: the same halving shares as the sequential verdict, so they sum to α and β. */
export function leakTail(look: number): number {
  return FAMILY_ALPHA / 2 ** (look + 1);
}
export function cleanTail(look: number): number {
  return MISS_BETA / 2 ** (look + 1);
}

export function decideSurvival(input: SurvivalInput): SurvivalVerdict {
  const { x, count, bytes, interval, horizon, look, firstWindow, threshold, smallestLeak } = input;
  const agedEnd = horizon / 2;
  let calls = 0;
  let n = 0;
  let b = 0;
  let largest = -1;
  let largestBytes = -1;
  const batches = Math.min(count.length, x.length - 1);
  for (let r = 0; r < batches; r++) {
    const start = x[r];
    const end = x[r + 1];
    if (start < firstWindow || end > agedEnd) continue;
    calls += end - start;
    n += count[r];
    b += bytes[r];
    if (bytes[r] > largestBytes) {
      largestBytes = bytes[r];
      largest = r;
    }
  }
  if (largest >= 0) {
    calls -= x[largest + 1] - x[largest];
    n -= count[largest];
    b -= bytes[largest];
  }
  const none = { agedCalls: calls, agedCount: n, agedBytes: b, setAside: Math.max(0, largestBytes) };
  if (calls <= 0) return { decision: 'undecided', retainedLow: 0, rateHigh: Infinity, ...none };
  const perSample = n > 0 ? b / n : interval;
  const retainedLow = poissonLower(n, leakTail(look)) * perSample;
  const rateHigh = (poissonUpper(n, cleanTail(look)) * perSample) / calls;
  const decision = retainedLow > threshold ? 'leak' : rateHigh < smallestLeak ? 'clean' : 'undecided';
  return { decision, retainedLow, rateHigh, ...none };
}
