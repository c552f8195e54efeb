// Survival counts: allocations fn kept are found in every batch that made them; garbage and evicted cache entries are not.
import { getGc } from '../../../src/engine/gc';
import { SampleRun, settle } from '../../../src/engine/sampler';
import * as path from 'node:path';
import { SurvivalSampler, sampleOwners, type ProfileNode } from '../../../src/engine/survivalSampler';
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

describe('sampleOwners: who a sample belongs to, from its stack', () => {
  const root = path.resolve(__dirname, '../../..');
  let id = 0;
  const frame = (functionName: string, url: string): ProfileNode => ({
    id: ++id,
    callFrame: { functionName, url, lineNumber: 0, columnNumber: 0 },
    children: [],
  });
  /** A chain of frames from the root down; returns the innermost. */
  function chain(head: ProfileNode, ...frames: ProfileNode[]): ProfileNode {
    let at = head;
    for (const f of frames) {
      at.children.push(f);
      at = f;
    }
    return at;
  }
  const jest = (name: string): ProfileNode => frame(name, `${root}/node_modules/jest-circus/build/run.js`);
  const own = (name: string, file: string): ProfileNode => frame(name, path.join(root, file));
  const user = (name: string): ProfileNode => frame(name, `${root}/tests/some.test.ts`);

  test('a sync fn called by the sampler is fn, however deep the runner and harness below it', () => {
    const head = frame('(root)', '');
    const alloc = chain(
      head,
      jest('_callCircusTest'),
      user('testBody'),
      frame('toLeakMemory', `${root}/node_modules/expect/build/index.js`),
      own('leakAssertion', 'matchers/leakAssertion.ts'),
      own('extend', 'src/engine/sampler.ts'),
      own('callOnce', 'src/engine/sampler.ts'),
      user('fn'),
    );
    const inlined = chain(head.children[0].children[0].children[0].children[0].children[0], frame('(program)', ''));
    const owners = sampleOwners(head);
    expect(owners.get(alloc.id)).toBe('user');
    expect(owners.get(inlined.id)).toBe('user'); // under extend: fn inlined there
  });

  test("the harness's own code is harness, even below the call loop", () => {
    const head = frame('(root)', '');
    const alloc = chain(head, own('callOnce', 'src/engine/sampler.ts'), own('isThenable', 'src/kernel/isThenable.ts'));
    const look = chain(
      head,
      own('measureStages', 'src/engine/detectLeak.ts'),
      own('decideSurvival', 'src/stats/survivalVerdict.ts'),
    );
    const owners = sampleOwners(head);
    expect(owners.get(alloc.id)).toBe('harness');
    expect(owners.get(look.id)).toBe('harness');
  });

  test("the runner's timers and what they call are harness; fn's async continuations and timers are fn's", () => {
    const head = frame('(root)', '');
    const status = chain(
      head,
      frame('listOnTimeout', 'node:internal/timers'),
      frame('__printStatus', `${root}/node_modules/@jest/reporters/build/index.js`),
      frame('stringLength', `${root}/node_modules/string-length/index.js`),
    );
    const continuation = chain(head, user('fnAfterAwait'));
    const timer = chain(head, frame('listOnTimeout', 'node:internal/timers'), user('fnTimerCallback'));
    const codec = chain(head, user('fn2'), own('encodeGpr', 'src/gpr/encodeGpr.ts'));
    const owners = sampleOwners(head);
    expect(owners.get(status.id)).toBe('harness');
    expect(owners.get(continuation.id)).toBe('user');
    expect(owners.get(timer.id)).toBe('user');
    expect(owners.get(codec.id)).toBe('user'); // the bundled codec is a library, not harness
  });
});
