// One measurement at a time per process: a FIFO lock kept in the worker state, so every test realm of a worker shares it.
import { LeakproofError } from '../errors';
import { workerState } from './workerState';

interface Waiter {
  label: string;
  enqueuedAt: number;
  grant: () => void;
}

interface LockState {
  holder?: string;
  queue: Waiter[];
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
        const next = state.queue.shift();
        if (next) next.grant();
      },
    });
    const onAbort = (): void => {
      const i = state.queue.indexOf(waiter);
      if (i >= 0) state.queue.splice(i, 1);
      reject(new LeakproofError('LEAKPROOF_E_ABORTED', `leakproof: the run was aborted while waiting for ${state.holder ?? 'another measurement'}`));
    };
    const waiter: Waiter = {
      label,
      enqueuedAt,
      grant() {
        signal?.removeEventListener('abort', onAbort);
        state.holder = label;
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
