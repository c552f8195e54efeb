// The control run: a no-op through the same loop, measuring the harness's own noise and drift once per worker.
import { theilSen } from '../stats/theilSen';
import { robustSigma } from '../stats/median';
import type { GcHandle } from './gc';
import { METRIC_COUNT } from './metrics';
import { column, runSampler } from './sampler';
import { workerState, type Calibration } from './workerState';

// Enough residuals for a robust σ; it is paid once per worker, before the first assertion.
const CONTROL_SAMPLES = 12;

function noop(): void {
  // The control measures the loop around fn, so fn itself must do nothing.
}

/** Measures a fresh calibration (about CONTROL_SAMPLES settled GCs). */
export async function measureCalibration(gc: GcHandle): Promise<Calibration> {
  const started = performance.now();
  const series = await runSampler(noop, { warmup: 2, iterations: CONTROL_SAMPLES, samples: CONTROL_SAMPLES }, gc);
  const sigma: number[] = [];
  const driftPerSample: number[] = [];
  const idx = Float64Array.from({ length: series.rows }, (_, i) => i);
  for (let c = 0; c < METRIC_COUNT; c++) {
    const y = column(series, c);
    if (y.some(Number.isNaN)) {
      sigma.push(NaN);
      driftPerSample.push(0);
      continue;
    }
    const fit = theilSen(idx, y);
    const resid = y.map((v, i) => v - (fit.intercept + fit.slope * i));
    sigma.push(robustSigma(resid));
    // Only a drift that is clearly there is subtracted; a noisy estimate would shift every verdict at random.
    driftPerSample.push(fit.slopeLow > 0 || fit.slopeHigh < 0 ? fit.slope : 0);
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
