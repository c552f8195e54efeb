// The leak verdict on survival counts: bytes fn allocated after its first window that are still alive long after.
import type { MetricDecision, MetricResult, SurvivalSummary } from '../model';
import { binomialCdf, poissonLower, poissonUpper } from './poissonBounds';
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
 * Which batches are read:
 *  - the first window is left out: it holds what a function's first calls build once (its code as V8 tiers it up,
 *    inline-cache maps, a lazy singleton's first use); measured on the lab's clean cases: 0–74 samples there, 0–6 in
 *    all later batches together (bench/lab);
 *  - "post": every batch after the first window; "aged": those that ended by T/2, whose calls are at least T/2 calls
 *    old, so a bounded cache that evicts within T/2 calls has left nothing there while a steady leak has left its share;
 *  - the batch with the most bytes is set aside from both: a one-off that happens later (a lazy table built at call 500)
 *    lands in one batch, while a steady leak loses one batch of many (twenty per stage).
 *
 * Leak, when both hold:
 *  (a) the lower bound of the bytes the post batches still hold exceeds the threshold. The bound scales the bytes seen
 *      by the exact Poisson lower bound on their count, so a few large samples (one big object) give a wide interval.
 *      Code whose retained growth after its first window never exceeds the threshold (a bounded cache below it,
 *      one-offs each in one batch) passes (a) with probability at most α = FAMILY_ALPHA over all looks (look k spends
 *      α / 2^(k+1)), under the sampler's Poisson model alone. This is the threshold's meaning: tolerated growth.
 *  (b) the oldest calls hold their share: under a steady leak each surviving sample is equally likely to come from
 *      any post call, so the count from the oldest half of the aged calls is Binomial(post count, their calls / post
 *      calls); (b) fails when it is below that distribution's β_k quantile. A cache larger than the threshold fails it
 *      once its entries live fewer calls than the oldest aged ones are old (lab: an LRU of 500 entries, 100 KiB, read at
 *      800 calls kept 1 sample from calls 200–300 against 15 expected of a leak; testing the whole aged half, 25 of 31
 *      expected, passed it); a steady leak fails it with probability at most β_k, which only delays its verdict
 *      (undecided, measured longer).
 *  A leak that retained more than the threshold after the first window and then stopped passes both: it grew past the
 *  tolerance. One that stopped below the threshold does not.
 *
 * Clean: the upper bound of the steady rate, bytes per call over the aged batches, is below smallestLeak. Unseen samples
 * are priced at the bytes per sample seen (the interval when none was seen: small objects; a large leaked object is
 * sampled almost surely and so is seen). A steady leak of smallestLeak or more per call is called clean with
 * probability at most β = MISS_BETA over all looks, again under the sampler's Poisson model alone.
 *
 * Undecided otherwise, and at looks with no aged batch after the first window (T ≤ 2 × firstWindow).
 *
 * Not seen here: retention in one object that is replaced by a larger one as it grows (the hash table of a Map or Set of
 * numbers, an array of numbers): its older copies die, so its survivors are one sample in the newest batches. The
 * aggregate heap series shows that growth; the engine keeps its leak rule for it.
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
  /** Surviving samples and bytes of every batch after the first window (the set-aside batch excluded). */
  postCount: number;
  postBytes: number;
  /** Whether the aged batches hold their share of the post survivors, as a steady leak's would (rule (b)). */
  holdsShare: boolean;
  /** Lower bound of the bytes the post batches retain (compared with the threshold); upper bound of the aged rate (with smallestLeak). */
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
  const { x, count, bytes, horizon, look, firstWindow, threshold, smallestLeak, interval } = input;
  const agedEnd = horizon / 2;
  const batches = Math.min(count.length, x.length - 1);
  // The largest post batch, set aside from post and aged alike.
  let largest = -1;
  for (let r = 0; r < batches; r++) {
    if (x[r] < firstWindow) continue;
    if (largest < 0 || bytes[r] > bytes[largest]) largest = r;
  }
  let postCalls = 0;
  let postCount = 0;
  let postBytes = 0;
  let agedCalls = 0;
  let agedCount = 0;
  let agedBytes = 0;
  // The oldest half of the aged calls, for rule (b).
  const oldestEnd = (firstWindow + agedEnd) / 2;
  let oldestCalls = 0;
  let oldestCount = 0;
  for (let r = 0; r < batches; r++) {
    if (x[r] < firstWindow || r === largest) continue;
    const calls = x[r + 1] - x[r];
    postCalls += calls;
    postCount += count[r];
    postBytes += bytes[r];
    if (x[r + 1] <= agedEnd) {
      agedCalls += calls;
      agedCount += count[r];
      agedBytes += bytes[r];
    }
    if (x[r + 1] <= oldestEnd) {
      oldestCalls += calls;
      oldestCount += count[r];
    }
  }
  const setAside = largest >= 0 ? bytes[largest] : 0;
  const base = { agedCalls, agedCount, agedBytes, postCount, postBytes, setAside };
  if (agedCalls <= 0) return { decision: 'undecided', retainedLow: 0, rateHigh: Infinity, holdsShare: false, ...base };
  const postPerSample = postCount > 0 ? postBytes / postCount : interval;
  const retainedLow = poissonLower(postCount, leakTail(look)) * postPerSample;
  const holdsShare =
    postCount > 0 && oldestCalls > 0 && binomialCdf(oldestCount, postCount, oldestCalls / postCalls) >= cleanTail(look);
  const agedPerSample = agedCount > 0 ? agedBytes / agedCount : interval;
  const rateHigh = (poissonUpper(agedCount, cleanTail(look)) * agedPerSample) / agedCalls;
  const decision = retainedLow > threshold && holdsShare ? 'leak' : rateHigh < smallestLeak ? 'clean' : 'undecided';
  return { decision, retainedLow, rateHigh, holdsShare, ...base };
}

/**
 * The heap's result when survival counts were taken: the aggregate series' statistics stay (the evidence every table
 * shows), the decision is the survivors', except that a leak of the aggregate rule stands: growth held in one object that
 * is replaced by a larger one as it grows (a Map or Set of numbers) leaves no steady survivors, while heapUsed shows it.
 */
export function heapWithSurvival(aggregate: MetricResult, s: SurvivalVerdict, interval: number): MetricResult {
  // The heap always decides when it is measured (rss is the only metric that informs only).
  const leak = aggregate.leak || s.decision === 'leak';
  const decision: MetricDecision = leak ? 'leak' : s.decision;
  const survival: SurvivalSummary = {
    interval,
    decision: s.decision,
    postCount: s.postCount,
    postBytes: Math.round(s.postBytes),
    agedCount: s.agedCount,
    agedBytes: Math.round(s.agedBytes),
    agedCalls: s.agedCalls,
    retainedLow: Math.round(s.retainedLow),
    ...(Number.isFinite(s.rateHigh) ? { rateHigh: s.rateHigh } : {}),
    holdsShare: s.holdsShare,
    setAside: Math.round(s.setAside),
  };
  return { ...aggregate, leak, decision, survival };
}
