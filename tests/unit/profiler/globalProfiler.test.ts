// startProfiling / stopProfiling / getProfilingReport: one shared profiler and its call-order errors.
import { getProfilingReport, startProfiling, stopProfiling } from '../../../src/profiler';

test('the shared profiler: errors before start, report while running and after stop', () => {
  expect(() => getProfilingReport()).toThrow(expect.objectContaining({ code: 'LEAKPROOF_E_PROFILER_STATE' }));
  expect(() => stopProfiling()).toThrow(/no profiling is running/);
  expect(() => startProfiling('fast' as never)).toThrow(expect.objectContaining({ code: 'LEAKPROOF_E_OPTIONS' }));
  const hold: Buffer[] = [];
  const profiler = startProfiling({ metrics: ['heap', 'arrayBuffers'] });
  expect(() => startProfiling()).toThrow(/already running/);
  hold.push(Buffer.alloc(1024 * 1024));
  profiler.snapshot('allocated');
  expect(getProfilingReport()).toMatch(/^global profiler: 2 reading\(s\).*running\n/);
  const { growth, report } = stopProfiling();
  // The 1 MiB Buffer, give or take the Jest worker's own garbage that a later collection releases (its IPC and console
  // buffers are freed through weak callbacks, a few GCs late: 256 B and 33 KiB seen in full-suite runs). A growth is
  // one difference of two readings, not a statistic, so it carries that noise; 64 KiB is 6% of the signal.
  expect(growth.arrayBuffers).toBeGreaterThan(1024 * 1024 - 64 * 1024);
  expect(growth.arrayBuffers).toBeLessThan(1024 * 1024 + 64 * 1024);
  expect(Object.keys(growth).sort()).toEqual(['arrayBuffers', 'heap']);
  expect(report).toMatch(/allocated/);
  expect(getProfilingReport()).toBe(report);
  // A new session can start once the last one stopped.
  startProfiling();
  stopProfiling();
  hold.length = 0;
});
