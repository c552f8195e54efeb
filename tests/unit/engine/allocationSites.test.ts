// Allocation sites: the sampling heap profiler names the function of user code that allocated retained memory, at its
// line in the original (TypeScript) source, and finds nothing in clean code.
import * as fs from 'node:fs';
import { getGc } from '../../../src/engine/gc';
import { profileAllocationSites } from '../../../src/engine/allocationSites';
import { detectLeak } from '../../../src/engine/detectLeak';

class Session {
  readonly history = new Array<number>(32).fill(7);
}
const sessions: Session[] = [];
function openSession(): void {
  sessions.push(new Session());
}
function handleRequest(): void {
  openSession();
}

const kept: Buffer[] = [];
function keepBuffer(): void {
  kept.push(Buffer.alloc(2048));
}

/** 1-based line of the first line of this file containing `text`. */
function lineOf(text: string): number {
  return (
    fs
      .readFileSync(__filename, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(text)) + 1
  );
}

describe('profileAllocationSites', () => {
  test('names the allocating function at its source line, with its caller', async () => {
    const profile = await profileAllocationSites(handleRequest, 100, getGc());
    expect(profile.iterations).toBe(100);
    const [top] = profile.sites;
    expect(top).toBeDefined();
    // The Session constructor (its field initialiser) or openSession allocates; either is a right answer.
    expect(['Session', 'openSession', '<instance_members_initializer>']).toContain(top.functionName);
    expect(top.file).toBe('tests/unit/engine/allocationSites.test.ts');
    const expectedLine = top.functionName === 'openSession' ? lineOf('function openSession') : lineOf('class Session');
    expect(top.line).toBe(expectedLine);
    expect(top.callers.join('\n')).toMatch(
      /(openSession|handleRequest) \(tests\/unit\/engine\/allocationSites\.test\.ts:\d+:\d+\)/,
    );
    // An array of 32 numbers and its object: a few hundred bytes per call, estimated by sampling.
    expect(top.bytesPerIteration).toBeGreaterThan(64);
    expect(top.bytesPerIteration).toBeLessThan(4096);
  });

  test('finds no site in code that retains nothing', async () => {
    const profile = await profileAllocationSites(
      () => JSON.parse(JSON.stringify({ a: [1, 2, 3], b: 'x'.repeat(100) })),
      100,
      getGc(),
    );
    const perIteration = profile.sites.reduce((s, x) => s + x.bytesPerIteration, 0);
    expect(perIteration).toBeLessThan(32);
  });

  test('a one-off allocation (a cache filled once, mid-run) is not a site', async () => {
    let cache: number[] | undefined;
    let calls = 0;
    const fillOnce = (): number => {
      calls += 1;
      if (calls === 30) cache = new Array<number>(4096).fill(1.5); // 32 KiB, retained for good: 320 B per profiled iteration
      return cache?.length ?? 0;
    };
    const profile = await profileAllocationSites(fillOnce, 100, getGc());
    expect(calls).toBe(105); // 5 warm-up calls, then 100 profiled
    expect(cache).toHaveLength(4096);
    expect(profile.sites).toEqual([]);
  });
});

describe('detectLeak with allocation sites', () => {
  test('a Buffer leak is placed in the function that keeps it', async () => {
    const d = await detectLeak(keepBuffer, { iterations: 60, samples: 10 });
    expect(d.leak).toBe(true);
    expect(d.allocationProfileError).toBeUndefined();
    expect(d.allocationProfile?.sites[0]).toMatchObject({
      functionName: 'keepBuffer',
      file: 'tests/unit/engine/allocationSites.test.ts',
      line: lineOf('function keepBuffer'),
    });
  });

  test('is skipped for clean code and when turned off', async () => {
    expect((await detectLeak(() => 0, { iterations: 20, samples: 5 })).allocationProfile).toBeUndefined();
    const off = await detectLeak(keepBuffer, { iterations: 60, samples: 10, allocationSites: false });
    expect(off.leak).toBe(true);
    expect(off.allocationProfile).toBeUndefined();
  });

  test('the option is checked', async () => {
    await expect(detectLeak(() => 0, { allocationSites: 'yes' as unknown as boolean })).rejects.toMatchObject({
      code: 'LEAKPROOF_E_OPTIONS',
    });
  });
});
