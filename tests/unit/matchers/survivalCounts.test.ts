// toLeakMemory with survival counts (option survivalCounts): the heap is decided on the allocations still alive, far from
// the boundary both ways: a 1 KiB/call leak fails, a bounded LRU of 300 small entries (~20 KiB with its table, under a
// third of the 64 KiB threshold) passes, and the record carries what the survivors showed. Rates near the boundary are
// measured in bench/lab.
// The time budget is raised as in smallLeaks.test.ts: a loaded CI machine can need many times the quiet one's time.
import { RECORDS_GLOBAL, type LeakRecord } from '../../../src/jest/record';
import { detectLeak } from '../../../src/engine/detectLeak';

function lastRecord(): LeakRecord {
  const records = (globalThis as Record<string, unknown>)[RECORDS_GLOBAL] as LeakRecord[];
  return records[records.length - 1];
}

const options = { survivalCounts: true, maxDurationMs: 90_000 };
const TIMEOUT = 180_000;

describe('survival counts', () => {
  test(
    'a 1 KiB/call leak fails, and its survivors are in the record',
    async () => {
      const kept: number[][] = [];
      const leak = (): void => {
        kept.push(new Array<number>(128).fill(1));
      };
      await expect(expect(leak).not.toLeakMemory(options)).rejects.toThrow(
        /Survivors \(heap, V8 allocation samples every 1.00 KiB\)/,
      );
      const heap = lastRecord().metrics.find((m) => m.metric === 'heap')!;
      expect(heap.decision).toBe('leak');
      expect(heap.survival).toBeDefined();
      // The heapUsed rule may decide first, even at the first window (200 calls, when no call is after it yet); past it,
      // the survivors are ~1 sample per call, far past the threshold.
      const iterations = lastRecord().iterations;
      expect(heap.survival!.postBytes > 64 * 1024 || iterations === 200).toBe(true);
    },
    TIMEOUT,
  );

  test(
    'a bounded LRU of 300 entries passes',
    async () => {
      const lru = new Map<number, { id: number; tag: string }>();
      let key = 0;
      const cached = (): void => {
        const k = key++;
        lru.set(k, { id: k, tag: 'entry' });
        if (lru.size > 300) lru.delete(lru.keys().next().value!);
      };
      await expect(cached).not.toLeakMemory(options);
      const heap = lastRecord().metrics.find((m) => m.metric === 'heap')!;
      expect(heap.leak).toBe(false);
      expect(heap.survival?.decision).toBe('clean');
    },
    TIMEOUT,
  );

  test('the option is checked like every other', async () => {
    await expect(detectLeak(() => undefined, { survivalCounts: 'yes' as unknown as boolean })).rejects.toMatchObject({
      code: 'LEAKPROOF_E_OPTIONS',
    });
  });

  test(
    'off by default: the heap result carries no survival summary',
    async () => {
      const d = await detectLeak(() => JSON.stringify({ a: 1 }), { allocationSites: false });
      expect(d.metrics.find((m) => m.metric === 'heap')?.survival).toBeUndefined();
    },
    TIMEOUT,
  );
});

describe('LEAKPROOF_SURVIVAL_COUNTS', () => {
  const saved = process.env.LEAKPROOF_SURVIVAL_COUNTS;
  afterEach(() => {
    if (saved === undefined) delete process.env.LEAKPROOF_SURVIVAL_COUNTS;
    else process.env.LEAKPROOF_SURVIVAL_COUNTS = saved;
  });

  test(
    '1 turns survival counts on for assertions that do not choose',
    async () => {
      process.env.LEAKPROOF_SURVIVAL_COUNTS = '1';
      const d = await detectLeak(() => JSON.stringify({ a: 1 }), { allocationSites: false });
      expect(d.metrics.find((m) => m.metric === 'heap')?.survival).toBeDefined();
      const off = await detectLeak(() => JSON.stringify({ a: 1 }), { allocationSites: false, survivalCounts: false });
      expect(off.metrics.find((m) => m.metric === 'heap')?.survival).toBeUndefined();
    },
    TIMEOUT,
  );

  test('any other value than 1 or 0 is an options error', async () => {
    process.env.LEAKPROOF_SURVIVAL_COUNTS = 'yes';
    await expect(detectLeak(() => undefined)).rejects.toMatchObject({ code: 'LEAKPROOF_E_OPTIONS' });
  });
});
