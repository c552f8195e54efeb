import { getGc } from '../../../src/engine/gc';
import { METRIC_COUNT, COL_EXTERNAL } from '../../../src/engine/metrics';
import { column, runSampler } from '../../../src/engine/sampler';

describe('runSampler', () => {
  test('runs warm-up plus iterations, samples evenly, and reports progress', async () => {
    let calls = 0;
    const progress: Array<[number, number]> = [];
    const series = await runSampler(() => void calls++, { warmup: 3, iterations: 10, samples: 4 }, getGc(), {
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(calls).toBe(13);
    expect(series.rows).toBe(5);
    expect(series.values).toHaveLength(5 * METRIC_COUNT);
    expect(Array.from(series.x)).toEqual([0, 3, 5, 8, 10]);
    expect(progress[0]).toEqual([3, 13]);
    expect(progress[progress.length - 1]).toEqual([13, 13]);
  });

  test('awaits async functions each iteration', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    await runSampler(
      async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setImmediate(r));
        inFlight--;
      },
      { warmup: 1, iterations: 6, samples: 3 },
      getGc(),
    );
    expect(maxInFlight).toBe(1);
  });

  test('external memory of retained buffers appears in the series', async () => {
    const kept: Buffer[] = [];
    const series = await runSampler(
      () => void kept.push(Buffer.alloc(4096)),
      { warmup: 0, iterations: 10, samples: 5 },
      getGc(),
    );
    const ext = column(series, COL_EXTERNAL);
    expect(ext[5] - ext[0]).toBe(10 * 4096);
  });

  test('an error in fn stops the run with LEAKPROOF_E_FN_THREW naming the iteration', async () => {
    let i = 0;
    const run = runSampler(
      () => {
        if (++i === 7) throw new TypeError('bad input');
      },
      { warmup: 2, iterations: 10, samples: 5 },
      getGc(),
    );
    await expect(run).rejects.toMatchObject({
      code: 'LEAKPROOF_E_FN_THREW',
      message: 'fn threw in measured iteration 5: bad input',
    });
  });

  test('an aborted signal stops the run', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(
      runSampler(() => 0, { warmup: 0, iterations: 5, samples: 5 }, getGc(), { signal: ac.signal }),
    ).rejects.toMatchObject({
      code: 'LEAKPROOF_E_ABORTED',
    });
  });

  test('does not hang when the test installed fake timers', async () => {
    jest.useFakeTimers();
    try {
      const series = await runSampler(() => 0, { warmup: 0, iterations: 5, samples: 5 }, getGc());
      expect(series.rows).toBe(6);
    } finally {
      jest.useRealTimers();
    }
  });
});
