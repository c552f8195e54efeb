// The record each toLeakMemory assertion leaves for the reporter: the contract between matcher and reporter.

/** Metrics the sampler can read. */
export type MetricName = 'heap' | 'external' | 'arrayBuffers' | 'native' | 'rss' | 'handles' | 'fds';

/** Shape of the series a metric shows over the measured iterations. */
export type GrowthClass = 'none' | 'linear' | 'step' | 'plateau' | 'noisy';

/** The sequential verdict on one metric: see MetricResult.decision. */
export type MetricDecision = 'leak' | 'clean' | 'undecided';

/** Why a measurement stopped extending: every metric decided, the time budget, the iteration cap, or a fixed horizon. */
export type StopReason = 'decided' | 'time-budget' | 'max-iterations' | 'fixed-horizon';

/** How the measured horizon came about (see DetectOptions.iterations, maxIterations, maxDurationMs, horizon). */
export interface HorizonInfo {
  /** Iterations of the first window (the `iterations` option). */
  firstWindow: number;
  /** Decisions taken: 1 when the first window decided, one more per doubling of the horizon. */
  looks: number;
  stopReason: StopReason;
  /** The time budget in force, ms. */
  maxDurationMs: number;
  /** The iteration cap in force. */
  maxIterations: number;
}

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
   * The sequential verdict on this metric at the last look: leak, clean (no significant growth in the newest half of
   * the run, and no growth past the threshold), or undecided (still growing below the threshold when the run had to
   * stop; the assertion passes, but says so). Absent in records written before leakproof 0.2.
   */
  decision?: MetricDecision;
  /** How much the series rose (last samples minus first, the largest single drop added back), in its unit. */
  rise?: number;
  /** Slope over the newest half of the run (the "still growing" test), units per iteration, with its lower bound. */
  recentSlope?: number;
  recentSlopeLow?: number;
  /** Highest sample minus the first sample not set aside (see releasedSamples). */
  peak: number;
  /** One value per sample (after warm-up), in the metric's unit, relative to nothing (raw readings). */
  samples: number[];
  /** Iteration index (0-based, after warm-up) at which each sample was taken. */
  sampleIterations: number[];
}

/**
 * Where retained JS memory was allocated, from V8's sampling heap profiler run over extra iterations after a leak
 * verdict: the innermost frame of user code on the allocations' stacks (positions through inline source maps).
 */
export interface AllocationSite {
  /** Function that allocated, '(anonymous)' when unnamed. */
  functionName: string;
  /** Its file (relative to the working directory when inside it), and the 1-based line and column where it starts. */
  file: string;
  line: number;
  column: number;
  /** Estimated bytes allocated there during the profiled iterations and still alive after full GC. */
  bytes: number;
  bytesPerIteration: number;
  /** Up to three calling frames of user code, innermost first, as "name (file:line:column)". */
  callers: string[];
}

/** A metric the assertion would have measured but could not read here (addon missing, platform without it). */
export interface UnmeasuredMetric {
  metric: MetricName;
  /** Why it could not be read, one sentence. */
  reason: string;
  /** What would make it readable. */
  fix: string;
}

/** Everything one assertion measured and decided. Plain JSON: it crosses worker boundaries. */
export interface LeakRecord {
  /** Version of this record's shape; bump on incompatible change. */
  schemaVersion: 1;
  /** Jest's full test name (`AssertionResult.fullName`), '' outside Jest. */
  testName: string;
  /** Absolute path of the test file. */
  testPath: string;
  /** 1-based line and column of the assertion in the test file, when known. */
  line?: number;
  column?: number;
  /** `not.toLeakMemory` (expect no leak) or `toLeakMemory` (expect a leak). */
  negated: boolean;
  /** Whether the assertion passed. */
  pass: boolean;
  /** Whether a leak was found (in any metric). */
  leak: boolean;
  /** Measured iterations: the horizon the growth figures cover (the first window, or longer when it was extended). */
  iterations: number;
  warmup: number;
  /** How the horizon was reached (absent in records written before leakproof 0.2). */
  horizon?: HorizonInfo;
  /** Threshold in bytes (memory metrics) as the user gave it. */
  threshold: number;
  durationMs: number;
  /** Part of durationMs spent on the control run (paid by the first assertion in each worker), 0 otherwise. */
  calibrationMs?: number;
  metrics: MetricResult[];
  /** How GC was obtained: 'expose-gc-flag' | 'v8-flags' | 'unavailable'. */
  gcMethod: string;
  /** Error message when fn threw (then no verdict is made). */
  error?: string;
  /** For a JS-memory leak found by `.not.toLeakMemory`: where the retained memory was allocated, largest first. */
  allocationSites?: AllocationSite[];
  /** Metrics left out because they cannot be read in this process, with why and how to fix (absent: none). */
  unmeasured?: UnmeasuredMetric[];
}

/** Name of the global array in the test realm where matchers push records. */
export const RECORDS_GLOBAL = '__LEAKPROOF_RECORDS__';
