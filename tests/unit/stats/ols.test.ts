import { ols } from '../../../src/stats/ols';
import { t975 } from '../../../src/stats/tQuantile';

describe('ols', () => {
  test('fits a textbook example with the t-interval', () => {
    // y = 1 + 2x with residuals +1, −1, −1, +1 at x = 0..3: slope 2, SSE 4, sxx 5, se = sqrt(4/2)/sqrt(5).
    const fit = ols([0, 1, 2, 3], [2, 2, 4, 8]);
    expect(fit.slope).toBeCloseTo(2, 12);
    expect(fit.intercept).toBeCloseTo(1, 12);
    expect(fit.sxx).toBe(5);
    const se = Math.sqrt(2) / Math.sqrt(5);
    expect(fit.slopeSe).toBeCloseTo(se, 12);
    expect(fit.slopeLow).toBeCloseTo(2 - 4.303 * se, 10);
    expect(fit.slopeHigh).toBeCloseTo(2 + 4.303 * se, 10);
    expect(fit.r2).toBeCloseTo(1 - 4 / 24, 12);
  });

  test('an exact line has r2 = 1 and a zero-width interval', () => {
    const fit = ols([0, 10, 20, 30], [5, 15, 25, 35]);
    expect(fit.slope).toBeCloseTo(1, 12);
    expect(fit.slopeHigh - fit.slopeLow).toBeCloseTo(0, 9);
    expect(fit.r2).toBeCloseTo(1, 12);
  });

  test('t975 matches the table and tends to 1.96', () => {
    expect(t975(1)).toBe(12.706);
    expect(t975(19)).toBe(2.093);
    expect(t975(60)).toBeCloseTo(2.0003, 3);
    expect(t975(10_000)).toBeCloseTo(1.9602, 3);
    expect(t975(0)).toBe(Infinity);
  });
});
