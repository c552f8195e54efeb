// Median and robust sigma of src/stats/median.ts.
import { median, robustSigma } from '../../../src/stats/median';

describe('median and robustSigma', () => {
  test('median of odd and even counts, without reordering the input', () => {
    const v = [3, 1, 2];
    expect(median(v)).toBe(2);
    expect(v).toEqual([3, 1, 2]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
  test('robustSigma ignores one outlier', () => {
    expect(robustSigma([10, 11, 9, 10, 11, 9, 10, 1e9])).toBeCloseTo(1.4826, 4);
  });
});
