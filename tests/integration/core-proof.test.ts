// Proof that the matcher, at its documented defaults, catches each kind of leak and stays quiet on clean code.
// Runs under the project's Jest config, i.e. the leakproof environment, runner and matchers setup (no CLI flags).
import { EventEmitter } from 'node:events';
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

interface TestingAddon {
  leakNative(bytes: number): void;
  churnNative(bytes: number): void;
  freeLeaked(): void;
  leakFd(): number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const testing = require(path.resolve(__dirname, '../../native/build/Release/leakproof_testing.node')) as TestingAddon;

const retained: unknown[] = [];
const leakedFds: number[] = [];
const leakedIntervals: NodeJS.Timeout[] = [];

// Release each leak after its test, so later tests do not pay for collecting an ever larger heap.
afterEach(() => {
  retained.length = 0;
  testing.freeLeaked();
  for (const interval of leakedIntervals) clearInterval(interval);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  for (const fd of leakedFds.splice(0)) require('node:fs').closeSync(fd);
  leakedIntervals.splice(0);
});

describe('leaks that must be caught at default settings', () => {
  test('retained JS objects (~1 KiB each)', async () => {
    await expect(() => {
      retained.push({ id: retained.length, values: new Array(128).fill(retained.length) });
    }).toLeakMemory();
  });

  test('retained Buffers (1 KiB each)', async () => {
    await expect(() => void retained.push(Buffer.alloc(1024))).toLeakMemory();
  });

  test('retained ArrayBuffers (1 KiB each)', async () => {
    await expect(() => void retained.push(new ArrayBuffer(1024))).toLeakMemory();
  });

  test('native malloc that is never freed (1 KiB per call, test-only addon)', async () => {
    await expect(() => testing.leakNative(1024)).toLeakMemory();
  });

  test('closures held by an EventEmitter', async () => {
    const emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    await expect(() => {
      const captured = new Array(128).fill(Math.random());
      emitter.on('data', () => captured.length);
    }).toLeakMemory();
  });

  test('an async leak (data retained after an await)', async () => {
    // An array of 256 numbers (~2 KiB) per call. Not a repeated string: V8 builds 'x'.repeat(n) from shared cons
    // pieces, so such a "1 KiB string" retains only a few hundred bytes and sits at the threshold.
    const cache = new Map<number, number[]>();
    let key = 0;
    await expect(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      cache.set(key, new Array<number>(256).fill(key++));
    }).toLeakMemory();
  });

  test('a file-descriptor leak (one fd per call)', async () => {
    await expect(() => void leakedFds.push(testing.leakFd())).toLeakMemory();
  });

  test('a handle leak (an interval that is never cleared)', async () => {
    await expect(() => void leakedIntervals.push(setInterval(() => undefined, 60_000))).toLeakMemory({
      metrics: ['handles'],
    });
  });

  test('the .not form fails on a leak, naming the metric', async () => {
    const kept: Buffer[] = [];
    const assertion = expect(() => void kept.push(Buffer.alloc(2048))).not.toLeakMemory();
    await expect(assertion).rejects.toThrow(/external grew \+400(\.0)? KiB/);
  });
});

describe('clean code that must pass at default settings', () => {
  const payload = { id: 1, name: 'leakproof', tags: ['a', 'b', 'c'], nested: { deep: [1, 2, 3] } };
  const source = Buffer.alloc(64 * 1024, 'leakproof ');
  const map = new Map<string, number>();
  const emitter = new EventEmitter();

  test.each<[string, () => unknown]>([
    ['JSON round trip', () => JSON.parse(JSON.stringify(payload))],
    ['Buffer churn (64 KiB allocated and dropped)', () => Buffer.alloc(64 * 1024).fill(7)],
    ['native malloc/free churn (100 KB)', () => testing.churnNative(100_000)],
    ['zlib deflate + inflate', () => zlib.inflateSync(zlib.deflateSync(source))],
    [
      'Map set then delete',
      () => {
        map.set('k' + Math.random(), 1);
        for (const k of map.keys()) map.delete(k);
      },
    ],
    ['timers that are cleared', () => clearTimeout(setTimeout(() => undefined, 10_000))],
    ['intervals that are cleared', () => clearInterval(setInterval(() => undefined, 10_000))],
    [
      'async function awaiting promises',
      async () => {
        await Promise.resolve(1);
        await new Promise((resolve) => setImmediate(resolve));
      },
    ],
    ['sha256 of 64 KiB', () => crypto.createHash('sha256').update(source).digest('hex')],
    ['string building and regex', () => 'a,b,c,d'.repeat(100).split(',').join(';').replace(/;/g, '-')],
    [
      'array sort of fresh objects',
      () => Array.from({ length: 200 }, (_, i) => ({ v: (i * 7919) % 200 })).sort((a, b) => a.v - b.v),
    ],
    [
      'EventEmitter on then off',
      () => {
        const listener = (): void => undefined;
        emitter.on('x', listener);
        emitter.off('x', listener);
      },
    ],
    ['TextEncoder / TextDecoder', () => new TextDecoder().decode(new TextEncoder().encode('héllo wörld '.repeat(50)))],
  ])('%s', async (_name, fn) => {
    await expect(fn).not.toLeakMemory();
  });
});

describe('errors are errors, not verdicts', () => {
  test('fn throwing fails the assertion with its message, even under .not', async () => {
    let calls = 0;
    const failing = (): void => {
      if (++calls === 3) throw new Error('database is down');
    };
    await expect(expect(failing).not.toLeakMemory()).rejects.toThrow(
      /threw, so no leak verdict was made:[\s\S]*database is down/,
    );
    calls = 0;
    await expect(expect(failing).toLeakMemory()).rejects.toThrow(/database is down/);
  });

  test('an async rejection fails the assertion', async () => {
    await expect(expect(async () => Promise.reject(new Error('timeout'))).not.toLeakMemory()).rejects.toThrow(
      /timeout/,
    );
  });

  test('GC unavailable fails with LEAKPROOF_E_GC', async () => {
    process.env.LEAKPROOF_GC = 'unavailable';
    try {
      await expect(expect(() => 0).not.toLeakMemory()).rejects.toThrow(
        /cannot force garbage collection[\s\S]*LEAKPROOF_E_GC/,
      );
    } finally {
      delete process.env.LEAKPROOF_GC;
    }
  });

  test.each<[string, unknown, RegExp]>([
    ['negative threshold', -1, /`threshold` must be a finite number of bytes ≥ 0; received -1/],
    ['string threshold', '1MB', /threshold in bytes or an options object; received string/],
    ['zero iterations', { iterations: 0 }, /`iterations` must be an integer from 5/],
    ['unknown metric', { metrics: ['heap', 'cpu'] }, /`metrics` must be a list of .*received "cpu"/],
    ['typo in an option name', { iteratons: 100 }, /unknown option `iteratons`/],
  ])('nonsense options (%s) fail clearly', async (_name, arg, message) => {
    await expect(expect(() => 0).not.toLeakMemory(arg as number)).rejects.toThrow(message);
  });

  test('a received value that is not a function fails with a matcher error', async () => {
    await expect(expect(42).not.toLeakMemory()).rejects.toThrow(/received value must be a function/);
  });
});
