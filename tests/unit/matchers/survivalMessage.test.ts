// The failure message of a heap leak decided on survival counts: the Received line and the survivors' line name the
// bytes still held, not the heapUsed growth (which can read as falling beside such a leak).
import { formatLeakMessage } from '../../../matchers/formatLeakMessage';
import type { LeakDetection } from '../../../src/engine/detectLeak';
import { metric } from '../../helpers/syntheticRecords';

const plain = { RECEIVED_COLOR: (s: string) => s, EXPECTED_COLOR: (s: string) => s };

test('a survival-decided heap leak is reported by what its survivors held', () => {
  const heap = metric('heap', -2, {
    leak: true,
    decision: 'leak',
    survival: {
      interval: 1024,
      decision: 'leak',
      postCount: 73,
      postBytes: 110_592,
      agedCount: 29,
      agedBytes: 30_000,
      agedCalls: 405,
      retainedLow: 76_288,
      rateHigh: 90,
      holdsShare: true,
      setAside: 20_000,
    },
  });
  const detection = {
    leak: true,
    metrics: [heap],
    iterations: 960,
    warmup: 60,
    samples: 100,
    threshold: 65536,
    horizon: { firstWindow: 60, looks: 5, stopReason: 'decided', maxDurationMs: 10000, maxIterations: 3840 },
    durationMs: 3000,
    calibrationMs: 0,
    gcMethod: 'v8-flags',
    unmeasured: [],
    queuedMs: 0,
  } as unknown as LeakDetection;
  const text = formatLeakMessage({ detection, hint: 'hint', isNot: true, utils: plain });
  expect(text).toContain('Received: heap: ≥ 74.5 KiB still held by calls after the first window (survival counts)');
  expect(text).not.toMatch(/Received: heap grew/);
  expect(text).toMatch(
    /Survivors \(heap, V8 allocation samples every 1\.00 KiB\): 73 still alive .*; leak: at least 74\.5 KiB/,
  );
});
