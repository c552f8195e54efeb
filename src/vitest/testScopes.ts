// Vitest's side of the engine's test scopes: a measurement ends with its test (timeout, failure, end) and keeps to its deadline.
import {
  beginTestScope,
  endTestScope,
  setCurrentTestResolver,
  settleEndedScopes,
  type ScopeEnd,
} from '../engine/testScope';
import { jestStyleName, type VitestTaskNode } from './testName';

/** How long the end of a test waits for its aborted measurement to stop (normally the length of one call of fn). */
const ENDED_MEASUREMENT_WAIT_MS = 10_000;

/** The slice of a Vitest test task the scopes read. */
export interface VitestTestTask extends VitestTaskNode {
  timeout?: number;
  result?: { state?: string; errors?: ReadonlyArray<{ message?: string }> };
}

/** The slice of Vitest's TestContext (4.1) a beforeEach hook receives. */
export interface VitestTestContext {
  task: VitestTestTask;
  signal?: AbortSignal;
  onTestFinished(fn: () => unknown): void;
}

/** The hooks and lookups of the `vitest` module the setup entry hands over. */
export interface VitestScopeApi {
  beforeEach(fn: (context: VitestTestContext) => unknown): void;
  /** `getCurrentTest` of 'vitest/suite': the test running now (sequential tests). */
  getCurrentTest?: () => VitestTestTask | undefined;
}

/**
 * The task of the toLeakMemory call now starting. The engine asks for the current test synchronously when a
 * measurement starts, so the matcher sets this around that call: exact even for concurrent tests.
 */
let callingTask: VitestTestTask | undefined;

/** Runs `start` (which must begin the measurement synchronously) with `task` as the current test. */
export function withCallingTask<T>(task: VitestTestTask | undefined, start: () => T): T {
  const previous = callingTask;
  callingTask = task;
  try {
    return start();
  } finally {
    callingTask = previous;
  }
}

function endOf(task: VitestTestTask): ScopeEnd {
  const state = task.result?.state;
  const first = task.result?.errors?.[0]?.message ?? '';
  if (state === 'fail' && /timed out in \d+/.test(first))
    return { kind: 'test-timeout', message: `the test timed out after ${task.timeout} ms` };
  if (state === 'fail') return { kind: 'test-failed', message: `the test failed (${first.split('\n')[0] || 'error'})` };
  return { kind: 'test-ended', message: 'its test ended while it was still running (was the assertion awaited?)' };
}

/**
 * Opens each test's scope in a beforeEach and ends it when the test's signal aborts (timeout, cancel) or the test
 * finishes, then waits for a measurement it stopped to wind down, so the next test starts on a settled heap.
 */
export function installTestScopes(api: VitestScopeApi): void {
  setCurrentTestResolver(() => {
    const task = callingTask ?? api.getCurrentTest?.();
    return task ? { identity: task, name: jestStyleName(task) } : undefined;
  });
  api.beforeEach((context) => {
    const task = context.task;
    if (!task || typeof context.onTestFinished !== 'function') return;
    beginTestScope(
      task,
      jestStyleName(task),
      typeof task.timeout === 'number' && task.timeout > 0 ? task.timeout : Infinity,
    );
    const signal = context.signal;
    const onAbort = (): void =>
      endTestScope(task, {
        kind: 'test-timeout',
        message: `the test was aborted (${String((signal?.reason as Error | undefined)?.message ?? signal?.reason ?? 'timeout')})`,
      });
    signal?.addEventListener('abort', onAbort, { once: true });
    context.onTestFinished(async () => {
      signal?.removeEventListener('abort', onAbort);
      endTestScope(task, endOf(task));
      if (!(await settleEndedScopes(ENDED_MEASUREMENT_WAIT_MS))) {
        process.stderr.write(
          `leakproof: an aborted measurement of "${jestStyleName(task)}" had not stopped ${ENDED_MEASUREMENT_WAIT_MS / 1000} s after its test ended ` +
            '(its fn has not returned); later measurements in this worker wait for it.\n',
        );
      }
    });
  });
}
