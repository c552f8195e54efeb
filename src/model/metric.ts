// The metric vocabulary: what the sampler reads, the shapes a series can take, and one metric's statistics and verdict.

import type { SurvivalSummary } from './survival';

/** Metrics the sampler can read. */
export type MetricName = 'heap' | 'external' | 'arrayBuffers' | 'native' | 'rss' | 'handles' | 'fds';

/** Shape of the series a metric shows over the measured iterations. */
export type GrowthClass = 'none' | 'linear' | 'step' | 'plateau' | 'noisy';

/** The sequential verdict on one metric: see MetricResult.decision. */
export type MetricDecision = 'leak' | 'clean' | 'undecided';

/** Per-metric statistics for one assertion. Bytes for memory metrics, counts for handles and fds. */
export interface MetricResult {
  metric: MetricName;
  unit: 'bytes' | 'count';
  /** Robust slope, units per iteration. */
  slope: number;
  /** 95% interval of the slope, units per iteration. */
  slopeLow: number;
  slopeHigh: number;
  /** slope × measured iterations, and its 95% interval. */
  growth: number;
  growthLow: number;
  growthHigh: number;
  /** Tolerated growth over the measured iterations (same unit). */
  threshold: number;
  classification: GrowthClass;
  /**
   * Present (1 or 2) when that many leading samples were set aside: each sat above the line through the samples after
   * them, memory that earlier garbage held at the baseline and later collections released. The shape, `peak` and
   * sparklines then describe the rest; slope and interval, robust to a few outliers, use every sample.
   */
  releasedSamples?: number;
  /** True when this metric alone is judged a leak. */
  leak: boolean;
  /**
   * The sequential verdict on this metric at the last look: leak (growth that goes on past the threshold), clean (the
   * newest half's growth rate shown to be below smallestLeak), or undecided (neither when the run had to stop; the
   * assertion passes, but says so). Absent in records written before leakproof 0.2.
   */
  decision?: MetricDecision;
  /** How much the series rose (last samples minus first, the largest single drop added back), in its unit. */
  rise?: number;
  /** Slope over the newest half of the run, units per iteration, with its lower bound (the "still growing" screen). */
  recentSlope?: number;
  recentSlopeLow?: number;
  /**
   * Adaptive horizon: the horizon (iterations) at which this metric was decided clean, when that was before the run
   * ended; its figures and samples are those of that horizon (a decision is final; the run went on for other metrics).
   */
  decidedAt?: number;
  /** Memory metrics, adaptive horizon: the newest half's slope upper bound the clean verdict compared with smallestLeak. */
  recentSlopeHigh?: number;
  /**
   * Memory metrics, adaptive horizon: the newest half's slope lower bound (its largest outsized drop added back) the
   * clean verdict compared with −smallestLeak: a series still falling faster than that is not at rest.
   */
  recentSlopeFloor?: number;
  /** Highest sample minus the first sample not set aside (see releasedSamples). */
  peak: number;
  /**
   * `heap` only, when survival counts were taken (option `survivalCounts`): what the JS allocations fn made are still
   * alive, and what they decided. The heap's decision is then theirs, except that a leak of the aggregate series (growth
   * held in one object replaced as it grows, such as a Map's table) still counts.
   */
  survival?: SurvivalSummary;
  /** Why survival counts were asked for but not taken (no inspector, the profiler in use elsewhere). */
  survivalUnavailable?: string;
  /**
   * `handles` only: the resource types whose count rose between the first and the last sample, largest first, e.g.
   * `[{ type: "Timeout (unref'd)", delta: 200 }]` for an interval made per call and never cleared. Absent when none.
   */
  handleTypes?: { type: string; delta: number }[];
  /** One value per sample (after warm-up), in the metric's unit, relative to nothing (raw readings). */
  samples: number[];
  /** Iteration index (0-based, after warm-up) at which each sample was taken. */
  sampleIterations: number[];
}
