// The control run: a no-op through the same loop, measuring the harness's own noise and drift once per worker.
// The real clock: a test's jest.useFakeTimers() also fakes the global performance.now().
import { performance } from 'node:perf_hooks';
import { median, robustSigma } from '../stats/median';
import { theilSen } from '../stats/theilSen';
import { medianIncrement } from '../stats/medianIncrement';
import type { GcHandle } from './gc';
import { METRIC_COUNT } from './metrics';
import { column, runSampler } from './sampler';
import { decideLook } from '../stats/sequentialVerdict';
import { workerState, type Calibration, type ControlNoise } from './workerState';

// Enough residuals for a robust σ; it is paid once per worker, before the first assertion.
const CONTROL_SAMPLES = 12;

function noop(): void {
  // The control measures the loop around fn, so fn itself must do nothing.
}

/** A level shift this large (bytes) in a no-op's series is an outside event, not the harness's noise. */
const SHIFT_MIN = 64 * 1024;

/** Noise (robust σ of the residuals around the Theil–Sen line) and drift (its slope, 0 unless its interval excludes 0). */
function lineNoise(x: Float64Array, y: ArrayLike<number>): ControlNoise {
  const fit = theilSen(x, y);
  const resid = Float64Array.from(x, (xi, i) => y[i] - (fit.intercept + fit.slope * xi));
  // Only a drift that is clearly there is subtracted; a noisy estimate would shift every verdict at random.
  return { sigma: robustSigma(resid), driftPerSample: fit.slopeLow > 0 || fit.slopeHigh < 0 ? fit.slope : 0 };
}

/**
 * The harness's noise and drift per sample in one control series: σ of the residuals around a Theil–Sen line, and its
 * slope when significant. One exception: a single level shift of at least 64 KiB (a previous test file's realm or
 * other earlier garbage released a few collections late, often MiBs) is an outside event, and left in it would inflate
 * σ for every later interval in the worker (a 3 MiB shift gives σ ≈ 870 KiB) and hide real leaks. When removing the
 * best single shift (detrended by the median increment, which one shift cannot move) leaves under a third of that σ,
 * the figures are read from the series with the shift removed.
 */
export function controlNoise(y: ArrayLike<number>): ControlNoise {
  const n = y.length;
  if (n < 3) return { sigma: 0, driftPerSample: 0 };
  const x = Float64Array.from({ length: n }, (_, i) => i);
  const whole = lineNoise(x, y);
  if (n < 6 || whole.sigma === 0) return whole;
  const m = medianIncrement(x, y).slope;
  const r = Float64Array.from(x, (xi, i) => y[i] - m * xi);
  let best: ControlNoise | undefined;
  for (let c = 2; c <= n - 2; c++) {
    const jump = median(r.subarray(c)) - median(r.subarray(0, c));
    if (Math.abs(jump) < SHIFT_MIN) continue;
    const shifted = lineNoise(
      x,
      Float64Array.from(x, (_, i) => (i >= c ? y[i] - jump : y[i])),
    );
    if (!best || shifted.sigma < best.sigma) best = shifted;
  }
  return best && best.sigma < whole.sigma / 3 ? best : whole;
}

/**
 * Calls of the no-op through the measuring loop before the control run. In a fresh process the harness's own code is
 * still being compiled and tiered up while it measures, which shows as a drift of 1–2 KiB of heap per sample for a
 * few hundred samples (measured in plain node: +1.8 KiB/sample for JSON.parse('[1]') in the first run, +27 B after this
 * warm-up), enough to hide a 64 B/iteration leak in the first window. About 2 ms of calls and a few GCs, once per worker.
 */
const HARNESS_WARMUP_ITERATIONS = 4000;
const HARNESS_WARMUP_SAMPLES = 8;

/**
 * Runs the verdict's analysis on synthetic series as long as the longest run can produce, a few times over. Its first
 * calls compile bytecode, feedback vectors and optimised code in the JS heap: done between two stages of a measured
 * run, that showed as a one-off step of 100+ KiB of heap after the first look in a fresh process (a bounded 250-entry LRU
 * read as a 187 KiB leak over 6,400 iterations). Done here, once per worker, it is paid before anything is measured.
 */
function warmAnalysis(): void {
  for (let round = 0; round < 4; round++) {
    for (let looks = 1; looks <= 8; looks++) {
      const rows = 1 + 20 * looks;
      const x = Float64Array.from({ length: rows }, (_, i) => i * 10 * looks);
      const y = Float64Array.from(x, (v, i) => 1e7 + (round % 2 === 0 ? 64 * v : 0) + ((i * 7919) % 13) * 100);
      decideLook({
        metric: 'heap',
        unit: 'bytes',
        x,
        y,
        horizon: x[rows - 1],
        look: looks - 1,
        threshold: 65536,
        deciding: true,
      });
      decideLook({
        metric: 'handles',
        unit: 'count',
        x,
        y: x.map((v) => 4 + (round % 2 === 0 ? v : 0)),
        horizon: x[rows - 1],
        look: looks - 1,
        threshold: 0,
        deciding: true,
      });
    }
  }
}

/** Measures a fresh calibration (about CONTROL_SAMPLES settled GCs), after warming the harness's own code. */
export async function measureCalibration(gc: GcHandle): Promise<Calibration> {
  const started = performance.now();
  await runSampler(
    noop,
    { warmup: HARNESS_WARMUP_ITERATIONS, iterations: HARNESS_WARMUP_ITERATIONS, samples: HARNESS_WARMUP_SAMPLES },
    gc,
  );
  warmAnalysis();
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
export async function getCalibration(
  gc: GcHandle,
  useCache = true,
): Promise<{ calibration: Calibration; fresh: boolean }> {
  const state = workerState();
  if (useCache && state.calibration) return { calibration: state.calibration, fresh: false };
  const calibration = await measureCalibration(gc);
  if (useCache) state.calibration = calibration;
  return { calibration, fresh: true };
}
