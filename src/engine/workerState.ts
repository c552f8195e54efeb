// Per-worker state shared across test files: the Jest environment (outer realm) hands it to every test realm.

/** Per-metric harness noise measured by the control run, per sample (not per iteration). */
export interface ControlNoise {
  /** Robust standard deviation of the residuals around the control's trend (a lone large level shift removed). */
  sigma: number;
  /** Drift of the control series per sample (0 when not significant). */
  driftPerSample: number;
}

export interface Calibration {
  /** Indexed like METRIC_NAMES; NaN where the metric is unavailable. */
  sigma: number[];
  driftPerSample: number[];
  samples: number;
  durationMs: number;
}

export interface WorkerState {
  gc?: () => void;
  gcMethod?: 'expose-gc-flag' | 'v8-flags' | 'unavailable';
  calibration?: Calibration;
}

/** Name of the global through which the environment passes the worker state into the test realm. */
export const WORKER_STATE_GLOBAL = '__LEAKPROOF_WORKER__';

let moduleState: WorkerState | undefined;

/**
 * The state that outlives one test file when running under the leakproof environment (module registries are reset per
 * file, so a module-level cache alone would recalibrate for every file); a module-level object otherwise.
 */
export function workerState(): WorkerState {
  const fromEnv = (globalThis as Record<string, unknown>)[WORKER_STATE_GLOBAL];
  if (typeof fromEnv === 'object' && fromEnv !== null) return fromEnv as WorkerState;
  moduleState ??= {};
  return moduleState;
}
