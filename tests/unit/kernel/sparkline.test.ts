// The one text chart of every face: bars from min to max, binned to a width, released and unreadable samples left out.
import { metricSparkline, sparkline } from '../../../src/kernel/sparkline';

describe('sparkline', () => {
  test('maps min to the lowest and max to the highest bar', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
  });
  test('a flat series is all low bars; an empty one is empty', () => {
    expect(sparkline([5, 5, 5])).toBe('▁▁▁');
    expect(sparkline([])).toBe('');
  });
  test('averages long series down to the width', () => {
    const s = sparkline(
      Array.from({ length: 100 }, (_, i) => i),
      10,
    );
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
