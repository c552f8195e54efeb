// formatVerdict and snapshotGrowth: pure report building on synthetic results and snapshots.
import type { MetricResult } from '../../../src/model';
import type { MetricSnapshot } from '../../../src/engine/metrics';
import { formatVerdict } from '../../../src/profiler/formatVerdict';
import { snapshotGrowth } from '../../../src/profiler/snapshotGrowth';
import { formatGrowth } from '../../../src/profiler/formatGrowth';

function result(
  metric: MetricResult['metric'],
  slope: number,
  leak: boolean,
  unit: MetricResult['unit'] = 'bytes',
): MetricResult {
  return {
    metric,
    unit,
    slope,
    slopeLow: slope * 0.9,
    slopeHigh: slope * 1.1,
    growth: slope * 100,
    growthLow: slope * 90,
    growthHigh: slope * 110,
    threshold: 65536,
    classification: leak ? 'linear' : 'none',
    leak,
    peak: slope * 100,
    samples: [0, slope * 50, slope * 100],
    sampleIterations: [0, 50, 100],
  };
}

describe('formatVerdict', () => {
  test('a leak: headline names the leaking metrics with their growth, then one row per metric', () => {
    const text = formatVerdict({
      title: 'job',
      leak: true,
      metrics: [result('heap', 2048, true), result('native', 0, false), result('fds', 1, true, 'count')],
      iterations: 100,
      step: 'iteration',
      threshold: 65536,
      durationMs: 1500,
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe('job: LEAK: heap +200 KiB, fds +100 over 100 iterations (threshold 64.0 KiB) in 1.50 s');
    expect(lines[1]).toMatch(/^ {2}metric\s+slope per iteration \[95%\]\s+growth \[95%\]\s+shape\s+verdict\s+series$/);
    expect(lines[2]).toMatch(
      /^ {2}heap\s+\+2\.00 KiB \[\+1\.80 KiB, \+2\.20 KiB\]\s+\+200 KiB \[\+180 KiB, \+220 KiB\]\s+linear\s+LEAK\s+\S+$/,
    );
    expect(lines[3]).toMatch(/^ {2}native\s+0 B \[0 B, 0 B\].*none\s+ok/);
    expect(lines[4]).toMatch(/^ {2}fds\s+\+1 \[\+0\.9, \+1\.1\]/);
    expect(lines).toHaveLength(5);
  });

  test('no leak, singular step, no duration', () => {
    const text = formatVerdict({
      title: 'p',
      leak: false,
      metrics: [result('heap', 0, false)],
      iterations: 1,
      step: 'snapshot',
      threshold: 1024,
    });
    expect(text.split('\n')[0]).toBe('p: no leak over 1 snapshot (threshold 1.00 KiB)');
  });
});

describe('snapshotGrowth and formatGrowth', () => {
  const before = {
    heap: 1000,
    external: 10,
    arrayBuffers: 0,
    native: NaN,
    fds: 5,
    rss: 4096,
    handles: 2,
  } as MetricSnapshot;
  const after = {
    heap: 3048,
    external: 10,
    arrayBuffers: 512,
    native: NaN,
    fds: 7,
    rss: 4096,
    handles: 1,
  } as MetricSnapshot;

  test('after − before per metric; unreadable metrics are left out', () => {
    expect(snapshotGrowth(before, after)).toEqual({
      heap: 2048,
      external: 0,
      arrayBuffers: 512,
      fds: 2,
      rss: 0,
      handles: -1,
    });
    expect(snapshotGrowth(before, after, ['heap', 'native'])).toEqual({ heap: 2048 });
  });

  test('formatGrowth lists them in metric order with units', () => {
    expect(formatGrowth(snapshotGrowth(before, after))).toBe(
      'heap +2.00 KiB, external 0 B, arrayBuffers +512 B, fds +2, rss 0 B, handles -1',
    );
    expect(formatGrowth({})).toBe('no metric readable');
  });
});
