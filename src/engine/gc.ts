// Obtains a full-GC function without requiring `--expose-gc`, and forces settled collections.
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { LeakproofError } from '../errors';
import { workerState } from './workerState';

export type GcMethod = 'expose-gc-flag' | 'v8-flags' | 'unavailable';

export interface GcHandle {
  gc: () => void;
  method: GcMethod;
}

const unavailable: GcHandle = {
  method: 'unavailable',
  gc: () => {
    throw new LeakproofError('LEAKPROOF_E_GC', 'leakproof: garbage collection is unavailable in this process');
  },
};

/**
 * Turns `--expose-gc` on just long enough for a fresh vm context to bind its `gc` global, then off again, so user code
 * never sees a changed flag set. Jest's own --detectLeaks uses the same trick.
 */
function gcFromV8Flags(): (() => void) | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    const fn: unknown = vm.runInNewContext('gc');
    return typeof fn === 'function' ? (fn as () => void) : undefined;
  } catch {
    return undefined;
  } finally {
    try {
      v8.setFlagsFromString('--no-expose-gc');
    } catch {
      // Flag reset is best effort: a process that refuses flags also refused the first call.
    }
  }
}

/**
 * The process's GC handle. Set LEAKPROOF_GC=unavailable to simulate a runtime without GC access (tests and
 * troubleshooting use it to check the error path).
 */
export function getGc(): GcHandle {
  if (process.env.LEAKPROOF_GC === 'unavailable') return unavailable;
  const state = workerState();
  if (state.gc && state.gcMethod && state.gcMethod !== 'unavailable') return { gc: state.gc, method: state.gcMethod };
  const globalGc = (globalThis as Record<string, unknown>).gc;
  if (typeof globalGc === 'function') {
    state.gc = globalGc as () => void;
    state.gcMethod =
      process.execArgv.includes('--expose-gc') || process.execArgv.includes('--expose_gc')
        ? 'expose-gc-flag'
        : 'v8-flags';
    return { gc: state.gc, method: state.gcMethod };
  }
  const fromFlags = gcFromV8Flags();
  if (!fromFlags) return unavailable;
  state.gc = fromFlags;
  state.gcMethod = 'v8-flags';
  return { gc: fromFlags, method: 'v8-flags' };
}

/** Runs `rounds` full collections (two by default: the second collects what the first's finalizers released). */
export function forceFullGc(rounds = 2, handle: GcHandle = getGc()): void {
  for (let i = 0; i < rounds; i++) handle.gc();
}
