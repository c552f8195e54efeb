// Survival counts: what each batch of calls allocated in the JS heap that was still alive at a look (src/engine/survivalSampler.ts).

/**
 * One reading of the survivors, taken after a settled full GC. Batch r (0-based here) is the calls between sample row r
 * and row r + 1 of the run; `count[r]` is how many of V8's allocation samples from user code in that batch are alive,
 * `bytes[r]` the bytes they stand for (each sample of s bytes counts s / (1 − exp(−s/interval))).
 */
export interface SurvivalReading {
  /** Mean bytes between samples (V8's Poisson sampling over allocated bytes). */
  interval: number;
  count: number[];
  bytes: number[];
  /** Live samples the harness allocated (never fn's), samples with no script frame, and samples older than the run. */
  harness: number;
  internal: number;
  before: number;
  /** Live samples from user code after the last boundary (a batch not yet closed). */
  after: number;
}
