import { analyzeMetric, resolutionFor } from '../../../src/stats/analyzeMetric';
import { gaussian, positions } from '../../helpers/rng';

const x = positions(21);
const base = { x, iterations: 200, deciding: true };

describe('analyzeMetric', () => {
  test('a 1 KiB/iteration rise over 200 iterations is a leak at a 64 KiB threshold', () => {
    const noise = gaussian(5);
    const r = analyzeMetric({
      ...base,
      metric: 'heap',
      unit: 'bytes',
      y: x.map((v) => 3e7 + 1024 * v + 300 * noise()),
      threshold: 65536,
    });
    expect(r.leak).toBe(true);
    expect(r.slope).toBeGreaterThan(1000);
    expect(r.slope).toBeLessThan(1050);
    expect(r.growthLow).toBeGreaterThan(65536);
    expect(r.growth).toBeCloseTo(r.slope * 200, 6);
    expect(r.classification).toBe('linear');
    expect(r.samples).toHaveLength(21);
    expect(r.sampleIterations).toEqual(x);
  });

  test('the same rise is not a leak when the threshold is above its lower bound', () => {
    const y = x.map((v) => 3e7 + 1024 * v);
    expect(analyzeMetric({ ...base, metric: 'heap', unit: 'bytes', y, threshold: 250_000 }).leak).toBe(false);
  });

  test('a one-off jump (lazy initialisation) is not a leak', () => {
    const y = x.map((_, i) => 3e7 + (i >= 4 ? 400_000 : 0));
    const r = analyzeMetric({ ...base, metric: 'native', unit: 'bytes', y, threshold: 65536 });
    expect(r.leak).toBe(false);
    expect(r.classification).toBe('step');
    expect(r.peak).toBe(400_000);
  });

  test('a baseline that held garbage released later: the leak, its shape and peak are read from the rest', () => {
    const y = x.map((v, i) => 3e7 + 1024 * v + (i === 0 ? 2 * 1024 * 1024 : 0));
    const r = analyzeMetric({ ...base, metric: 'external', unit: 'bytes', y, threshold: 65536 });
    expect(r.releasedSamples).toBe(1);
    expect(r.leak).toBe(true);
    expect(r.slope).toBeCloseTo(1024, 6);
    expect(r.classification).toBe('linear');
    expect(r.peak).toBe(1024 * 190);
    const two = analyzeMetric({
      ...base,
      metric: 'external',
      unit: 'bytes',
      y: y.map((v, i) => (i === 1 ? v + 1024 * 1024 : v)),
      threshold: 65536,
    });
    expect([two.releasedSamples, two.classification, two.peak]).toEqual([2, 'linear', 1024 * 180]);
    // A clean series has no such flag (the field is absent, not false).
    expect(
      'releasedSamples' in
        analyzeMetric({
          ...base,
          metric: 'external',
          unit: 'bytes',
          y: x.map((v) => 3e7 + 1024 * v),
          threshold: 65536,
        }),
    ).toBe(false);
  });

  test('rss only decides when it is a deciding metric', () => {
    const y = x.map((v) => 1e8 + 4096 * v);
    expect(analyzeMetric({ ...base, metric: 'rss', unit: 'bytes', y, threshold: 65536, deciding: false }).leak).toBe(
      false,
    );
    expect(analyzeMetric({ ...base, metric: 'rss', unit: 'bytes', y, threshold: 65536, deciding: true }).leak).toBe(
      true,
    );
  });

  test('control noise widens the interval', () => {
    const y = x.map((v) => 1e6 + 400 * v);
    const quiet = analyzeMetric({ ...base, metric: 'heap', unit: 'bytes', y, threshold: 65536 });
    const noisy = analyzeMetric({ ...base, metric: 'heap', unit: 'bytes', y, threshold: 65536, controlSigma: 50_000 });
    expect(quiet.leak).toBe(true);
    expect(noisy.growthLow).toBeLessThan(quiet.growthLow);
    expect(noisy.leak).toBe(false);
  });

  test('fds rising by one per iteration leak; a single extra fd does not', () => {
    const steady = analyzeMetric({ ...base, metric: 'fds', unit: 'count', y: x.map((v) => 20 + v), threshold: 0 });
    expect(steady.leak).toBe(true);
    expect(steady.slope).toBe(1);
    const once = analyzeMetric({
      ...base,
      metric: 'fds',
      unit: 'count',
      y: x.map((_, i) => (i >= 3 ? 21 : 20)),
      threshold: 0,
    });
    expect(once.leak).toBe(false);
  });

  test('resolution: 4 KiB floor for bytes, 3σ when the harness is noisier, 1 for counts', () => {
    expect(resolutionFor('bytes', 0)).toBe(4096);
    expect(resolutionFor('bytes', 10_000)).toBe(30_000);
    expect(resolutionFor('count', 5)).toBe(1);
  });
});
