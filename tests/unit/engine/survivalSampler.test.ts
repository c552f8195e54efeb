// Survival counts: allocations fn kept are found in every batch that made them; garbage and evicted cache entries are not.
import { getGc } from '../../../src/engine/gc';
import { SampleRun, settle } from '../../../src/engine/sampler';
import { SurvivalSampler } from '../../../src/engine/survivalSampler';
import type { SurvivalReading } from '../../../src/model';

const BATCHES = 10;
const PER_BATCH = 100;

/** Runs fn in BATCHES batches of PER_BATCH calls with survival counts, and reads the survivors after the last one. */
async function survivors(fn: () => unknown): Promise<SurvivalReading> {
  const gc = getGc();
  const started = await SurvivalSampler.start(1024);
  if (!(started instanceof SurvivalSampler)) throw new Error(started.unavailable);
  try {
    const run = new SampleRun(fn, gc, BATCHES + 1, { survival: started, survivalEvery: 1 });
    await run.start(20, BATCHES * PER_BATCH);
    await run.extend(BATCHES * PER_BATCH, BATCHES);
    await settle(gc);
    return await started.read();
  } finally {
    await started.stop();
  }
}

const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);

describe('SurvivalSampler', () => {
  test('a leak of ~1 KiB per call leaves survivors in every batch, about its size', async () => {
    const kept: number[][] = [];
    const r = await survivors(() => {
      kept.push(new Array<number>(128).fill(1)); // 1,024 B of elements + the array: ~100 samples per batch at 1 KiB
    });
    expect(r.count).toHaveLength(BATCHES);
    // Poisson(~100) per batch: below 30 has probability < 1e-15.
    for (const c of r.count) expect(c).toBeGreaterThan(30);
    const perCall = sum(r.bytes) / (BATCHES * PER_BATCH);
    expect(perCall).toBeGreaterThan(500);
    expect(perCall).toBeLessThan(3000);
  });

  test('garbage leaves no survivors after the first batch', async () => {
    let sink = 0;
    const r = await survivors(() => {
      const tmp = new Array<number>(128).fill(1); // the same 1 KiB, dropped at once
      sink += tmp.length;
    });
    expect(sink).toBeGreaterThan(0);
    // One-offs (code V8 compiles for fn as it tiers up) may land anywhere, a few samples each; a leak of this size
    // would leave ~900 in these batches.
    expect(sum(r.count.slice(1))).toBeLessThan(40);
  });

  test('a bounded cache that evicts leaves survivors only in the batch that holds its entries', async () => {
    const cache = new Map<number, number[]>();
    let key = 0;
    const r = await survivors(() => {
      cache.set(key++, new Array<number>(128).fill(1));
      if (cache.size > 50) cache.delete(cache.keys().next().value!);
    });
    // The 50 entries alive are the last 50 calls': batch 10. Batches 1–8 were evicted (~800 samples had they stayed).
    expect(sum(r.count.slice(0, 8))).toBeLessThan(40);
    expect(r.count[BATCHES - 1]).toBeGreaterThan(15);
  });

  test('an async fn is counted through its continuation', async () => {
    const kept: number[][] = [];
    const r = await survivors(async () => {
      await null;
      kept.push(new Array<number>(128).fill(1));
    });
    for (const c of r.count) expect(c).toBeGreaterThan(30);
  });
});
