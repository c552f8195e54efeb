// How a measurement's horizon came about: the first window, the looks taken, and why it stopped.

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
  /** Present when maxDurationMs was lowered to fit the test's timeout (this many ms): that limit, not the option, was in force. */
  testTimeoutMs?: number;
}
