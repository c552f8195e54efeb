// The control run's noise and drift estimates: what a quiet harness gives, and what a one-off level shift must not do.
import { controlNoise } from '../../../src/engine/calibration';
import { gaussian } from '../../helpers/rng';

const ROWS = 13; // the control run's rows: a baseline and 12 samples

describe('controlNoise', () => {
  test('reads σ of white noise, and no drift in (nearly) every series', () => {
    const sigmas: number[] = [];
    let drifts = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const noise = gaussian(seed);
      const r = controlNoise(Array.from({ length: ROWS }, () => 5e7 + 2000 * noise()));
      sigmas.push(r.sigma);
      if (r.driftPerSample !== 0) drifts++;
    }
    // A drift is called when its 95% interval excludes zero: by chance in about 1 series of 20.
    expect(drifts).toBeLessThanOrEqual(4);
    const mean = sigmas.reduce((a, b) => a + b, 0) / sigmas.length;
    expect(mean).toBeGreaterThan(1500);
    expect(mean).toBeLessThan(2500);
  });

  test('a level shift mid-run (a torn-down realm freed late) does not inflate σ or read as drift', () => {
    for (const at of [2, 6, 10]) {
      const noise = gaussian(7 + at);
      const y = Array.from({ length: ROWS }, (_, i) => 5e7 + (i < at ? 3 * 1024 * 1024 : 0) + 1000 * noise());
      const r = controlNoise(y);
      // Left in, the shift would read as σ ≈ 1 MiB and a drift of about −250 KiB per sample.
      expect({ at, sigmaUnder3k: r.sigma < 3000, driftUnder500: Math.abs(r.driftPerSample) < 500 }).toEqual({
        at,
        sigmaUnder3k: true,
        driftUnder500: true,
      });
    }
  });

  test('a small shift is noise: kept in σ, so later intervals stay as wide as the harness is rough', () => {
    const noise = gaussian(3);
    const y = Array.from({ length: ROWS }, (_, i) => 5e7 + (i < 6 ? 8192 : 0) + 300 * noise());
    expect(controlNoise(y).sigma).toBeGreaterThan(2000);
  });

  test('a steady drift of the harness is found', () => {
    const noise = gaussian(9);
    const r = controlNoise(Array.from({ length: ROWS }, (_, i) => 5e7 + 8192 * i + 200 * noise()));
    expect(r.driftPerSample).toBeGreaterThan(7000);
    expect(r.driftPerSample).toBeLessThan(9500);
  });

  test('a quantised, constant count has no noise and no drift', () => {
    expect(controlNoise(new Array<number>(ROWS).fill(12))).toEqual({ sigma: 0, driftPerSample: 0 });
  });
});
