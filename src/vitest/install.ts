// What `leakproof/vitest` (the setup file) does in each Vitest worker: GC without flags and `toLeakMemory` on `expect`.
import { getGc } from '../engine/gc';
import { LeakproofError } from '../errors';
import { installTestScopes, type VitestScopeApi } from './testScopes';
import { vitestToLeakMemory } from './toLeakMemory';

/** The parts of the `vitest` module the setup entry hands over (the CommonJS build cannot import Vitest itself). */
export interface VitestApi extends Partial<VitestScopeApi> {
  expect: { extend(matchers: Record<string, unknown>): void };
}

/**
 * Registers `toLeakMemory` and the test scopes when `beforeEach` is given (a measurement ends with its test and keeps
 * to its timeout, as under Jest's leakproof environment), and obtains a full-GC function for this worker (process in
 * `forks`, thread in `threads`) by the V8-flags trick, so no `--expose-gc` is needed. Setup files run once per test
 * file: the hooks belong to that file, and registering the matcher again is harmless.
 */
export function installLeakproof(api: VitestApi): void {
  if (!api || typeof api !== 'object' || typeof api.expect?.extend !== 'function') {
    throw new LeakproofError(
      'LEAKPROOF_E_OPTIONS',
      'leakproof/vitest: installLeakproof needs `{ expect }` from "vitest"; load it as a Vitest setup file (test.setupFiles: ["leakproof/vitest"]).',
    );
  }
  const handle = getGc();
  // As under Jest's leakproof environment: code under test may call gc() too.
  const g = globalThis as Record<string, unknown>;
  if (handle.method !== 'unavailable' && typeof g.gc !== 'function') g.gc = handle.gc;
  api.expect.extend({ toLeakMemory: vitestToLeakMemory });
  if (typeof api.beforeEach === 'function')
    installTestScopes({ beforeEach: api.beforeEach, getCurrentTest: api.getCurrentTest });
}
