// The control run's noise and drift estimates: what a quiet harness gives, and what a one-off level shift must not do.
import { controlNoise } from '../../../src/engine/calibration';
import { gaussian } from '../stats/rng';

const ROWS = 13; // the control run's rows: a baseline and 12 samples

describe('controlNoise', () => {
  test('reads σ of white noise and no drift', () => {
    const sigmas: number[] = [];
    for (let seed = 1; seed <= 40; seed++) {
      const noise = gaussian(seed);
      const r = controlNoise(Array.from({ length: ROWS }, () => 5e7 + 2000 * noise()));
      sigmas.push(r.sigma);
      expect(r.driftPerSample).toBe(0);
    }
    const mean = sigmas.reduce((a, b) => a + b, 0) / sigmas.length;
    expect(mean).toBeGreaterThan(1500);
    expect(mean).toBeLessThan(2500);
  });

  test('a level shift mid-run (a torn-down realm freed late) does not inflate σ or read as drift', () => {
    const noise = gaussian(7);
    const y = Array.from({ length: ROWS }, (_, i) => 5e7 + (i < 6 ? 3 * 1024 * 1024 : 0) + 1000 * noise());
    const r = controlNoise(y);
    expect(r.sigma).toBeLessThan(3000);
    expect(r.driftPerSample).toBe(0);
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
