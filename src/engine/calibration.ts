// The control run: a no-op through the same loop, measuring the harness's own noise and drift once per worker.
import { robustSigma } from '../stats/median';
import { medianIncrement } from '../stats/medianIncrement';
import type { GcHandle } from './gc';
import { METRIC_COUNT } from './metrics';
import { column, runSampler } from './sampler';
import { workerState, type Calibration, type ControlNoise } from './workerState';

// Enough residuals for a robust σ; it is paid once per worker, before the first assertion.
const CONTROL_SAMPLES = 12;

function noop(): void {
  // The control measures the loop around fn, so fn itself must do nothing.
}

/**
 * The harness's noise and drift per sample in one control series. Both are read from consecutive differences, not from
 * residuals around a fitted line: a level shift during the control run (a previous test file's torn-down realm or
 * earlier garbage released a few collections late, MiBs at once) moves one difference, while it would skew every
 * residual and inflate σ enough to widen every later interval in the worker and hide real leaks. A difference of two
 * readings has √2·σ. Drift is subtracted only when the median increment's 95% interval excludes zero.
 */
export function controlNoise(y: ArrayLike<number>): ControlNoise {
  const n = y.length;
  if (n < 3) return { sigma: 0, driftPerSample: 0 };
  const diffs = Float64Array.from({ length: n - 1 }, (_, i) => y[i + 1] - y[i]);
  const inc = medianIncrement(Float64Array.from({ length: n }, (_, i) => i), y);
  return {
    sigma: robustSigma(diffs) / Math.SQRT2,
    driftPerSample: inc.slopeLow > 0 || inc.slopeHigh < 0 ? inc.slope : 0,
  };
}

/** Measures a fresh calibration (about CONTROL_SAMPLES settled GCs). */
export async function measureCalibration(gc: GcHandle): Promise<Calibration> {
  const started = performance.now();
  const series = await runSampler(noop, { warmup: 2, iterations: CONTROL_SAMPLES, samples: CONTROL_SAMPLES }, gc);
  const sigma: number[] = [];
  const driftPerSample: number[] = [];
  for (let c = 0; c < METRIC_COUNT; c++) {
    const y = column(series, c);
    const noise: ControlNoise = y.some(Number.isNaN) ? { sigma: NaN, driftPerSample: 0 } : controlNoise(y);
    sigma.push(noise.sigma);
    driftPerSample.push(noise.driftPerSample);
  }
  return { sigma, driftPerSample, samples: series.rows, durationMs: performance.now() - started };
}

/**
 * The worker's calibration, measured on first use. Under the leakproof Jest environment the cache lives in the worker
 * state the environment shares with every test file, so the cost is paid once per worker, not per file or assertion.
 */
export async function getCalibration(gc: GcHandle, useCache = true): Promise<{ calibration: Calibration; fresh: boolean }> {
  const state = workerState();
  if (useCache && state.calibration) return { calibration: state.calibration, fresh: false };
  const calibration = await measureCalibration(gc);
  if (useCache) state.calibration = calibration;
  return { calibration, fresh: true };
}
