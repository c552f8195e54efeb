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
  expect(growth.arrayBuffers).toBeGreaterThanOrEqual(1024 * 1024);
  expect(Object.keys(growth).sort()).toEqual(['arrayBuffers', 'heap']);
  expect(report).toMatch(/allocated/);
  expect(getProfilingReport()).toBe(report);
  // A new session can start once the last one stopped.
  startProfiling();
  stopProfiling();
  hold.length = 0;
});
