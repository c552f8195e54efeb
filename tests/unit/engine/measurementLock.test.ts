// The measurement lock: FIFO order, waiting time, abort while queued.
import {
  acquireMeasurement,
  busyWith,
  currentMeasurement,
  insideCurrentMeasurement,
  withMeasurement,
} from '../../../src/engine/measurementLock';

test('a second measurement waits for the first, in FIFO order, and reports how long it waited', async () => {
  const order: string[] = [];
  const a = await acquireMeasurement('a');
  expect(a.waitedMs).toBeLessThan(50);
  const b = acquireMeasurement('b').then((t) => (order.push('b'), t));
  const c = acquireMeasurement('c').then((t) => (order.push('c'), t));
  await new Promise((r) => setTimeout(r, 200));
  expect(order).toEqual([]);
  expect(currentMeasurement()).toBe('a');
  a.release();
  const tb = await b;
  expect(tb.waitedMs).toBeGreaterThanOrEqual(150);
  expect(order).toEqual(['b']);
  tb.release();
  (await c).release();
  expect(order).toEqual(['b', 'c']);
  expect(currentMeasurement()).toBeUndefined();
});

test('an abort while queued leaves the queue with LEAKPROOF_E_ABORTED; the next waiter still gets its turn', async () => {
  const a = await acquireMeasurement('a');
  const ctl = new AbortController();
  const b = acquireMeasurement('b', ctl.signal);
  const c = acquireMeasurement('c');
  ctl.abort();
  await expect(b).rejects.toMatchObject({ code: 'LEAKPROOF_E_ABORTED' });
  a.release();
  a.release();
  const tc = await c;
  expect(currentMeasurement()).toBe('c');
  tc.release();
});

test('withMeasurement: nested use from inside the holder runs at once; the lock is released when the body throws', async () => {
  const order: string[] = [];
  await withMeasurement('outer', undefined, async () => {
    expect(insideCurrentMeasurement()).toBe(true);
    expect(busyWith()).toBeUndefined();
    await new Promise((r) => setTimeout(r, 5));
    await withMeasurement('inner', undefined, async (t) => {
      expect(t.nested).toBe(true);
      order.push('inner');
    });
    order.push('outer');
  });
  expect(order).toEqual(['inner', 'outer']);
  expect(currentMeasurement()).toBeUndefined();

  const held = await acquireMeasurement('held');
  expect(insideCurrentMeasurement()).toBe(false);
  expect(busyWith()).toBe('held');
  const failing = withMeasurement('failing', undefined, async () => {
    throw new Error('body failed');
  });
  held.release();
  await expect(failing).rejects.toThrow('body failed');
  expect(currentMeasurement()).toBeUndefined();
});
