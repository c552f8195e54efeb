import { formatVerdict } from '../../../src/kernel/formatVerdict';
import { decideLook } from '../../../src/stats/sequentialVerdict';
import type { LeakDetection } from '../../../src/engine/detectLeak';
import { undecidedLines } from '../../../matchers/formatLeakMessage';

/** The sampler's layout for two looks: the baseline, 20 rows to 200, 20 rows to 400. */
const x = [0];
for (let r = 1; r <= 20; r++) x.push(10 * r);
for (let r = 1; r <= 20; r++) x.push(200 + 10 * r);

const look1 = (y: number[]) =>
  decideLook({
    metric: 'heap',
    unit: 'bytes',
    x,
    y,
    horizon: 400,
    look: 1,
    threshold: 64 * 1024,
    deciding: true,
    smallestLeak: 64,
  });

const text = (m: ReturnType<typeof look1>) =>
  formatVerdict({ title: 't', leak: false, metrics: [m], iterations: 400, step: 'iteration', threshold: 64 * 1024 });

describe('formatVerdict: the undecided line', () => {
  test('a series still falling in the newest half is undecided and said to be falling, with its lower bound', () => {
    // Flat, then 600 B/iteration less from 200 on (memory still being released): not at rest.
    const m = look1(x.map((v, i) => 5e7 - 600 * Math.max(0, v - 200) + (i % 2) * 300));
    expect(m.decision).toBe('undecided');
    const line = text(m)
      .split('\n')
      .find((l) => l.includes('undecided:'));
    expect(line).toMatch(/undecided: heap falling -\d+ B\/iteration \(down to -\d+ B\/iteration\)/);
  });

  test('a series growing below the threshold is undecided and said to be growing, with its upper bound', () => {
    const m = look1(x.map((v, i) => 5e7 + 100 * v + (i % 2) * 300));
    expect(m.decision).toBe('undecided');
    const line = text(m)
      .split('\n')
      .find((l) => l.includes('undecided:'));
    expect(line).toMatch(/undecided: heap growing \+\d+ B\/iteration \(up to \+\d+ B\/iteration\)/);
  });
});

describe("the matcher's undecided lines use the same phrase", () => {
  test('falling and growing metrics each get their rate, bound and horizon', () => {
    const falling = look1(x.map((v, i) => 5e7 - 600 * Math.max(0, v - 200) + (i % 2) * 300));
    const growing = { ...look1(x.map((v, i) => 5e7 + 100 * v + (i % 2) * 300)), metric: 'native' as const };
    const lines = undecidedLines({
      metrics: [falling, growing],
      iterations: 400,
      horizon: { firstWindow: 200, looks: 2, stopReason: 'time-budget', maxDurationMs: 10_000, maxIterations: 12_800 },
    } as unknown as LeakDetection);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^heap falling -\d+ B\/iter \(down to -\d+ B\/iter\), undecided at 400 iterations/);
    expect(lines[1]).toMatch(/^native growing \+\d+ B\/iter \(up to \+\d+ B\/iter\), undecided at 400 iterations/);
  });
});
