import { metricSparkline, sparkline } from '../../../src/stats/sparkline';
import { median, robustSigma } from '../../../src/stats/median';

describe('sparkline', () => {
  test('maps min to the lowest and max to the highest bar', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
  });
  test('a flat series is all low bars; an empty one is empty', () => {
    expect(sparkline([5, 5, 5])).toBe('▁▁▁');
    expect(sparkline([])).toBe('');
  });
  test('averages long series down to the width', () => {
    const s = sparkline(Array.from({ length: 100 }, (_, i) => i), 10);
    expect(s).toHaveLength(10);
    expect(s[0]).toBe('▁');
    expect(s[9]).toBe('█');
  });
  test("a metric's chart leaves out a baseline set aside as released memory, and unreadable samples", () => {
    const samples = [9e6, 0, 1, 2, NaN, 3, 4, 5, 6, 7];
    expect(metricSparkline({ samples })).toBe('█▁▁▁▁▁▁▁▁');
    expect(metricSparkline({ samples, releasedSamples: 1 })).toBe('▁▂▃▄▅▆▇█');
    expect(metricSparkline({ samples: [9e6, 8e6, ...samples.slice(1)], releasedSamples: 2 })).toBe('▁▂▃▄▅▆▇█');
  });
});

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
