// The test a measurement belongs to: a signal that aborts when the test ends, and its deadline. Set by the test runner.
import { performance } from 'node:perf_hooks';
import { clearTimeout as realClearTimeout, setTimeout as realSetTimeout } from 'node:timers';
import { workerState } from './workerState';

/** Why a test scope ended while a measurement might still run in it. */
export type ScopeEndKind = 'test-timeout' | 'test-failed' | 'test-ended';

/** The signal's reason when a scope ends: what happened, in words the assertion's message can carry. */
export interface ScopeEnd {
  kind: ScopeEndKind;
  /** E.g. "the test timed out after 1000 ms". */
  message: string;
}

export interface TestScope {
  /** The runner's full test name. */
  name: string;
  /** Aborts (reason: a ScopeEnd) when the test times out, fails or ends. */
  signal: AbortSignal;
  /** The test's timeout in ms (Infinity: none). */
  timeoutMs: number;
  /** `performance.now()` at which the runner fails the test (Infinity: never). */
  deadline: number;
}

/** What the runner says about the code running now: the test object (identity) and/or its full name. */
export interface CurrentTest {
  identity?: unknown;
  name?: string;
}

interface ScopeEntry {
  scope: TestScope;
  controller: AbortController;
  /** Measurements running in this scope, as promises that settle (never reject) when each one is over. */
  running: Set<Promise<void>>;
}

interface ScopeWaiter {
  name: string;
  bind: (scope: TestScope) => void;
}

interface ScopeRegistry {
  scopes: Map<unknown, ScopeEntry>;
  /** Measurements named by the runner whose test had not started yet (Jest 29 starts concurrent bodies early). */
  waiting: Set<ScopeWaiter>;
  /** Measurements whose scope has ended but which have not wound down yet (stopping at their next call of fn). */
  ending: Set<Promise<void>>;
  /** Asks the runner which test the calling code belongs to (concurrent tests run side by side). */
  resolve?: () => CurrentTest | undefined;
}

function registry(): ScopeRegistry {
  const s = workerState() as { testScopes?: ScopeRegistry };
  s.testScopes ??= { scopes: new Map(), ending: new Set(), waiting: new Set() };
  return s.testScopes;
}

/** Starts the scope of a test (`key`: the runner's test object). A scope already open under that key is ended first. */
export function beginTestScope(key: unknown, name: string, timeoutMs: number): TestScope {
  const reg = registry();
  endTestScope(key, { kind: 'test-ended', message: 'the test started again' });
  const controller = new AbortController();
  const limit = Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : Infinity;
  const scope: TestScope = { name, signal: controller.signal, timeoutMs: limit, deadline: performance.now() + limit };
  reg.scopes.set(key, { scope, controller, running: new Set() });
  for (const waiter of [...reg.waiting]) {
    if (waiter.name !== name) continue;
    reg.waiting.delete(waiter);
    waiter.bind(scope);
  }
  return scope;
}

/**
 * Calls `bind` once, when a scope for the test named `name` begins (a measurement whose test had not started when it
 * was called). Returns the function that stops waiting.
 */
export function whenScopeBegins(name: string, bind: (scope: TestScope) => void): () => void {
  const reg = registry();
  const waiter: ScopeWaiter = { name, bind };
  reg.waiting.add(waiter);
  return () => void reg.waiting.delete(waiter);
}

/**
 * Registers a measurement running in `scope` until `work` settles, so the end of its test can wait for it to wind
 * down (see settleEndedScopes). Outside any open scope this does nothing.
 */
export function trackInScope(scope: TestScope, work: Promise<unknown>): void {
  const reg = registry();
  const entry = [...reg.scopes.values()].find((e) => e.scope === scope);
  if (!entry) return;
  const done: Promise<void> = work.then(
    () => undefined,
    () => undefined,
  );
  entry.running.add(done);
  void done.then(() => {
    entry.running.delete(done);
    reg.ending.delete(done);
  });
}

/**
 * Waits until every measurement whose test has ended has stopped (and left its record), at most `maxMs`. True when
 * all did; false when one is still running (an fn that never returns, say), which the caller reports.
 */
export async function settleEndedScopes(maxMs: number): Promise<boolean> {
  const reg = registry();
  if (reg.ending.size === 0) return true;
  let timer: ReturnType<typeof realSetTimeout> | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = realSetTimeout(() => resolve(false), maxMs);
  });
  try {
    return await Promise.race([Promise.all([...reg.ending]).then(() => true), expired]);
  } finally {
    if (timer !== undefined) realClearTimeout(timer);
  }
}

/** Ends the scope of `key`, aborting whatever measurement still runs in it with `end` as the reason. */
export function endTestScope(key: unknown, end: ScopeEnd): void {
  const reg = registry();
  const entry = reg.scopes.get(key);
  if (!entry) return;
  reg.scopes.delete(key);
  for (const done of entry.running) reg.ending.add(done);
  entry.controller.abort(end);
}

/** Ends every open scope (the test file is being torn down). */
export function endAllTestScopes(end: ScopeEnd): void {
  for (const key of [...registry().scopes.keys()]) endTestScope(key, end);
}

/** Installs (or, with undefined, removes) the runner's answer to "which test is running this code?". */
export function setCurrentTestResolver(resolve: (() => CurrentTest | undefined) | undefined): void {
  registry().resolve = resolve;
}

/**
 * The scope of the test the caller runs in: the runner's test identity when it gives one, else its full test name,
 * else (the runner says nothing) the only open scope. Undefined outside a test, when concurrent tests leave it
 * ambiguous, or when the runner names a test that has no open scope: under Jest 29 a concurrent test's body starts
 * before its test does, and must not be taken for the test that happens to be running then.
 */
export function currentTestScope(): TestScope | undefined {
  return resolveCurrentTest().scope;
}

/** currentTestScope's answer, with the test name the runner gave (also when that test has no open scope yet). */
export function resolveCurrentTest(): { scope?: TestScope; name?: string } {
  const reg = registry();
  if (reg.scopes.size === 0 && !reg.resolve) return {};
  let current: CurrentTest | undefined;
  try {
    current = reg.resolve?.();
  } catch {
    current = undefined;
  }
  const name = current?.name || undefined;
  if (current?.identity !== undefined) {
    const byIdentity = reg.scopes.get(current.identity);
    if (byIdentity) return { scope: byIdentity.scope, name };
  }
  if (name) {
    const byName = [...reg.scopes.values()].filter((e) => e.scope.name === name);
    return byName.length === 1 ? { scope: byName[0].scope, name } : { name };
  }
  if (current?.identity !== undefined) return {};
  if (reg.scopes.size === 1) return { scope: [...reg.scopes.values()][0].scope };
  return {};
}

/**
 * How long before the test's deadline a measurement must have stopped: room to settle the heap and fail the assertion
 * with leakproof's own message before the runner's timeout fires. 10% of the timeout, from 250 ms to 2 s: the stop
 * comes at the next call of fn, which can wait for a settling GC (100 ms and more on a loaded machine).
 */
export function deadlineMargin(timeoutMs: number): number {
  if (!Number.isFinite(timeoutMs)) return 0;
  return Math.min(2000, Math.max(250, timeoutMs * 0.1));
}

/** Milliseconds a measurement starting now may run within the scope's test (Infinity: no limit; ≤ 0: none left). */
export function timeLeft(scope: TestScope, now: number = performance.now()): number {
  if (!Number.isFinite(scope.deadline)) return Infinity;
  return scope.deadline - now - deadlineMargin(scope.timeoutMs);
}

/** True when `reason` (an AbortSignal's) is the end of a test scope. */
export function isScopeEnd(reason: unknown): reason is ScopeEnd {
  if (typeof reason !== 'object' || reason === null) return false;
  const r = reason as { kind?: unknown; message?: unknown };
  return (
    (r.kind === 'test-timeout' || r.kind === 'test-failed' || r.kind === 'test-ended') && typeof r.message === 'string'
  );
}
