// The `toLeakMemory` matcher: measures the received function with the leak engine and records the result for the reporter.
import type { MatcherContext, SyncExpectationResult } from 'expect';
import { detectLeak, type LeakDetection } from '../src/engine/detectLeak';
import { LeakproofError, isLeakproofError } from '../src/errors';
import { RECORDS_GLOBAL, type LeakRecord } from '../src/jest/record';
import { RECORDS_DIR_ENV, writeRecordsFile } from '../src/jest/recordsFile';
import { callSite } from './callSite';
import { formatLeakMessage } from './formatLeakMessage';
import type { LeakMatcherOptions } from './types';

const MATCHER = 'toLeakMemory';

function pushRecord(record: LeakRecord): void {
  const g = globalThis as Record<string, unknown>;
  if (!Array.isArray(g[RECORDS_GLOBAL])) g[RECORDS_GLOBAL] = [];
  const records = g[RECORDS_GLOBAL] as LeakRecord[];
  records.push(record);
  // With the reporter's side channel on, also save after every assertion (the environment saves again at teardown):
  // a worker that crashes or is killed mid-file then still leaves what it measured for the reporter.
  const dir = process.env[RECORDS_DIR_ENV];
  if (dir && record.testPath) {
    try {
      writeRecordsFile(dir, record.testPath, records);
    } catch {
      // The teardown write reports a folder that cannot be written; one warning is enough.
    }
  }
}

function toOptions(arg: unknown): LeakMatcherOptions {
  if (arg === undefined) return {};
  if (typeof arg === 'number') return { threshold: arg };
  if (typeof arg === 'object' && arg !== null && !Array.isArray(arg)) return arg as LeakMatcherOptions;
  throw new LeakproofError(
    'LEAKPROOF_E_OPTIONS',
    `leakproof: toLeakMemory takes a threshold in bytes or an options object; received ${Array.isArray(arg) ? 'an array' : typeof arg}.`,
  );
}

/** Message of an error thrown by fn or the engine, without the "LeakproofError:" noise. */
function errorText(err: unknown): string {
  return err instanceof Error || isLeakproofError(err) ? (err as Error).message : String(err);
}

/**
 * `await expect(fn).not.toLeakMemory(threshold | options)`. Passes (before `.not`) when fn leaks. Always async.
 * Errors (fn threw, bad options, no GC) fail the assertion whether or not `.not` is used: they carry no verdict.
 */
export async function toLeakMemory(
  this: MatcherContext,
  received: unknown,
  thresholdOrOptions?: number | LeakMatcherOptions,
): Promise<SyncExpectationResult> {
  const stack = new Error().stack;
  const isNot = this.isNot === true;
  const hint = this.utils.matcherHint(MATCHER, 'received', thresholdOrOptions === undefined ? '' : 'threshold', {
    isNot,
    promise: this.promise,
  });
  const testPath = this.testPath ?? '';
  const testName = this.currentConcurrentTestName?.() ?? this.currentTestName ?? '';
  const site = callSite(stack, testPath);
  const started = performance.now();
  const record = (partial: Partial<LeakRecord>): LeakRecord => ({
    schemaVersion: 1,
    testName,
    testPath,
    ...(site ?? {}),
    negated: isNot,
    pass: false,
    leak: false,
    iterations: 0,
    warmup: 0,
    threshold: 0,
    durationMs: performance.now() - started,
    metrics: [],
    gcMethod: 'unavailable',
    ...partial,
  });

  if (typeof received !== 'function') {
    throw new Error(
      this.utils.matcherErrorMessage(
        hint,
        `${this.utils.RECEIVED_COLOR('received')} value must be a function (the operation to repeat)`,
        this.utils.printWithType('Received', received, this.utils.printReceived),
      ),
    );
  }

  let detection: LeakDetection;
  try {
    // Allocation sites only matter to a failing `.not`: the positive form expects the leak and never shows them.
    detection = await detectLeak(received as () => unknown, { allocationSites: isNot, ...toOptions(thresholdOrOptions) });
  } catch (err) {
    pushRecord(record({ error: errorText(err) }));
    const code = isLeakproofError(err) ? ` [${err.code}]` : '';
    throw new Error(`${hint}\n\n${errorText(err)}${code}`, { cause: err });
  }

  const base = {
    iterations: detection.iterations,
    warmup: detection.warmup,
    threshold: detection.threshold,
    gcMethod: detection.gcMethod,
    durationMs: detection.durationMs,
    calibrationMs: detection.calibrationMs,
    horizon: detection.horizon,
    ...(detection.unmeasured.length > 0 ? { unmeasured: detection.unmeasured } : {}),
  };
  if (detection.error !== undefined) {
    pushRecord(record({ ...base, error: errorText(detection.error) }));
    const cause = (detection.error as { cause?: unknown }).cause ?? detection.error;
    throw new Error(
      `${hint}\n\nThe function under test threw, so no leak verdict was made:\n${this.utils.RECEIVED_COLOR(errorText(detection.error))}`,
      { cause },
    );
  }

  const pass = detection.leak;
  const sites = detection.allocationProfile?.sites;
  pushRecord(
    record({ ...base, leak: detection.leak, pass: isNot ? !pass : pass, metrics: detection.metrics, ...(sites && sites.length > 0 ? { allocationSites: sites } : {}) }),
  );
  return {
    pass,
    message: () => formatLeakMessage({ detection, hint, isNot, utils: this.utils }),
  };
}
