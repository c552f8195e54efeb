// The `toLeakMemory` matcher for Jest: the runner-independent core (leakAssertion.ts) fed from Jest's matcher context.
import type { MatcherContext, SyncExpectationResult } from 'expect';
import { runLeakAssertion } from './leakAssertion';
import type { LeakMatcherOptions } from './types';

/**
 * `await expect(fn).not.toLeakMemory(threshold | options)`. Passes (before `.not`) when fn leaks. Always async.
 * Errors (fn threw, bad options, no GC) fail the assertion whether or not `.not` is used: they carry no verdict.
 */
export async function toLeakMemory(
  this: MatcherContext,
  received: unknown,
  thresholdOrOptions?: number | LeakMatcherOptions,
): Promise<SyncExpectationResult> {
  return runLeakAssertion(
    {
      isNot: this.isNot === true,
      promise: this.promise,
      testPath: this.testPath ?? '',
      testName: this.currentConcurrentTestName?.() ?? this.currentTestName ?? '',
      utils: this.utils,
    },
    received,
    thresholdOrOptions,
  );
}
