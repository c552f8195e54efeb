import { detectLeak } from '../../../src/engine/detectLeak';
import { getCalibration } from '../../../src/engine/calibration';
import { getGc } from '../../../src/engine/gc';

describe('detectLeak', () => {
  test('a retained 2 KiB Buffer per iteration is a leak in external memory; clean code is not', async () => {
    const kept: Buffer[] = [];
    const leaky = await detectLeak(() => void kept.push(Buffer.alloc(2048)), { iterations: 100 });
    expect(leaky.leak).toBe(true);
    const ext = leaky.metrics.find((m) => m.metric === 'external')!;
    expect(ext.leak).toBe(true);
    expect(ext.slope).toBe(2048);
    expect(ext.classification).toBe('linear');
    expect(leaky.gcMethod).not.toBe('unavailable');

    const clean = await detectLeak(() => Buffer.alloc(2048).fill(1), { iterations: 100 });
    expect(clean.leak).toBe(false);
    expect(clean.metrics.map((m) => m.metric)).toEqual([
      'heap',
      'external',
      'arrayBuffers',
      'native',
      'fds',
      'rss',
      'handles',
    ]);
  });

  test('a metric decided clean stays clean while the run goes on for an undecided one', async () => {
    // ~1 KiB of heap per call (a fresh 128-slot array) against a 256 KiB threshold, far from both boundaries: at the
    // first window its newest half adds ~100 KiB (2.5x below the threshold: never a leak there) at 16x smallestLeak
    // (never clean), and by 800–1,600 iterations it adds 1.6–3x the threshold. External memory, untouched, is shown
    // to grow slower than 64 B/call well before.
    const kept: number[][] = [];
    const d = await detectLeak(() => void kept.push(new Array<number>(128).fill(0)), {
      threshold: 256 * 1024,
      smallestLeak: 64,
      maxDurationMs: 60_000,
    });
    expect(d.leak).toBe(true);
    expect(d.iterations).toBeGreaterThan(200);
    const external = d.metrics.find((m) => m.metric === 'external');
    expect(external?.decision).toBe('clean');
    expect(external?.decidedAt).toBeLessThan(d.iterations);
    expect(external?.sampleIterations.at(-1)).toBe(external?.decidedAt);
    kept.length = 0;
  }, 120_000);

  test('the control run is paid once per worker', async () => {
    const first = await getCalibration(getGc());
    const second = await getCalibration(getGc());
    expect(second.fresh).toBe(false);
    expect(second.calibration).toBe(first.calibration);
    expect(first.calibration.sigma).toHaveLength(7);
  });

  test('fn errors come back as the result error, with no verdict', async () => {
    const result = await detectLeak(
      () => {
        throw new Error('kaput');
      },
      { iterations: 10 },
    );
    expect(result.leak).toBe(false);
    expect(result.metrics).toEqual([]);
    expect(result.error).toMatchObject({
      code: 'LEAKPROOF_E_FN_THREW',
      message: 'fn threw in warm-up iteration 1: kaput',
    });
    expect((result.error as Error).cause).toEqual(new Error('kaput'));
  });

  test('rejections of async fns are errors too', async () => {
    const result = await detectLeak(async () => Promise.reject(new RangeError('nope')), { iterations: 10, warmup: 0 });
    expect(result.error).toMatchObject({ message: 'fn threw in measured iteration 1: nope' });
  });

  test('GC unavailable: LEAKPROOF_E_GC with advice', async () => {
    const gc = { method: 'unavailable' as const, gc: () => undefined };
    await expect(detectLeak(() => 0, { gc })).rejects.toMatchObject({
      code: 'LEAKPROOF_E_GC',
      message: expect.stringMatching(/cannot force garbage collection.*--expose-gc/),
    });
  });

  test('not a function / nonsense options: LEAKPROOF_E_OPTIONS', async () => {
    await expect(detectLeak(42 as never)).rejects.toMatchObject({ code: 'LEAKPROOF_E_OPTIONS' });
    await expect(detectLeak(() => 0, { iterations: -5 })).rejects.toMatchObject({ code: 'LEAKPROOF_E_OPTIONS' });
  });

  test('a metric asked for explicitly but unreadable is LEAKPROOF_E_METRIC_UNAVAILABLE; by default it is skipped', async () => {
    const saved = process.env.LEAKPROOF_NATIVE_DIR;
    process.env.LEAKPROOF_NATIVE_DIR = '/nonexistent-leakproof-build';
    try {
      await jest.isolateModulesAsync(async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const isolated = require('../../../src/engine/detectLeak') as typeof import('../../../src/engine/detectLeak');
        await expect(isolated.detectLeak(() => 0, { metrics: ['heap', 'native'] })).rejects.toMatchObject({
          code: 'LEAKPROOF_E_METRIC_UNAVAILABLE',
          message: expect.stringContaining('native'),
        });
        const fallback = await isolated.detectLeak(() => 0, { iterations: 10 });
        expect(fallback.metrics.map((m) => m.metric)).toEqual(['heap', 'external', 'arrayBuffers', 'rss', 'handles']);
        // Never silent: the detection says which metrics were left out, why and how to get them.
        expect(fallback.unmeasured.map((u) => u.metric)).toEqual(['native', 'fds']);
        for (const u of fallback.unmeasured) {
          expect(u.reason).toContain('LEAKPROOF_NATIVE_DIR=/nonexistent-leakproof-build');
          expect(u.fix).toContain('npx leakproof build-native');
        }
      });
    } finally {
      if (saved === undefined) delete process.env.LEAKPROOF_NATIVE_DIR;
      else process.env.LEAKPROOF_NATIVE_DIR = saved;
    }
  });

  test('only explicitly chosen metrics are measured, and rss then decides', async () => {
    const r = await detectLeak(() => 0, { iterations: 10, metrics: ['rss', 'heap'] });
    expect(r.metrics.map((m) => m.metric)).toEqual(['heap', 'rss']);
  });
});
