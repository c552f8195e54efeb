import {
  FAMILY_ALPHA,
  MISS_BETA,
  cleanTail,
  decideLook,
  lookTail,
  recentGrowth,
} from '../../../src/stats/sequentialVerdict';
import { gaussian } from '../../helpers/rng';

/** Sample positions as the sampler lays them out: the baseline, then 20 rows per stage, each stage doubling the horizon. */
function staged(looks: number, firstWindow = 200, samples = 20): number[] {
  const x = [0];
  let from = 0;
  let until = firstWindow;
  for (let k = 0; k < looks; k++) {
    for (let r = 1; r <= samples; r++) x.push(from + Math.round((r * (until - from)) / samples));
    from = until;
    until *= 2;
  }
  return x;
}

const T = 64 * 1024;
const heap = (y: number[], x: number[], look: number) =>
  decideLook({ metric: 'heap', unit: 'bytes', x, y, horizon: x[x.length - 1], look, threshold: T, deciding: true });

describe('sequential verdict', () => {
  test('the error shares of all looks sum to at most FAMILY_ALPHA', () => {
    let sum = 0;
    for (let k = 0; k < 60; k++) sum += 2 * lookTail(k);
    expect(sum).toBeLessThanOrEqual(FAMILY_ALPHA);
    expect(lookTail(1)).toBeLessThan(lookTail(0));
  });

  test('a linear leak below the first-window threshold is undecided at 200 iterations and a leak once it grows past it', () => {
    const noise = gaussian(11);
    const first = staged(1);
    const y1 = first.map((v) => 5e7 + 100 * v + 300 * noise());
    const early = heap(y1, first, 0);
    expect(early.growthLow).toBeLessThan(T); // 20 KB over 200 iterations: the 0.1 rule could never call it
    expect(early.decision).toBe('undecided');
    expect(early.leak).toBe(false);
    const long = staged(5); // 3,200 iterations: 320 KB
    const late = heap(
      long.map((v) => 5e7 + 100 * v + 300 * noise()),
      long,
      4,
    );
    expect(late.decision).toBe('leak');
    expect(late.leak).toBe(true);
  });

  test('a settling transient (30 KB over the first 60 calls, then flat) is clean once the newest half is flat', () => {
    const noise = gaussian(12);
    const x = staged(2);
    const y = x.map((v) => 5e7 + 30_000 * Math.min(1, v / 60) + 300 * noise());
    const r = heap(y, x, 1);
    expect(r.decision).toBe('clean');
    expect(r.leak).toBe(false);
  });

  test('a bounded LRU that fills over the first 500 calls (40 KB) is clean however long it is watched', () => {
    const noise = gaussian(13);
    for (const looks of [4, 5, 7]) {
      const x = staged(looks);
      const y = x.map((v) => 5e7 + 80 * Math.min(v, 500) + 300 * noise());
      const r = heap(y, x, looks - 1);
      expect([looks, r.decision]).toEqual([looks, 'clean']);
    }
  });

  test('a lazy cache that fills above the threshold early and then stops is never a leak, at any look', () => {
    const noise = gaussian(15);
    for (const looks of [1, 2, 3, 5]) {
      const x = staged(looks);
      // 200 KiB (3x the threshold) over the first 80 calls, then flat: the fixed rule calls this a leak at 200 calls.
      const y = x.map((v) => 5e7 + 200 * 1024 * Math.min(1, v / 80) + 300 * noise());
      const r = heap(y, x, looks - 1);
      expect([looks, r.leak]).toEqual([looks, false]);
      expect(r.rise).toBeGreaterThan(T);
      if (looks > 1) expect([looks, r.decision]).toEqual([looks, 'clean']);
    }
  });

  test('a leak still rising in the newest half is a leak at the first look when it is far past the threshold', () => {
    const noise = gaussian(16);
    const x = staged(1);
    const y = x.map((v) => 5e7 + 16 * 1024 * v + 300 * noise()); // 16 KiB per call: 3.2 MiB over 200 calls
    expect(heap(y, x, 0).decision).toBe('leak');
  });

  test('slow warm-up (150 KiB in all, decaying over ~300 calls, as V8 warming up in Jest) is never a leak, at any look', () => {
    const noise = gaussian(17);
    for (const looks of [1, 2, 3, 4, 6]) {
      const x = staged(looks);
      const y = x.map((v) => 5e7 + 150 * 1024 * (1 - Math.exp(-v / 300)) + 2000 * noise());
      const r = heap(y, x, looks - 1);
      expect([looks, r.leak]).toEqual([looks, false]);
    }
  });

  test('a 64 B/call linear leak becomes a leak once the newest half alone has grown past the threshold', () => {
    const noise = gaussian(18);
    const x = staged(6); // 6,400 iterations: the newest half alone holds 3,200 × 64 B = 200 KiB
    const y = x.map((v) => 5e7 + 64 * v + 2000 * noise());
    expect(heap(y, x, 5).decision).toBe('leak');
    const short = staged(3); // 800 iterations: the newest half holds 25 KiB, below the threshold: not yet
    expect(
      heap(
        short.map((v) => 5e7 + 64 * v + 2000 * noise()),
        short,
        2,
      ).decision,
    ).toBe('undecided');
  });

  test('one step of 640 KiB in the newest half (an arena taken once) is not a leak at the first look', () => {
    const noise = gaussian(19);
    const x = staged(1);
    const y = x.map((v) => 5e7 + (v >= 150 ? 640 * 1024 : 0) + 2000 * noise());
    const r = heap(y, x, 0);
    expect(r.leak).toBe(false);
    expect(r.rise).toBeGreaterThan(T); // it did rise past the threshold, once
  });

  test('a real leak drowned in harness noise in the first window is undecided (measured longer), never clean', () => {
    const noise = gaussian(20);
    const x = staged(1);
    // 144 B/call (28 KiB over 200 calls) under a control noise of 40 KiB per sample: no bound can see it yet.
    const y = x.map((v) => 5e7 + 144 * v + 40_000 * noise());
    const r = decideLook({
      metric: 'heap',
      unit: 'bytes',
      x,
      y,
      horizon: 200,
      look: 0,
      threshold: T,
      deciding: true,
      controlSigma: 40_000,
    });
    expect(r.leak).toBe(false);
    expect(r.decision).toBe('undecided');
  });

  test('one large release mid-run does not hide a leak', () => {
    const noise = gaussian(14);
    const x = staged(4); // 1,600 iterations at 1 KiB each: 1.6 MB, with 5 MB released at iteration 900
    const y = x.map((v) => 5e7 + 1024 * v - (v >= 900 ? 5e6 : 0) + 300 * noise());
    const r = heap(y, x, 3);
    expect(r.decision).toBe('leak');
  });

  test('a leak with one 2 MiB spike in the newest half (one reading up, back at the next) is still a leak', () => {
    // Taken out as if it were a step, the spike's rise shifted every later sample down by 2 MiB and hid the leak.
    const noise = gaussian(29);
    const x = staged(4); // 1,600 iterations; the newest half is 800..1600
    const y = x.map((v, i) => 5e7 + 640 * v + 512 * noise() + (i === 70 ? 2 * 1024 * 1024 : 0));
    const r = heap(y, x, 3);
    expect(r.leak).toBe(true);
  });

  test('a single step halfway through, below the threshold, is not a leak (the series rose less than the threshold)', () => {
    const x = staged(1);
    const y = x.map((v) => 5e7 + (v >= 100 ? 50_000 : 0));
    const r = heap(y, x, 0);
    expect(r.leak).toBe(false);
    expect(r.rise).toBeLessThan(T);
  });

  test('noise only: no leak and no extension past the first window in 2,000 seeded series', () => {
    let leaks = 0;
    let undecided = 0;
    const x = staged(1);
    for (let seed = 1; seed <= 2000; seed++) {
      const noise = gaussian(1000 + seed);
      const r = heap(
        x.map(() => 5e7 + 2000 * noise()),
        x,
        0,
      );
      if (r.leak) leaks++;
      if (r.decision === 'undecided') undecided++;
    }
    expect(leaks).toBe(0);
    // The screen errs on the side of measuring longer, at most 2 × 5% by construction; far below half the runs.
    expect(undecided).toBeLessThan(400);
  });

  test('a handle count that steps once is clean, one that rises every call is a leak', () => {
    const x = staged(1);
    const once = decideLook({
      metric: 'handles',
      unit: 'count',
      x,
      y: x.map((v) => (v >= 50 ? 5 : 4)),
      horizon: 200,
      look: 0,
      threshold: 0,
      deciding: true,
    });
    expect(once.decision).toBe('clean');
    const each = decideLook({
      metric: 'handles',
      unit: 'count',
      x,
      y: x.map((v) => 4 + v),
      horizon: 200,
      look: 0,
      threshold: 0,
      deciding: true,
    });
    expect(each.decision).toBe('leak');
  });

  test('recentGrowth reads only the newest half', () => {
    const x = staged(2);
    const y = x.map((v) => Math.min(v, 200) * 100);
    expect(recentGrowth(x, y, 200).growing).toBe(false);
    expect(recentGrowth(x, y, 0).growing).toBe(true);
  });
});

describe('the clean verdict against smallestLeak (the adaptive default)', () => {
  const S = 64; // bytes per iteration: the default at the default threshold
  const heapAt = (y: number[], x: number[], look: number) =>
    decideLook({
      metric: 'heap',
      unit: 'bytes',
      x,
      y,
      horizon: x[x.length - 1],
      look,
      threshold: T,
      deciding: true,
      smallestLeak: S,
    });

  test('the miss shares of all looks sum to at most MISS_BETA', () => {
    let sum = 0;
    for (let k = 0; k < 60; k++) sum += cleanTail(k);
    expect(sum).toBeLessThanOrEqual(MISS_BETA);
    expect(cleanTail(1)).toBeLessThan(cleanTail(0));
  });

  test('noise only (σ 1 KiB, nothing retained) is clean in the first window', () => {
    const noise = gaussian(21);
    const x = staged(1);
    const r = heapAt(
      x.map(() => 5e7 + 1024 * noise()),
      x,
      0,
    );
    expect(r.decision).toBe('clean');
    expect(r.recentSlopeHigh).toBeLessThan(S);
  });

  test('a 640 B/iteration leak (10x smallestLeak) is never clean in the first window, even at 4 KiB σ', () => {
    const noise = gaussian(22);
    const x = staged(1);
    for (let run = 0; run < 20; run++) {
      const r = heapAt(
        x.map((v) => 5e7 + 640 * v + 4096 * noise()),
        x,
        0,
      );
      expect(r.decision).not.toBe('clean');
    }
  });

  test('a 640 B/iteration leak with one 2 MiB release in the newest half is not clean', () => {
    const noise = gaussian(23);
    const x = staged(3); // 800 iterations; the newest half is 400..800
    const y = x.map((v) => 5e7 + 640 * v + 512 * noise() - (v >= 620 ? 2 * 1024 * 1024 : 0));
    const r = heapAt(y, x, 2);
    expect(r.decision).not.toBe('clean');
  });

  test('a 640 B/iteration leak with one 2 MiB release in the first window is not clean there', () => {
    const noise = gaussian(25);
    const x = staged(1);
    const y = x.map((v) => 5e7 + 640 * v + 512 * noise() - (v >= 110 ? 2 * 1024 * 1024 : 0));
    const r = heapAt(y, x, 0);
    expect(r.decision).not.toBe('clean');
  });

  test('a transient bump that falls back within two samples is not a release: flat code stays clean at look 0', () => {
    // A reading held up by something the next collection frees (code V8 just replaced): +40 KiB, then +20 KiB, then
    // back. Taken as a release, the fall would be added back as a 20 KiB step halfway and put the bound past S.
    const noise = gaussian(26);
    const x = staged(1);
    const y = x.map((_, i) => 5e7 + 256 * noise() + (i === 10 ? 40960 : i === 11 ? 20480 : 0));
    const r = heapAt(y, x, 0);
    expect(r.decision).toBe('clean');
    expect(r.recentSlopeHigh).toBeLessThan(S);
  });

  test('a 640 B/iteration leak under a steady release of 1 KiB/iteration is not clean: the newest half is not at rest', () => {
    const noise = gaussian(27);
    const x = staged(2); // 400 iterations; the newest half is 200..400
    const y = x.map((v) => 5e7 + 640 * v - 1024 * Math.max(0, v - 200) + 512 * noise());
    const r = heapAt(y, x, 1);
    expect(r.recentSlopeHigh).toBeLessThan(S); // falling: the upper bound alone would call it clean
    expect(r.recentSlopeFloor).toBeLessThan(-S);
    expect(r.decision).toBe('undecided');
  });

  test('flat code with one 2 MiB release in the first window is clean there (a release is not a fall)', () => {
    const noise = gaussian(28);
    const x = staged(1);
    const y = x.map((v) => 5e7 + 512 * noise() - (v >= 110 ? 2 * 1024 * 1024 : 0));
    const r = heapAt(y, x, 0);
    expect(r.recentSlopeFloor).toBeGreaterThan(-S);
    expect(r.decision).toBe('clean');
  });

  test('a bounded cache that filled 200 KiB over the first 300 calls is clean once the newest half is flat', () => {
    const noise = gaussian(24);
    const x = staged(3); // 800 iterations: the newest half starts at 400, after the cache is full
    const y = x.map((v) => 5e7 + Math.min(v, 300) * 683 + 512 * noise());
    const r = heapAt(y, x, 2);
    expect(r.growth).toBeGreaterThan(T); // it added more than the threshold in all
    expect(r.decision).toBe('clean');
    expect(r.leak).toBe(false);
  });
});
