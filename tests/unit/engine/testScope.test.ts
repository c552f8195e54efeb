// The test scope registry: which open scope a caller belongs to, how a scope ends, and the time a measurement may take.
import {
  beginTestScope,
  currentTestScope,
  deadlineMargin,
  endAllTestScopes,
  endTestScope,
  isScopeEnd,
  resolveCurrentTest,
  setCurrentTestResolver,
  settleEndedScopes,
  timeLeft,
  trackInScope,
  whenScopeBegins,
  type CurrentTest,
  type TestScope,
} from '../../../src/engine/testScope';

/**
 * These tests run under the leakproof environment, which opens a scope for the running test when its function starts
 * (after beforeEach hooks) and answers "which test?" itself. Each test first closes that scope (nothing measures in
 * it) and swaps in its own resolver; afterEach hands the answer back to nobody (the environment sets its own per file).
 */
let answer: CurrentTest | undefined;
let realTest: unknown;

function isolate(): void {
  realTest = (expect.getState() as { currentTestIdentity?: () => unknown }).currentTestIdentity?.();
  endAllTestScopes({ kind: 'test-ended', message: 'replaced by the unit test' });
  answer = undefined;
  setCurrentTestResolver(() => answer);
}

afterEach(() => {
  endAllTestScopes({ kind: 'test-ended', message: 'unit test over' });
  setCurrentTestResolver(undefined);
});

// First in the file: the environment's resolver is still in place (afterEach below removes it).
test('the environment opened a scope for this very test with its timeout, found through circus’ test object', () => {
  const scope = currentTestScope();
  expect(scope).toMatchObject({
    name: 'the environment opened a scope for this very test with its timeout, found through circus’ test object',
    timeoutMs: 120_000,
  });
  expect(scope?.signal.aborted).toBe(false);
  isolate();
  expect(realTest).toBeDefined();
  expect(scope?.signal.aborted).toBe(true);
});

test('no scope outside a test; the only open scope for sequential tests', () => {
  isolate();
  expect(currentTestScope()).toBeUndefined();
  const a = beginTestScope('a', 'suite first', 5000);
  expect(currentTestScope()).toBe(a);
  expect(a).toMatchObject({ name: 'suite first', timeoutMs: 5000 });
  expect(a.deadline - performance.now()).toBeGreaterThan(4000);
});

test('side by side (concurrent tests): the runner’s identity decides, then the full name, else none', () => {
  isolate();
  const a = beginTestScope('key-a', 'concurrent a', 5000);
  const b = beginTestScope('key-b', 'concurrent b', 5000);
  expect(currentTestScope()).toBeUndefined();
  answer = { identity: 'key-b', name: 'concurrent a' };
  expect(currentTestScope()).toBe(b);
  answer = { identity: 'unknown', name: 'concurrent a' };
  expect(currentTestScope()).toBe(a);
  answer = { name: 'neither' };
  expect(currentTestScope()).toBeUndefined();
  // Named, but not open (a Jest 29 concurrent body started before its test): never another test's scope.
  endTestScope('key-b', { kind: 'test-ended', message: 'b done' });
  expect(currentTestScope()).toBeUndefined();
  answer = { identity: 'key-b' };
  expect(currentTestScope()).toBeUndefined();
  answer = {};
  expect(currentTestScope()).toBe(a);
  setCurrentTestResolver(() => {
    throw new Error('runner state gone');
  });
  expect(currentTestScope()).toBe(a); // a resolver that fails says nothing: the only open scope
});

test('ending a scope aborts its signal with the reason, once; ending all ends the rest', () => {
  isolate();
  const a = beginTestScope('a', 'a', 1000);
  const b = beginTestScope('b', 'b', 1000);
  const seen: unknown[] = [];
  a.signal.addEventListener('abort', () => seen.push(a.signal.reason));
  endTestScope('a', { kind: 'test-timeout', message: 'the test timed out after 1000 ms' });
  endTestScope('a', { kind: 'test-ended', message: 'again' });
  expect(seen).toEqual([{ kind: 'test-timeout', message: 'the test timed out after 1000 ms' }]);
  expect(isScopeEnd(a.signal.reason)).toBe(true);
  expect(b.signal.aborted).toBe(false);
  endAllTestScopes({ kind: 'test-ended', message: 'file over' });
  expect(b.signal.reason).toEqual({ kind: 'test-ended', message: 'file over' });
  expect(currentTestScope()).toBeUndefined();
});

test('a test started again (a retry) gets a fresh scope; the old one is ended', () => {
  isolate();
  const first = beginTestScope('t', 't', 1000);
  const second = beginTestScope('t', 't', 1000);
  expect(first.signal.aborted).toBe(true);
  expect(second.signal.aborted).toBe(false);
  expect(currentTestScope()).toBe(second);
});

test('time left: the deadline less a margin of 10% of the timeout, from 250 ms to 2 s; none without a timeout', () => {
  isolate();
  expect(deadlineMargin(1000)).toBe(250);
  expect(deadlineMargin(500)).toBe(250);
  expect(deadlineMargin(5000)).toBe(500);
  expect(deadlineMargin(120_000)).toBe(2000);
  const s = beginTestScope('s', 's', 5000);
  expect(timeLeft(s, s.deadline - 5000)).toBe(4500);
  expect(timeLeft(s, s.deadline - 100)).toBeLessThan(0);
  const unlimited = beginTestScope('u', 'u', 0);
  expect(unlimited.timeoutMs).toBe(Infinity);
  expect(timeLeft(unlimited)).toBe(Infinity);
  expect(isScopeEnd({ kind: 'time-limit', message: 'x' })).toBe(false);
});

test('the end of a test can wait, bounded, for a measurement that ran in it to wind down', async () => {
  isolate();
  const s = beginTestScope('w', 'w', 1000);
  let finish: () => void = () => undefined;
  trackInScope(s, new Promise<void>((resolve) => (finish = resolve)));
  expect(await settleEndedScopes(10)).toBe(true); // its test has not ended: nothing to wait for
  endTestScope('w', { kind: 'test-ended', message: 'over' });
  expect(await settleEndedScopes(30)).toBe(false); // still running
  finish();
  expect(await settleEndedScopes(1000)).toBe(true);
  const rejected = beginTestScope('r', 'r', 1000);
  trackInScope(rejected, Promise.reject(new Error('aborted')));
  endTestScope('r', { kind: 'test-failed', message: 'failed' });
  expect(await settleEndedScopes(1000)).toBe(true);
});

test('deadlines use the real clock: a test that installed fake timers does not move them', () => {
  isolate();
  jest.useFakeTimers();
  try {
    const s = beginTestScope('f', 'f', 5000);
    jest.advanceTimersByTime(60_000);
    expect(timeLeft(s)).toBeGreaterThan(4000);
    expect(timeLeft(s)).toBeLessThanOrEqual(4500);
  } finally {
    jest.useRealTimers();
  }
});

test('a measurement named for a test that has not started joins its scope when it begins (Jest 29 concurrent)', () => {
  isolate();
  const early = beginTestScope('running', 'the test running now', 5000);
  answer = { name: 'a later test' };
  expect(resolveCurrentTest()).toEqual({ name: 'a later test' });
  const bound: TestScope[] = [];
  const stop = whenScopeBegins('a later test', (s) => bound.push(s));
  const other = whenScopeBegins('never', () => bound.push(early));
  beginTestScope('other', 'not this one', 5000);
  expect(bound).toEqual([]);
  const later = beginTestScope('later', 'a later test', 5000);
  beginTestScope('later', 'a later test', 5000); // bound once
  expect(bound).toEqual([later]);
  stop();
  other();
  beginTestScope('n', 'never', 5000);
  expect(bound).toEqual([later]);
});
