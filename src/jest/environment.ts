// Jest test environment: Node's, plus a full-GC function without CLI flags, the per-worker state, the record array, and
// each test's scope (its end and deadline) for the measurements it runs.
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import type { Circus } from '@jest/types';
import { TestEnvironment } from 'jest-environment-node';
import { getGc } from '../engine/gc';
import {
  beginTestScope,
  endAllTestScopes,
  endTestScope,
  setCurrentTestResolver,
  settleEndedScopes,
  type CurrentTest,
} from '../engine/testScope';
import { WORKER_STATE_GLOBAL, workerState } from '../engine/workerState';
import { RECORDS_GLOBAL, type LeakRecord } from './record';
import { RECORDS_DIR_ENV, writeRecordsFile } from './recordsFile';

/**
 * This module is loaded once per worker process (Jest resets module registries per test file only inside the test
 * realm), so the state below, and the control calibration cached in it, outlive test files.
 */
const state = workerState();
getGc();

/** How long the end of a test waits for its aborted measurement to stop (normally the length of one call of fn). */
const ENDED_MEASUREMENT_WAIT_MS = 10_000;

export default class LeakproofEnvironment extends TestEnvironment {
  private readonly testPath: string;

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    this.testPath = context.testPath;
    const g = this.global as unknown as Record<string, unknown>;
    if (state.gc && typeof g.gc !== 'function') g.gc = state.gc;
    g[WORKER_STATE_GLOBAL] = state;
    g[RECORDS_GLOBAL] = [];
    setCurrentTestResolver(() => this.currentTest());
  }

  /**
   * Which test the calling code belongs to, from the test realm's `expect` state: circus ≥ 30 gives the test object
   * itself (it runs every test in an async context of its own), 29 the full name of a concurrent test.
   */
  private currentTest(): CurrentTest | undefined {
    const g = this.global as unknown as { expect?: { getState?: () => Record<string, unknown> } } | undefined;
    const st = g?.expect?.getState?.();
    if (!st) return undefined;
    const call = (name: string): unknown =>
      typeof st[name] === 'function' ? (st[name] as () => unknown)() : undefined;
    const identity = call('currentTestIdentity');
    const concurrentName = call('currentConcurrentTestName');
    const name =
      typeof concurrentName === 'string'
        ? concurrentName
        : typeof st.currentTestName === 'string'
          ? st.currentTestName
          : undefined;
    return { identity, name };
  }

  /**
   * Opens a test's scope when its function starts, and ends it (aborting a measurement still running in it) when the
   * function times out, fails or returns; a measurement the test did not await is stopped there too. When the test is
   * done, waits for such a measurement to wind down (it stops before its next call of fn), so the next test starts on
   * a settled heap and the aborted record is in before the file's records are collected.
   */
  async handleTestEvent(event: Circus.Event, circusState: Circus.State): Promise<void> {
    switch (event.name) {
      case 'test_fn_start':
        beginTestScope(event.test, testId(event.test), event.test.timeout || circusState.testTimeout);
        break;
      case 'test_fn_failure': {
        const message = errorMessage(event.error);
        const timeout = event.test.timeout || circusState.testTimeout;
        if (/Exceeded timeout/.test(message)) {
          endTestScope(event.test, { kind: 'test-timeout', message: `the test timed out after ${timeout} ms` });
        } else {
          endTestScope(event.test, { kind: 'test-failed', message: `the test failed (${firstLine(message)})` });
        }
        break;
      }
      case 'test_fn_success':
      case 'test_skip':
      case 'test_todo':
        endTestScope(event.test, {
          kind: 'test-ended',
          message: 'its test ended while it was still running (was the assertion awaited?)',
        });
        break;
      case 'test_done':
        endTestScope(event.test, {
          kind: 'test-ended',
          message: 'its test ended while it was still running (was the assertion awaited?)',
        });
        await this.settleEnded(`"${testId(event.test)}"`);
        break;
      default:
        break;
    }
  }

  /** The records the matchers left, copied out of the test realm as plain JSON. */
  takeRecords(): LeakRecord[] {
    const raw = (this.global as unknown as Record<string, unknown> | undefined)?.[RECORDS_GLOBAL];
    return Array.isArray(raw) ? (JSON.parse(JSON.stringify(raw)) as LeakRecord[]) : [];
  }

  /** Waits for aborted measurements to stop; says so on stderr when one does not within the wait. */
  private async settleEnded(where: string): Promise<void> {
    if (await settleEndedScopes(ENDED_MEASUREMENT_WAIT_MS)) return;
    process.stderr.write(
      `leakproof: an aborted measurement of ${where} (${this.testPath}) had not stopped ${ENDED_MEASUREMENT_WAIT_MS / 1000} s after its test ended ` +
        '(its fn has not returned); later measurements in this worker wait for it.\n',
    );
  }

  override async teardown(): Promise<void> {
    endAllTestScopes({ kind: 'test-ended', message: 'its test file ended while it was still running' });
    await this.settleEnded('this file');
    setCurrentTestResolver(undefined);
    // Fallback channel for setups that replace the leakproof runner: the reporter reads these files by testFilePath.
    const dir = process.env[RECORDS_DIR_ENV];
    if (dir && this.global) {
      try {
        writeRecordsFile(dir, this.testPath, this.takeRecords());
      } catch (err) {
        process.stderr.write(`leakproof: could not write leak records to ${dir}: ${(err as Error).message}\n`);
      }
    }
    await super.teardown();
  }
}

/** Jest's full test name: the describe blocks' names and the test's, joined by spaces (circus' getTestID). */
function testId(test: Circus.TestEntry): string {
  const names = [test.name];
  for (let block = test.parent; block && block.parent; block = block.parent) names.unshift(block.name);
  return names.join(' ');
}

function errorMessage(error: unknown): string {
  const e = Array.isArray(error) ? error[0] : error;
  if (typeof e === 'string') return e;
  if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string')
    return (e as { message: string }).message;
  return String(e);
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

export { LeakproofEnvironment as TestEnvironment };
