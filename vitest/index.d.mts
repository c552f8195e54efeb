// Types of `leakproof/vitest`: `toLeakMemory` on Vitest's `expect`, and the records a test's meta carries.
// Add "leakproof/vitest" to compilerOptions.types (or `import 'leakproof/vitest'` in a .d.ts) to see them. An ES module
// declaration on purpose: from CommonJS, 'vitest' resolves to its index.d.cts, whose `export *` cannot be augmented.
import type { LeakMatcherOptions } from '../dist/matchers/options.js';
import type { LeakRecord } from '../dist/src/model/index.js';

export type { LeakMatcherOptions, LeakRecord };

declare module 'vitest' {
  // Type parameters repeat Vitest's declarations exactly so the interfaces merge.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unused-vars
  interface Assertion<T = any> {
    /**
     * Runs the received function (sync or async) repeatedly under forced full GC and passes when some metric grows by
     * more than the threshold. Use `await expect(fn).not.toLeakMemory(...)` to assert that it does not leak.
     */
    toLeakMemory(thresholdOrOptions?: number | LeakMatcherOptions): Promise<void>;
  }
  interface AsymmetricMatchersContaining {
    /** Not usable asymmetrically (it must be awaited): `expect.toLeakMemory()` throws LEAKPROOF_E_OPTIONS when used. */
    toLeakMemory(thresholdOrOptions?: number | LeakMatcherOptions): never;
  }
  interface TaskMeta {
    /** The toLeakMemory records of this test, in order (what the leakproof Vitest reporter reads). */
    leakproof?: LeakRecord[];
  }
}
