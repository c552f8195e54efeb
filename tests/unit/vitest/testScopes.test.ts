// The Vitest test scopes with a hand-made Vitest API: the scope a measurement finds, and how each way of ending a test
// reaches the measurement (as the engine's AbortSignal reason).
import { currentTestScope, setCurrentTestResolver, type ScopeEnd, type TestScope } from '../../../src/engine/testScope';
import {
  installTestScopes,
  withCallingTask,
  type VitestTestContext,
  type VitestTestTask,
} from '../../../src/vitest/testScopes';

let hook: ((context: VitestTestContext) => unknown) | undefined;
let current: VitestTestTask | undefined;
installTestScopes({ beforeEach: (fn) => (hook = fn), getCurrentTest: () => current });
// The leakproof Jest environment running this file has its own resolver; leave none behind.
afterAll(() => setCurrentTestResolver(undefined));

const file = { name: 'f.test.ts', filepath: '/f.test.ts' };

/** Runs the beforeEach for `task`; returns its test's AbortController and the onTestFinished callbacks. */
function start(task: VitestTestTask): { controller: AbortController; finish: () => Promise<void> } {
  const controller = new AbortController();
  const finished: Array<() => unknown> = [];
  hook?.({ task, signal: controller.signal, onTestFinished: (fn) => void finished.push(fn) });
  return { controller, finish: async () => void (await Promise.all(finished.map((fn) => fn()))) };
}

function scopeOf(task: VitestTestTask): TestScope | undefined {
  return withCallingTask(task, () => currentTestScope());
}

test('the calling task finds its own scope, with its name and timeout, also among concurrent tests', async () => {
  const a: VitestTestTask = { name: 'a', suite: { name: 'group', suite: file }, timeout: 5000 };
  const b: VitestTestTask = { name: 'b', suite: file, timeout: 7000 };
  const ta = start(a);
  const tb = start(b);
  expect(scopeOf(a)).toMatchObject({ name: 'group a', timeoutMs: 5000 });
  expect(scopeOf(b)).toMatchObject({ name: 'b', timeoutMs: 7000 });
  // Outside a matcher call, the runner's current test decides.
  current = b;
  expect(currentTestScope()?.name).toBe('b');
  current = undefined;
  await ta.finish();
  await tb.finish();
  expect(scopeOf(a)).toBeUndefined();
});

test("the test's signal (timeout, cancel) ends the scope at once; the end of a failed test says why", async () => {
  const slow: VitestTestTask = { name: 'slow', suite: file, timeout: 100 };
  const t = start(slow);
  const scope = scopeOf(slow)!;
  t.controller.abort(new Error('Test timed out in 100ms.'));
  expect(scope.signal.aborted).toBe(true);
  expect(scope.signal.reason as ScopeEnd).toEqual({
    kind: 'test-timeout',
    message: 'the test was aborted (Test timed out in 100ms.)',
  });
  await t.finish();

  const failing: VitestTestTask = { name: 'failing', suite: file, timeout: 1000 };
  const f = start(failing);
  const fscope = scopeOf(failing)!;
  failing.result = { state: 'fail', errors: [{ message: 'expected 1 to be 2\nmore' }] };
  await f.finish();
  expect(fscope.signal.reason as ScopeEnd).toEqual({
    kind: 'test-failed',
    message: 'the test failed (expected 1 to be 2)',
  });

  const late: VitestTestTask = { name: 'late', suite: file, timeout: 250 };
  const l = start(late);
  const lscope = scopeOf(late)!;
  late.result = {
    state: 'fail',
    errors: [{ message: 'Test timed out in 250ms.\nIf this is a long-running test, ...' }],
  };
  await l.finish();
  expect(lscope.signal.reason as ScopeEnd).toEqual({
    kind: 'test-timeout',
    message: 'the test timed out after 250 ms',
  });

  const done: VitestTestTask = { name: 'done', suite: file, timeout: 0 };
  const d = start(done);
  const dscope = scopeOf(done)!;
  expect(dscope.timeoutMs).toBe(Infinity); // no timeout: no deadline
  done.result = { state: 'pass' };
  await d.finish();
  expect((dscope.signal.reason as ScopeEnd).kind).toBe('test-ended');
});
