// One measurement at a time per process: a FIFO lock kept in the worker state, so every test realm of a worker shares it.
import { performance } from 'node:perf_hooks';
import { AsyncLocalStorage } from 'node:async_hooks';
import { LeakproofError } from '../errors';
import { workerState } from './workerState';

interface Waiter {
  label: string;
  enqueuedAt: number;
  grant: () => void;
}

interface LockState {
  holder?: string;
  /** Identity of the current hold, found in the async context of everything the holder runs (its fn included). */
  holderToken?: object;
  queue: Waiter[];
  /**
   * Carries the hold's token through the holder's async calls, so a measurement started from inside another one (a
   * profiler reading in fn, say) is recognised as nested instead of waiting for itself. Kept in the worker state with
   * the queue: every test realm of the worker must see the same instance.
   */
  context?: AsyncLocalStorage<object>;
}

export interface MeasurementTicket {
  /** Milliseconds spent waiting for earlier measurements. */
  waitedMs: number;
  /** Hands the lock to the next waiter; calling it twice is a no-op. */
  release(): void;
}

function lockState(): LockState {
  const s = workerState() as { measurementLock?: LockState };
  s.measurementLock ??= { queue: [] };
  return s.measurementLock;
}

/** Label of the measurement holding the lock, if any. */
export function currentMeasurement(): string | undefined {
  return lockState().holder;
}

/**
 * Waits (FIFO) until no other measurement holds the lock, then holds it. Rejects with LEAKPROOF_E_ABORTED, leaving the
 * queue, when `signal` aborts while waiting.
 */
export function acquireMeasurement(label: string, signal?: AbortSignal): Promise<MeasurementTicket> {
  const state = lockState();
  const enqueuedAt = performance.now();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new LeakproofError('LEAKPROOF_E_ABORTED', 'leakproof: the run was aborted before it started'));
      return;
    }
    let released = false;
    const ticket = (): MeasurementTicket => ({
      waitedMs: performance.now() - enqueuedAt,
      release() {
        if (released) return;
        released = true;
        state.holder = undefined;
        state.holderToken = undefined;
        const next = state.queue.shift();
        if (next) next.grant();
      },
    });
    const onAbort = (): void => {
      const i = state.queue.indexOf(waiter);
      if (i >= 0) state.queue.splice(i, 1);
      reject(
        new LeakproofError(
          'LEAKPROOF_E_ABORTED',
          `leakproof: the run was aborted while waiting for ${state.holder ?? 'another measurement'}`,
        ),
      );
    };
    const waiter: Waiter = {
      label,
      enqueuedAt,
      grant() {
        signal?.removeEventListener('abort', onAbort);
        state.holder = label;
        state.holderToken = {};
        resolve(ticket());
      },
    };
    if (state.holder === undefined && state.queue.length === 0) {
      waiter.grant();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    state.queue.push(waiter);
  });
}

/** True when the caller runs inside the measurement holding the lock (in its fn, or in code the holder awaits). */
export function insideCurrentMeasurement(): boolean {
  const state = lockState();
  const token = state.context?.getStore();
  return token !== undefined && token === state.holderToken;
}

/**
 * The measurement another caller would disturb: the holder's label when the lock is held from outside the caller's
 * async context, undefined when the lock is free or the caller is inside the holder.
 */
export function busyWith(): string | undefined {
  const state = lockState();
  if (state.holder === undefined || insideCurrentMeasurement()) return undefined;
  return state.holder;
}

/**
 * Runs `body` holding the lock: waits its turn (FIFO; rejects with LEAKPROOF_E_ABORTED if `signal` aborts first),
 * runs it in the hold's async context and releases when it settles. Called from inside the holder (nested), it runs
 * at once without waiting: the outer measurement already owns the process, and waiting for it would deadlock.
 */
export async function withMeasurement<T>(
  label: string,
  signal: AbortSignal | undefined,
  body: (ticket: MeasurementTicket & { nested: boolean }) => Promise<T>,
): Promise<T> {
  const state = lockState();
  const context = (state.context ??= new AsyncLocalStorage<object>());
  if (insideCurrentMeasurement()) return body({ waitedMs: 0, nested: true, release() {} });
  const ticket = await acquireMeasurement(label, signal);
  const token = state.holderToken ?? {};
  try {
    return await context.run(token, () => body({ ...ticket, nested: false }));
  } finally {
    ticket.release();
  }
}
