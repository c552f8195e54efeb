// runMemoryStressTest: real leaks are caught, clean operations pass, bad input and throwing fns give typed errors.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { runMemoryStressTest } from '../../../src/profiler';

const testingAddonPath = path.resolve(__dirname, '../../../native/build/Release/leakproof_testing.node');

describe('runMemoryStressTest catches leaks', () => {
  test('retained JS objects', async () => {
    const kept: object[] = [];
    const r = await runMemoryStressTest(() => {
      kept.push(Array.from({ length: 200 }, (_, i) => ({ i })));
    });
    expect(r.leak).toBe(true);
    const heap = r.measurements.find((m) => m.metric === 'heap');
    expect(heap?.leak).toBe(true);
    expect(heap?.slopeLow).toBeGreaterThan(0);
    expect(r.report).toMatch(/LEAK: .*heap/);
    // The first window is 200 iterations; the sequential verdict may take one more look when the control noise is high.
    expect([200, 400]).toContain(r.iterations);
    // Where: the innermost function that allocated what stayed alive is the `(_, i) => ({ i })` mapper above.
    const arrowLine =
      fs
        .readFileSync(__filename, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('kept.push(Array.from({ length: 200 }, (_, i) => ({ i })));')) + 1;
    expect(r.allocationSites?.[0]).toMatchObject({
      functionName: '(anonymous)',
      file: 'tests/unit/profiler/runMemoryStressTest.test.ts',
      line: arrowLine,
    });
    expect(r.report).toMatch(
      new RegExp(
        `allocated in \\(anonymous\\) \\(tests/unit/profiler/runMemoryStressTest\\.test\\.ts:${arrowLine}:\\d+\\)`,
      ),
    );
    kept.length = 0;
  });

  test('retained Buffers show in array-buffer memory', async () => {
    const kept: Buffer[] = [];
    const r = await runMemoryStressTest(() => void kept.push(Buffer.alloc(8 * 1024, 1)), {
      iterations: 100,
      threshold: 128 * 1024,
    });
    expect(r.leak).toBe(true);
    expect(r.measurements.find((m) => m.metric === 'arrayBuffers')?.leak).toBe(true);
    expect(r.threshold).toBe(128 * 1024);
    kept.length = 0;
  });

  test('native malloc that is never freed', async () => {
    if (!fs.existsSync(testingAddonPath)) {
      if (process.env.CI === 'true') throw new Error(`${testingAddonPath} missing: the test addon must be built in CI`);
      console.warn(`skipped: ${testingAddonPath} is not built (npm run build:native)`);
      return;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const addon = require(testingAddonPath) as { leakNative(n: number): void; freeLeaked(): void };
    try {
      const r = await runMemoryStressTest(() => addon.leakNative(4096));
      expect(r.leak).toBe(true);
      expect(r.measurements.find((m) => m.metric === 'native')?.leak).toBe(true);
    } finally {
      addon.freeLeaked();
    }
  });
});

describe('runMemoryStressTest passes clean code', () => {
  const clean: [string, () => unknown][] = [
    ['JSON round trip', () => JSON.parse(JSON.stringify({ a: [1, 2, 3], b: 'text' }))],
    ['Buffer churn', () => Buffer.alloc(32 * 1024, 7).toString('base64')],
    [
      'Map set/delete',
      (() => {
        const m = new Map<number, object>();
        let i = 0;
        return () => {
          m.set(i, { i });
          m.delete(i - 1);
          i++;
        };
      })(),
    ],
    ['zlib round trip', () => zlib.inflateSync(zlib.deflateSync(Buffer.alloc(16 * 1024, 3)))],
    [
      'async function',
      async () => {
        await new Promise((r) => setImmediate(r));
        return [1, 2, 3].map(String);
      },
    ],
  ];
  test.each(clean)('%s', async (_name, fn) => {
    const r = await runMemoryStressTest(fn);
    if (r.leak) console.log(r.report);
    expect(r.leak).toBe(false);
    expect(r.report).toMatch(/no leak over \d+ iterations/);
  });
});

describe('runMemoryStressTest errors', () => {
  test('an fn that throws rejects with LEAKPROOF_E_FN_THREW and the original cause', async () => {
    const boom = new Error('boom');
    await expect(
      runMemoryStressTest(() => {
        throw boom;
      }),
    ).rejects.toMatchObject({ code: 'LEAKPROOF_E_FN_THREW', cause: boom });
  });

  test.each([
    ['not a function', 'nope' as unknown as () => void, undefined, /`fn` must be a function/],
    ['negative iterations', () => 1, { iterations: -3 }, /iterations/],
    ['threshold NaN', () => 1, { threshold: NaN }, /threshold/],
    ['unknown option', () => 1, { iteration: 10 } as object, /unknown option `iteration`/],
    ['unknown metric', () => 1, { metrics: ['heap', 'ram'] } as object, /metrics/],
  ])('%s → LEAKPROOF_E_OPTIONS', async (_name, fn, opts, message) => {
    await expect(runMemoryStressTest(fn, opts as object)).rejects.toMatchObject({
      code: 'LEAKPROOF_E_OPTIONS',
      message: expect.stringMatching(message),
    });
  });
});
