import {
  resolveOptions,
  DEFAULT_ITERATIONS,
  DEFAULT_THRESHOLD,
  DEFAULT_WARMUP,
  DEFAULT_SAMPLES,
} from '../../../src/engine/options';
import { METRIC_NAMES } from '../../../src/engine/metrics';
import { LeakproofError } from '../../../src/errors';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as LeakproofError).code;
  }
  return undefined;
}

describe('resolveOptions', () => {
  test('fills in the documented defaults', () => {
    const r = resolveOptions(undefined);
    expect(r).toMatchObject({
      threshold: DEFAULT_THRESHOLD,
      iterations: DEFAULT_ITERATIONS,
      warmup: DEFAULT_WARMUP,
      samples: DEFAULT_SAMPLES,
      explicitMetrics: false,
    });
    expect([DEFAULT_THRESHOLD, DEFAULT_ITERATIONS, DEFAULT_WARMUP, DEFAULT_SAMPLES]).toEqual([65536, 200, 20, 20]);
    expect(r.metrics).toEqual([...METRIC_NAMES]);
  });

  test('samples never exceed iterations; metrics keep column order', () => {
    const r = resolveOptions({ iterations: 8, metrics: ['fds', 'heap'] });
    expect(r.samples).toBe(8);
    expect(r.metrics).toEqual(['heap', 'fds']);
    expect(r.explicitMetrics).toBe(true);
  });

  test.each([
    [{ threshold: -1 }, /`threshold` must be a finite number of bytes ≥ 0; received -1/],
    [{ threshold: NaN }, /`threshold`.*received NaN/],
    [{ threshold: '1mb' }, /`threshold`.*received "1mb"/],
    [{ iterations: 2.5 }, /`iterations` must be an integer from 5 to 10000000; received 2.5/],
    [{ iterations: 0 }, /`iterations`/],
    [{ warmup: -3 }, /`warmup`/],
    [{ samples: 2 }, /`samples` must be an integer from 3 to 200/],
    [{ iterations: 10, samples: 11 }, /`samples` must be an integer from 3 to 10/],
    [{ metrics: [] }, /`metrics` must be a non-empty array/],
    [{ metrics: ['heap', 'memory'] }, /`metrics` must be a list of heap, external.*received "memory"/],
    [{ iteration: 100 }, /unknown option `iteration`/],
    [{ onProgress: 5 }, /`onProgress` must be a function/],
  ])('rejects %p with LEAKPROOF_E_OPTIONS', (options, message) => {
    expect(() => resolveOptions(options as never)).toThrow(message);
    expect(codeOf(() => resolveOptions(options as never))).toBe('LEAKPROOF_E_OPTIONS');
  });

  test('rejects a non-object', () => {
    expect(codeOf(() => resolveOptions(42 as never))).toBe('LEAKPROOF_E_OPTIONS');
    expect(codeOf(() => resolveOptions([] as never))).toBe('LEAKPROOF_E_OPTIONS');
  });
});
