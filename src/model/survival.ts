// Survival counts: what each batch of calls allocated in the JS heap that was still alive at a look (src/engine/survivalSampler.ts).

/**
 * One reading of the survivors, taken after a settled full GC. Batch r is the calls from `ends[r]` to `ends[r + 1]`;
 * `count[r]` is how many of V8's allocation samples from user code in that batch are alive, `bytes[r]` the bytes they
 * stand for (each sample of s bytes counts s / (1 − exp(−s/interval))).
 */
export interface SurvivalReading {
  /** Mean bytes between samples (V8's Poisson sampling over allocated bytes). */
  interval: number;
  /** Measured calls done at each batch boundary: ends[0] = 0 (the baseline), one more entry than batches. */
  ends: number[];
  count: number[];
  bytes: number[];
  /** Live samples the harness allocated (never fn's), samples with no script frame, and samples older than the run. */
  harness: number;
  internal: number;
  before: number;
  /** Live samples from user code after the last boundary (a batch not yet closed). */
  after: number;
}

/**
 * The survival verdict on the JS heap at the look that decided (src/stats/survivalVerdict.ts), as a record carries it
 * (MetricResult.survival of `heap`, when survival counts were taken).
 */
export interface SurvivalSummary {
  /** Mean bytes between V8's allocation samples. */
  interval: number;
  /** What the survivors alone say: leak, clean or undecided. */
  decision: 'leak' | 'clean' | 'undecided';
  /** Samples from user code still alive from the calls after the first window (one batch set aside), and their bytes. */
  postCount: number;
  postBytes: number;
  /** The same for the aged calls (those at least half the horizon old), and how many calls that is. */
  agedCount: number;
  agedBytes: number;
  agedCalls: number;
  /** 95%-family lower bound of the bytes the post calls retain. */
  retainedLow: number;
  /** Upper bound of the aged calls' rate, bytes per call (absent before any call has aged: no bound yet). */
  rateHigh?: number;
  /** Whether the aged calls hold their share of the survivors, as a steady leak's do. */
  holdsShare: boolean;
  /** Bytes of the batch set aside as a possible one-off. */
  setAside: number;
}
