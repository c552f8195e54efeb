// The `toLeakMemory` matcher for Vitest: the runner-independent core fed from Vitest's matcher state.
import { runLeakAssertion, type LeakAssertionResult, type LeakMatcherUtils } from '../../matchers/leakAssertion';
import type { LeakMatcherOptions } from '../../matchers/options';
import { LeakproofError } from '../errors';
import { addRecordToMeta } from './meta';
import { jestStyleName, type VitestTaskNode } from './testName';
import { withCallingTask } from './testScopes';

/** The part of Vitest's MatcherState (4.1) the matcher reads; structural, so the compiled code never imports Vitest. */
export interface VitestMatcherState {
  isNot: boolean;
  promise?: string;
  testPath?: string;
  currentTestName?: string;
  utils: LeakMatcherUtils;
  /** The running test (Vitest ≥ 4.1 puts it on the state); undefined in hooks and outside tests. */
  task?: VitestTaskNode & { type?: string; meta?: Record<string, unknown>; file?: { filepath?: string } };
  /** Present when called as `expect(x).toLeakMemory()`; an asymmetric `expect.toLeakMemory()` has none. */
  assertion?: unknown;
}

/**
 * `await expect(fn)[.not].toLeakMemory(threshold | options)` under Vitest: the same verdict, message and record as under
 * Jest. The record also goes to the test's `meta` (the reporter's main channel). Synchronous up front so that the
 * asymmetric form, which Vitest would call without awaiting, fails at once instead of leaving a stray promise.
 */
export function vitestToLeakMemory(
  this: VitestMatcherState,
  received: unknown,
  thresholdOrOptions?: number | LeakMatcherOptions,
): Promise<LeakAssertionResult> {
  if (!('assertion' in this)) {
    throw new LeakproofError(
      'LEAKPROOF_E_OPTIONS',
      'leakproof: toLeakMemory cannot be used as an asymmetric matcher (expect.toLeakMemory()); it runs a function many times and must be awaited: `await expect(fn).not.toLeakMemory()`.',
    );
  }
  const task = this.task?.type === 'test' || this.task?.type === undefined ? this.task : undefined;
  const testPath = this.testPath || task?.file?.filepath || '';
  // The engine looks up the test's scope (deadline, end signal) synchronously as the measurement starts.
  return withCallingTask(task, () =>
    runLeakAssertion(
      {
        isNot: this.isNot === true,
        promise: this.promise || undefined,
        testPath,
        testName: task ? jestStyleName(task) : (this.currentTestName ?? '').split(' > ').join(' '),
        utils: this.utils,
        onRecord: (record) => addRecordToMeta(task?.meta, JSON.parse(JSON.stringify(record))),
      },
      received,
      thresholdOrOptions,
    ),
  );
}
