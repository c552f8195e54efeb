// setupFilesAfterEnv entry: registers toLeakMemory on the global `expect` of each test file.
import { LeakproofError } from '../src/errors';
import { toLeakMemory } from './toLeakMemory';
import './types';

const globalExpect = (globalThis as { expect?: { extend?: (matchers: Record<string, unknown>) => void } }).expect;
if (!globalExpect || typeof globalExpect.extend !== 'function') {
  throw new LeakproofError(
    'LEAKPROOF_E_SETUP',
    'leakproof: matchers/setup must run inside Jest (setupFilesAfterEnv); no global `expect` was found.',
  );
}
globalExpect.extend({ toLeakMemory });
