// What `leakproof/vitest` (the setup file) does in each Vitest worker: GC without flags and `toLeakMemory` on `expect`.
import { getGc } from '../engine/gc';
import { LeakproofError } from '../errors';
import { vitestToLeakMemory } from './toLeakMemory';

/** The parts of the `vitest` module the setup entry hands over (the CommonJS build cannot import Vitest itself). */
export interface VitestApi {
  expect: { extend(matchers: Record<string, unknown>): void };
}

/**
 * Registers `toLeakMemory` and obtains a full-GC function for this worker (process in `forks`, thread in `threads`)
 * by the V8-flags trick, so no `--expose-gc` is needed. Idempotent: setup files run once per test file.
 */
export function installLeakproof(api: VitestApi): void {
  if (!api || typeof api !== 'object' || typeof api.expect?.extend !== 'function') {
    throw new LeakproofError('LEAKPROOF_E_OPTIONS', 'leakproof/vitest: installLeakproof needs `{ expect }` from "vitest"; load it as a Vitest setup file (test.setupFiles: ["leakproof/vitest"]).');
  }
  const handle = getGc();
  // As under Jest's leakproof environment: code under test may call gc() too.
  const g = globalThis as Record<string, unknown>;
  if (handle.method !== 'unavailable' && typeof g.gc !== 'function') g.gc = handle.gc;
  api.expect.extend({ toLeakMemory: vitestToLeakMemory });
}
