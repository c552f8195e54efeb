// The survival rule on synthetic survivor counts: a steady leak, a bounded cache, a one-off, a leak that stopped early.
import { decideSurvival, type SurvivalInput } from '../../../src/stats/survivalVerdict';
import { seeded as rng } from '../../helpers/rng';

const I = 1024;
const FIRST = 200;

/** Batch ends of a run like the engine's: stages of 20 batches, the horizon doubling from FIRST up to `horizon`. */
function ladder(horizon: number): number[] {
  const x = [0];
  for (let from = 0, to = FIRST; to <= horizon; from = to, to *= 2) {
    for (let r = 1; r <= 20; r++) x.push(from + Math.round((r * (to - from)) / 20));
  }
  return x;
}

/** Poisson draw (Knuth; small means) from the seeded generator. */
function poisson(mean: number, rand: () => number): number {
  const l = Math.exp(-mean);
  let k = 0;
  for (let p = rand(); p > l; p *= rand()) k++;
  return k;
}

/** Survivors per batch for `alive(start, end)` expected bytes per batch, small objects sampled at interval I. */
function input(
  horizon: number,
  look: number,
  expected: (start: number, end: number) => number,
  seed = 1,
): SurvivalInput {
  const rand = rng(seed);
  const x = ladder(horizon);
  const count: number[] = [];
  for (let r = 0; r + 1 < x.length; r++) count.push(poisson(expected(x[r], x[r + 1]) / I, rand));
  return {
    x,
    count,
    bytes: count.map((c) => c * (I + 16)),
    interval: I,
    horizon,
    look,
    firstWindow: FIRST,
    threshold: 64 * 1024,
    smallestLeak: 32,
  };
}

describe('decideSurvival', () => {
  test('a steady 256 B/call leak is a leak at 3,200 calls', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const v = decideSurvival(input(3200, 4, (a, b) => 256 * (b - a), seed));
      expect(v.decision).toBe('leak');
    }
  });

  test('clean code (no survivors after the first window) is clean once the aged calls bound the rate', () => {
    const v = decideSurvival(input(1600, 3, (a, b) => (a < FIRST ? 4000 * (b - a) : 0)));
    expect(v.decision).toBe('clean');
    expect(v.rateHigh).toBeLessThan(32);
  });

  test('a bounded cache whose entries live 300 calls is clean, however large each entry', () => {
    // At look time 3,200 only entries of calls after 2,900 are alive: none in the aged batches (200, 1,600].
    for (let seed = 1; seed <= 20; seed++) {
      const v = decideSurvival(input(3200, 4, (a, b) => (b > 2900 ? 10_000 * (b - Math.max(a, 2900)) : 0), seed));
      expect(v.decision).toBe('clean');
    }
  });

  test('a cache of 500 KiB whose entries live 1,000 calls is not a leak: its survivors are all young', () => {
    // Alive at 6,400: calls after 5,400, 500 B each (~500 KiB, far past the threshold), none in the aged (200, 3,200].
    for (let seed = 1; seed <= 20; seed++) {
      const v = decideSurvival(input(6400, 5, (a, b) => (b > 5400 ? 500 * (b - Math.max(a, 5400)) : 0), seed));
      expect(v.postBytes).toBeGreaterThan(256 * 1024);
      expect(v.holdsShare).toBe(false);
      expect(v.decision).toBe('clean');
    }
  });

  test('a leak that retained 400 KiB after the first window and then stopped is a leak; one that stopped at 20 KiB is not', () => {
    const big = decideSurvival(input(3200, 4, (a, b) => (a >= FIRST && b <= 600 ? 1024 * (b - a) : 0)));
    expect(big.decision).toBe('leak');
    const small = decideSurvival(input(3200, 4, (a, b) => (a >= FIRST && b <= 220 ? 1024 * (b - a) : 0)));
    expect(small.decision).not.toBe('leak');
  });

  test('a one-off of 1 MiB in one batch after the first window is not a leak', () => {
    const v = decideSurvival(input(3200, 4, (a) => (a === 600 ? 1024 * 1024 : 0)));
    expect(v.setAside).toBeGreaterThan(512 * 1024);
    expect(v.decision).toBe('clean');
  });

  test('one big object (a few large samples) cannot make a leak alone', () => {
    const base = input(3200, 4, () => 0);
    const bytes = Array.from(base.bytes);
    const count = Array.from(base.count);
    // Two 200 KiB objects in two aged batches: 2 samples, 400 KiB. The count's lower bound keeps it from deciding.
    for (const r of [30, 45]) {
      count[r] += 1;
      bytes[r] += 200 * 1024;
    }
    const v = decideSurvival({ ...base, count, bytes });
    expect(v.decision).not.toBe('leak');
  });

  test('a leak that stopped within the first window is clean', () => {
    const v = decideSurvival(input(3200, 4, (a, b) => (b <= FIRST ? 1024 * (b - a) : 0)));
    expect(v.decision).toBe('clean');
  });

  test('before any batch has aged (the first two looks) nothing is decided', () => {
    const v = decideSurvival(input(400, 1, (a, b) => 4096 * (b - a)));
    expect(v.decision).toBe('undecided');
    expect(v.agedCalls).toBe(0);
  });
});
