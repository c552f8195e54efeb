// The undecided phrase for a heap decided on survival counts: what the aged calls kept, not the heapUsed slope.
import { describeUndecided } from '../../../src/kernel/describeUndecided';
import type { MetricResult } from '../../../src/model';

const base: MetricResult = {
  metric: 'heap',
  unit: 'bytes',
  slope: 900,
  slopeLow: 800,
  slopeHigh: 1000,
  growth: 1e6,
  growthLow: 9e5,
  growthHigh: 1.1e6,
  threshold: 65536,
  classification: 'linear',
  leak: false,
  decision: 'undecided',
  peak: 1e6,
  samples: [],
  sampleIterations: [],
};

describe('describeUndecided with survival counts', () => {
  test('names the aged survivors and their rate bound, not the heapUsed slope', () => {
    const text = describeUndecided(
      {
        ...base,
        survival: {
          interval: 1024,
          decision: 'undecided',
          postCount: 30,
          postBytes: 30 * 1040,
          agedCount: 12,
          agedBytes: 12 * 1040,
          agedCalls: 600,
          retainedLow: 20_000,
          rateHigh: 80,
          holdsShare: true,
          setAside: 0,
        },
      },
      'iter',
    );
    expect(text).toBe(
      'heap survivors: 12 samples alive from 600 aged calls (up to 80 B/iter), 30.5 KiB held since the first window',
    );
    expect(text).not.toMatch(/900/);
  });

  test('before any call has aged it says so', () => {
    const text = describeUndecided(
      {
        ...base,
        survival: {
          interval: 1024,
          decision: 'undecided',
          postCount: 0,
          postBytes: 0,
          agedCount: 0,
          agedBytes: 0,
          agedCalls: 0,
          retainedLow: 0,
          holdsShare: false,
          setAside: 0,
        },
      },
      'iter',
    );
    expect(text).toBe('heap survivors: no call old enough to read yet');
  });
});
