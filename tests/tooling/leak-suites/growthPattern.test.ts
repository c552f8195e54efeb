// The endurance suite's growth-pattern analysis on synthetic series: linear, plateau, stable, noisy, and bad input.
import { analyzeGrowth } from '../../leak/support/growthPattern';

const N = 60;
const x = Array.from({ length: N }, (_, i) => i * 50); // 60 readings over 2950 iterations
const noise = (i: number): number => (((i * 7919) % 97) - 48) * 40; // deterministic, ±2 KB

test('a steady leak of 200 B/iteration is linear', () => {
  const a = analyzeGrowth(
    x,
    x.map((v, i) => 1e6 + 200 * v + noise(i)),
    256 * 1024,
  );
  expect(a.pattern).toBe('linear');
  expect(a.shape).toBe('linear');
  expect(a.slope).toBeGreaterThan(190);
  expect(a.slope).toBeLessThan(210);
  expect(a.windows).toHaveLength(4);
  for (const w of a.windows) expect(w.slopeLow).toBeGreaterThan(100);
});

test('growth that stops after the first quarter is a plateau', () => {
  const a = analyzeGrowth(
    x,
    x.map((v, i) => 1e6 + 800 * Math.min(v, 600) + noise(i)),
    128 * 1024,
  );
  expect(a.pattern).toBe('plateau');
  expect(a.shape).not.toBe('linear');
  expect(a.drift).toBeGreaterThan(128 * 1024);
  expect(Math.abs(a.windows[3].slope)).toBeLessThan(20);
});

test('a flat noisy series is stable', () => {
  const a = analyzeGrowth(
    x,
    x.map((_, i) => 5e6 + noise(i) * 10),
    256 * 1024,
  );
  expect(a.pattern).toBe('stable');
  expect(Math.abs(a.drift)).toBeLessThan(256 * 1024);
});

test('a small steady rise below the tolerance is stable, the same rise with a lower tolerance is linear', () => {
  const y = x.map((v) => 1e6 + 20 * v); // 59 KB over the run
  expect(analyzeGrowth(x, y, 256 * 1024).pattern).toBe('stable');
  expect(analyzeGrowth(x, y, 16 * 1024).pattern).toBe('linear');
});

test('one step (a cache filled once mid-run) is not linear', () => {
  const a = analyzeGrowth(
    x,
    x.map((v, i) => 1e6 + (v > 1500 ? 2e6 : 0) + noise(i)),
    256 * 1024,
  );
  expect(a.pattern).not.toBe('linear');
});

test('too few readings or a negative tolerance are errors', () => {
  expect(() => analyzeGrowth([1, 2, 3], [1, 2, 3], 10)).toThrow(RangeError);
  expect(() => analyzeGrowth(x, x, -1)).toThrow(/tolerance/);
});
