import { theilSen } from '../../../src/stats/theilSen';
import { gaussian, positions } from '../../helpers/rng';

describe('theilSen', () => {
  test('recovers an exact line and gives a zero-width interval', () => {
    const x = positions(21);
    const y = x.map((v) => 5000 + 1024 * v);
    const fit = theilSen(x, y);
    expect(fit.slope).toBe(1024);
    expect(fit.slopeLow).toBe(1024);
    expect(fit.slopeHigh).toBe(1024);
    expect(fit.intercept).toBe(5000);
  });

  test('ignores a single wild outlier', () => {
    const x = positions(21);
    const y = x.map((v) => 100 * v);
    y[7] += 5_000_000;
    const fit = theilSen(x, y);
    expect(fit.slope).toBeCloseTo(100, 6);
    expect(fit.slopeLow).toBeLessThanOrEqual(100);
    expect(fit.slopeHigh).toBeGreaterThanOrEqual(100);
  });

  test('its 95% interval covers the true slope in about 95% of noisy series', () => {
    const x = positions(21);
    const noise = gaussian(7);
    let covered = 0;
    const runs = 400;
    for (let r = 0; r < runs; r++) {
      const y = x.map((v) => 300 * v + 2000 * noise());
      const fit = theilSen(x, y);
      if (fit.slopeLow <= 300 && 300 <= fit.slopeHigh) covered++;
    }
    expect(covered / runs).toBeGreaterThan(0.9);
    expect(covered / runs).toBeLessThanOrEqual(1);
  });

  test('interval contains zero for pure noise', () => {
    const x = positions(21);
    const noise = gaussian(11);
    const y = x.map(() => 1e6 + 1500 * noise());
    const fit = theilSen(x, y);
    expect(fit.slopeLow).toBeLessThan(0);
    expect(fit.slopeHigh).toBeGreaterThan(0);
  });

  test('rejects degenerate input', () => {
    expect(() => theilSen([1], [1])).toThrow(RangeError);
    expect(() => theilSen([2, 2, 2], [1, 2, 3])).toThrow(/all x values are equal/);
  });
});
