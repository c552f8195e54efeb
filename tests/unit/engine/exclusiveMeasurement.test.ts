// One measurement at a time, ended with its test: queueing, nesting, aborts (test end, time limit, signal) and the
// cap on the time budget, through the public detectLeak. Effects are far from any boundary (a retained 16 KiB per call
// against a clean JSON.parse), so a loaded machine cannot flip a verdict.
import { detectLeak } from '../../../src/engine/detectLeak';
import { getCalibration } from '../../../src/engine/calibration';
import { getGc } from '../../../src/engine/gc';
import { acquireMeasurement, busyWith, withMeasurement } from '../../../src/engine/measurementLock';
import { MeasurementAbortedError } from '../../../src/engine/measurementAborted';
import { beginTestScope, endAllTestScopes, endTestScope, setCurrentTestResolver } from '../../../src/engine/testScope';
import { measureMemoryUsage } from '../../../src/profiler/measureMemoryUsage';
import { MemoryProfiler } from '../../../src/profiler/MemoryProfiler';

const QUICK = { iterations: 40, warmup: 5, samples: 8 };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A scope of this file's own in place of the environment's (which opens one when each test's function starts). */
function ownScope(timeoutMs: number): { key: object; name: string } {
  endAllTestScopes({ kind: 'test-ended', message: 'replaced by the unit test' });
  setCurrentTestResolver(() => undefined);
  const key = {};
  beginTestScope(key, 'unit scope', timeoutMs);
  return { key, name: 'unit scope' };
}

afterEach(() => {
  endAllTestScopes({ kind: 'test-ended', message: 'unit test over' });
});

test('two measurements started together run one after the other: the clean one keeps its own figures', async () => {
  const kept: unknown[] = [];
  const leaky = (): void => void kept.push(new Array(2048).fill(0)); // ~16 KiB retained per call
  const clean = (): unknown => JSON.parse('[1]');
  const [l, c] = await Promise.all([detectLeak(leaky, QUICK), detectLeak(clean, QUICK)]);
  expect(l.leak).toBe(true);
  expect(c.leak).toBe(false);
  const heap = c.metrics.find((m) => m.metric === 'heap')!;
  // Interleaved, the clean run would have read the leaky one's ~16 KiB per iteration.
  expect(heap.slope).toBeLessThan(2048);
  expect(l.queuedMs).toBeLessThan(50);
  // The clean one waited about as long as the leaky one measured.
  expect(c.queuedMs).toBeGreaterThan(l.durationMs * 0.5);
});

test('a measurement started from inside another (its fn) does not wait for it', async () => {
  let inner = 0;
  const d = await detectLeak(
    async () => {
      if (inner < 2) {
        inner++;
        await measureMemoryUsage(() => JSON.parse('[1]'));
      }
    },
    { iterations: 10, warmup: 1, samples: 3, allocationSites: false },
  );
  expect(inner).toBe(2);
  expect(d.error).toBeUndefined();
});

test('bad options are reported at once, not after waiting', async () => {
  const held = await acquireMeasurement('someone else');
  try {
    await expect(detectLeak(() => 0, { iterations: -1 })).rejects.toMatchObject({ code: 'LEAKPROOF_E_OPTIONS' });
  } finally {
    held.release();
  }
});

test('the end of its test aborts a running measurement: fn is called no more, the record-to-be says why', async () => {
  const { key } = ownScope(60_000);
  let calls = 0;
  const run = detectLeak(
    async () => {
      calls++;
      await sleep(2);
    },
    { iterations: 5000, warmup: 0, samples: 10 },
  );
  await sleep(300);
  endTestScope(key, { kind: 'test-timeout', message: 'the test timed out after 300 ms' });
  const err = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  const atAbort = calls;
  expect(err).toBeInstanceOf(MeasurementAbortedError);
  expect(err).toMatchObject({ code: 'LEAKPROOF_E_ABORTED', abortReason: 'test-timeout' });
  expect((err as Error).message).toMatch(
    /^leakproof: the measurement was aborted (after at least [\d,]+ of 5,000 iterations \(warm-up included\)|before its first batch): the test timed out after 300 ms\. No verdict was made/,
  );
  await sleep(100);
  expect(calls).toBe(atAbort);
  expect(calls).toBeLessThan(5000);
});

test('an abort while queued names the measurement it waited for', async () => {
  const { key } = ownScope(60_000);
  const held = await acquireMeasurement('the other test');
  try {
    const run = detectLeak(() => 0, QUICK);
    await sleep(50);
    endTestScope(key, { kind: 'test-failed', message: 'the test failed (boom)' });
    await expect(run).rejects.toMatchObject({ abortReason: 'test-failed' });
    await expect(run).rejects.toThrow(
      /before it started: the test failed \(boom\) while it waited \d+ ms for the measurement of "the other test"/,
    );
  } finally {
    held.release();
  }
});

test('inside a test with a timeout the run stops before it, and says that limit ended it', async () => {
  await getCalibration(getGc()); // the once-per-worker control run is not interrupted; pay it outside the scope
  ownScope(1500);
  let calls = 0;
  const err: unknown = await detectLeak(
    () => {
      calls++;
      return sleep(5);
    },
    { iterations: 2000, warmup: 0 },
  ).catch((e: unknown) => e);
  expect(err).toMatchObject({ code: 'LEAKPROOF_E_ABORTED', abortReason: 'time-limit' });
  expect((err as Error).message).toMatch(
    /^leakproof: the measurement stopped after at least [\d,]+ of 2,000 iterations \(warm-up included\), [\d,]+ ms into its test: /,
  );
  // Normally before the timeout; on a machine loaded enough to delay the stop past it, the message says so instead.
  expect((err as Error).message).toMatch(
    /the test's 1,500 ms timeout (would have ended it next \(leakproof stops 250 ms before it|had passed)/,
  );
  // At least 5 ms a call, 2,000 calls cannot fit in 1.25 s.
  expect(calls).toBeLessThan(2000);
});

test('the adaptive time budget is lowered to what the test has left, and the horizon says so', async () => {
  ownScope(4000);
  const d = await detectLeak(() => JSON.parse('[1]'), { ...QUICK, horizon: 'adaptive' });
  expect(d.horizon.testTimeoutMs).toBe(4000);
  expect(d.horizon.maxDurationMs).toBeLessThan(3600);
  const free = await (async () => {
    endAllTestScopes({ kind: 'test-ended', message: 'no scope' });
    return detectLeak(() => JSON.parse('[1]'), { ...QUICK, horizon: 'fixed' });
  })();
  expect(free.horizon.testTimeoutMs).toBeUndefined();
  expect(free.horizon.maxDurationMs).toBe(10_000);
});

test('the caller’s own signal still aborts, with LEAKPROOF_E_ABORTED', async () => {
  const ac = new AbortController();
  const run = detectLeak(() => sleep(1), { iterations: 3000, warmup: 0, signal: ac.signal });
  await sleep(100);
  ac.abort();
  await expect(run).rejects.toMatchObject({ code: 'LEAKPROOF_E_ABORTED', abortReason: 'signal' });
  await expect(run).rejects.toThrow(/^leakproof: the run was aborted after/);
});

test('MemoryProfiler readings refuse to mix with another measurement (LEAKPROOF_E_BUSY), but work inside it', async () => {
  const held = await acquireMeasurement('a concurrent assertion');
  const p = new MemoryProfiler({ name: 'mine', metrics: ['heap'] });
  try {
    expect(busyWith()).toBe('a concurrent assertion');
    expect(() => p.start()).toThrow(expect.objectContaining({ code: 'LEAKPROOF_E_BUSY' }));
    expect(() => p.start()).toThrow(
      /mine: start\(\) was called while the measurement of "a concurrent assertion" was running/,
    );
    expect(p.running).toBe(false);
  } finally {
    held.release();
  }
  p.start();
  const other = await acquireMeasurement('later one');
  try {
    expect(() => p.snapshot('mid')).toThrow(expect.objectContaining({ code: 'LEAKPROOF_E_BUSY' }));
    expect(p.snapshots).toHaveLength(1);
  } finally {
    other.release();
  }
  p.stop();
  await withMeasurement('profiled inside', undefined, async () => {
    expect(busyWith()).toBeUndefined();
    const inner = new MemoryProfiler({ metrics: ['heap'] }).start();
    await sleep(1);
    inner.snapshot('in');
    expect(inner.stop().growth).toBeDefined();
  });
});

test('a measurement whose test starts later (Jest 29 concurrent) ends with that test once it has begun', async () => {
  endAllTestScopes({ kind: 'test-ended', message: 'replaced by the unit test' });
  setCurrentTestResolver(() => ({ name: 'starts later' }));
  try {
    const run = detectLeak(() => sleep(2), { iterations: 5000, warmup: 0, samples: 10 });
    await sleep(200);
    const key = {};
    beginTestScope(key, 'starts later', 60_000);
    await sleep(100);
    endTestScope(key, { kind: 'test-timeout', message: 'the test timed out after 60000 ms' });
    await expect(run).rejects.toMatchObject({ code: 'LEAKPROOF_E_ABORTED', abortReason: 'test-timeout' });
  } finally {
    setCurrentTestResolver(() => undefined);
  }
});
