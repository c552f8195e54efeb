// The measurement lock: FIFO order, waiting time, abort while queued.
import { acquireMeasurement, currentMeasurement } from '../../../src/engine/measurementLock';

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
