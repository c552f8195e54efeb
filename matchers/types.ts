// Public types of the matcher, and the augmentations that make `toLeakMemory` type-check on both kinds of `expect`.
import type { LeakMatcherOptions } from './options';

export type { LeakMatcherOptions } from './options';

// `expect` from '@jest/globals' takes its Matchers from the 'expect' package…
declare module 'expect' {
  // Type parameters must repeat the original declaration's exactly for the interfaces to merge.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface Matchers<R extends void | Promise<void>, T = unknown> {
    /**
     * Runs the received function repeatedly and passes when it leaks more than the threshold.
     * Use `await expect(fn).not.toLeakMemory(...)` to assert that it does not leak.
     */
    toLeakMemory(thresholdOrOptions?: number | LeakMatcherOptions): Promise<R>;
  }
}

// …while the global `expect` (@types/jest) uses its own jest.Matchers.
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
    interface Matchers<R, T = {}> {
      /**
       * Runs the received function repeatedly and passes when it leaks more than the threshold.
       * Use `await expect(fn).not.toLeakMemory(...)` to assert that it does not leak.
       */
      toLeakMemory(thresholdOrOptions?: number | LeakMatcherOptions): Promise<R>;
    }
  }
}
