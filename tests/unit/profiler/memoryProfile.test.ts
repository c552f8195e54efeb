// memoryProfile and @profileMemory: transparent wrappers that measure each call.
import { getGc } from '../../../src/engine/gc';
import { memoryProfile, profileMemory, type ProfiledCall } from '../../../src/profiler';
import { settleMemory } from '../../../src/engine/settleMemory';

describe('memoryProfile', () => {
  // arrayBuffers is process-wide, and a sync call cannot let finalizers run: settle with event-loop turns first, so
  // garbage an earlier test file left in this worker (tens of MiB of decoded images) is not freed inside the
  // measured sync call (seen in CI: -30 MiB).
  beforeAll(async () => {
    await settleMemory(getGc());
  });

  test('a sync function stays sync, keeps `this` and arguments, and reports each call', () => {
    const calls: ProfiledCall[] = [];
    const kept: Buffer[] = [];
    const obj = {
      size: 300 * 1024,
      grow(times: number) {
        for (let i = 0; i < times; i++) kept.push(Buffer.alloc(this.size));
        return kept.length;
      },
    };
    const grow = memoryProfile(obj.grow, { label: 'grow', onMeasure: (c) => calls.push(c) });
    const out = grow.call(obj, 2);
    expect(out).toBe(2);
    expect(grow.call(obj, 1)).toBe(3);
    expect(calls.map((c) => c.call)).toEqual([1, 2]);
    expect(calls[0].growth.arrayBuffers).toBeGreaterThanOrEqual(600 * 1024);
    expect(calls[1].growth.arrayBuffers).toBeGreaterThanOrEqual(300 * 1024);
    expect(calls[1].growth.arrayBuffers).toBeLessThan(600 * 1024);
    expect(calls[0].report).toMatch(/^grow #1: .*arrayBuffers \+6\d\d KiB/);
    kept.length = 0;
  });

  test('an async function returns a promise of its value, measured after it settles', async () => {
    const lines: string[] = [];
    const kept: Buffer[] = [];
    const load = memoryProfile(
      async function load(n: number) {
        await new Promise((r) => setImmediate(r));
        kept.push(Buffer.alloc(n));
        return n;
      },
      { log: (l) => lines.push(l), metrics: ['arrayBuffers'] },
    );
    const p = load(1024 * 1024);
    expect(p).toBeInstanceOf(Promise);
    await expect(p).resolves.toBe(1024 * 1024);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^load #1: arrayBuffers \+1\.\d\d MiB$/);
    kept.length = 0;
  });

  test('errors pass through unchanged', () => {
    const err = new Error('inner');
    const f = memoryProfile(
      () => {
        throw err;
      },
      { log: false },
    );
    expect(() => f()).toThrow(err);
  });

  test('bad arguments → LEAKPROOF_E_OPTIONS', () => {
    expect(() => memoryProfile('f' as never)).toThrow(expect.objectContaining({ code: 'LEAKPROOF_E_OPTIONS' }));
    expect(() => memoryProfile(() => 1, { log: 'yes' } as never)).toThrow(
      expect.objectContaining({ code: 'LEAKPROOF_E_OPTIONS' }),
    );
    expect(() => memoryProfile(() => 1, { onMeasure: 3 } as never)).toThrow(/onMeasure/);
  });
});

describe('@profileMemory (legacy experimentalDecorators form)', () => {
  const seen: ProfiledCall[] = [];
  class Cache {
    private readonly store: Buffer[] = [];

    @profileMemory({ onMeasure: (c) => seen.push(c) })
    add(bytes: number): number {
      this.store.push(Buffer.alloc(bytes));
      return this.store.length;
    }

    @profileMemory({ onMeasure: (c) => seen.push(c) })
    async addLater(bytes: number): Promise<number> {
      await new Promise((r) => setImmediate(r));
      return this.add(bytes);
    }
  }

  test('labels calls Class.method, keeps `this`, and measures sync and async methods', async () => {
    const c = new Cache();
    expect(c.add(512 * 1024)).toBe(1);
    await expect(c.addLater(256 * 1024)).resolves.toBe(2);
    // addLater's call of add is measured too (inner first, as it finishes first).
    expect(seen.map((s) => s.label)).toEqual(['Cache.add', 'Cache.add', 'Cache.addLater']);
    expect(seen[0].growth.arrayBuffers).toBeGreaterThanOrEqual(512 * 1024);
    expect(seen[2].growth.arrayBuffers).toBeGreaterThanOrEqual(256 * 1024);
  });

  test('on something other than a method → LEAKPROOF_E_OPTIONS', () => {
    const decorate = profileMemory({ log: false }) as unknown as (t: object, k: string, d: PropertyDescriptor) => void;
    expect(() => decorate({}, 'field', { value: 3 })).toThrow(expect.objectContaining({ code: 'LEAKPROOF_E_OPTIONS' }));
  });
});

describe('@profileMemory (standard TC39 form)', () => {
  test('given (method, context) it returns the profiled method, labelled by the method name', () => {
    const seen: ProfiledCall[] = [];
    const decorate = profileMemory({ onMeasure: (c) => seen.push(c) }) as unknown as (
      m: (this: { n: number }, x: number) => number,
      ctx: { kind: 'method'; name: string },
    ) => (this: { n: number }, x: number) => number;
    const method = decorate(
      function (this: { n: number }, x: number) {
        return this.n + x;
      },
      { kind: 'method', name: 'sum' },
    );
    expect(method.call({ n: 2 }, 3)).toBe(5);
    expect(seen.map((c) => [c.label, c.call])).toEqual([['sum', 1]]);
  });
});
