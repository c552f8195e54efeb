// The runner-independent core of `toLeakMemory`: validate, measure with the engine, record, and build the verdict.
import { detectLeak, type LeakDetection } from '../src/engine/detectLeak';
import { withNativeSites } from '../src/engine/nativeSites';
import { LeakproofError, isLeakproofError } from '../src/errors';
import { abortedRecordFields } from '../src/engine/measurementAborted';
import { foreignHandlesNote } from '../src/engine/foreignHandles';
import { RECORDS_GLOBAL, type LeakRecord } from '../src/jest/record';
import { RECORDS_DIR_ENV, writeRecordsFile } from '../src/jest/recordsFile';
import { callSite } from './callSite';
import { formatLeakMessage } from './formatLeakMessage';
import type { LeakMatcherOptions } from './options';

const MATCHER = 'toLeakMemory';

type Color = (text: string) => string;

/**
 * The matcher utilities the core uses. Jest's `this.utils` fits as is; Vitest's has everything but
 * `matcherErrorMessage` (and, in some versions, `printWithType`), for which the core has fallbacks.
 */
export interface LeakMatcherUtils {
  matcherHint(
    name: string,
    received?: string,
    expected?: string,
    options?: { isNot?: boolean; promise?: string },
  ): string;
  RECEIVED_COLOR: Color;
  EXPECTED_COLOR: Color;
  printReceived(value: unknown): string;
  matcherErrorMessage?(hint: string, generic: string, specific?: string): string;
  printWithType?(name: string, value: unknown, print: (value: unknown) => string): string;
}

/** What a test runner's matcher context must supply; Jest's and Vitest's each through a small adapter. */
export interface LeakAssertionContext {
  isNot: boolean;
  promise?: string;
  /** Absolute path of the test file ('' when unknown). */
  testPath: string;
  /** The full name of the running test, describe blocks and test joined by spaces as Jest does ('' when unknown). */
  testName: string;
  utils: LeakMatcherUtils;
  /** Called with every record after it is stored (the Vitest face also attaches it to the test's meta). */
  onRecord?: (record: LeakRecord) => void;
}

/** The verdict in the shape both runners' `expect.extend` take. */
export interface LeakAssertionResult {
  pass: boolean;
  message: () => string;
}

function pushRecord(record: LeakRecord): void {
  const g = globalThis as Record<string, unknown>;
  if (!Array.isArray(g[RECORDS_GLOBAL])) g[RECORDS_GLOBAL] = [];
  const records = g[RECORDS_GLOBAL] as LeakRecord[];
  records.push(record);
  // With the reporter's side channel on, also save after every assertion (the environment saves again at teardown):
  // a worker that crashes or is killed mid-file then still leaves what it measured for the reporter. One global can
  // hold several files' records (a Vitest worker without isolation), so each file's list is filtered by its path.
  const dir = process.env[RECORDS_DIR_ENV];
  if (dir && record.testPath) {
    try {
      writeRecordsFile(
        dir,
        record.testPath,
        records.filter((r) => r.testPath === record.testPath),
      );
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

/** Jest's matcherErrorMessage layout, for runners whose utils lack it. */
function matcherError(utils: LeakMatcherUtils, hint: string, generic: string, specific: string): string {
  if (utils.matcherErrorMessage) return utils.matcherErrorMessage(hint, generic, specific);
  return `${hint}\n\nMatcher error: ${generic}\n\n${specific}`;
}

function printWithType(utils: LeakMatcherUtils, value: unknown): string {
  const print = (v: unknown): string => utils.printReceived(v);
  if (utils.printWithType) return utils.printWithType('Received', value, print);
  const type = value === null ? 'null' : typeof value;
  return value === null || value === undefined
    ? `Received: ${print(value)}`
    : `Received has type:  ${type}\nReceived has value: ${print(value)}`;
}

/**
 * One `expect(fn)[.not].toLeakMemory(threshold | options)` assertion. Passes (before `.not`) when fn leaks.
 * Errors (fn threw, bad options, no GC) throw whether or not `.not` is used: they carry no verdict.
 */
export async function runLeakAssertion(
  ctx: LeakAssertionContext,
  received: unknown,
  thresholdOrOptions?: number | LeakMatcherOptions,
): Promise<LeakAssertionResult> {
  const stack = new Error().stack;
  const { isNot, utils, testPath, testName } = ctx;
  const hint = utils.matcherHint(MATCHER, 'received', thresholdOrOptions === undefined ? '' : 'threshold', {
    isNot,
    promise: ctx.promise,
  });
  const site = callSite(stack, testPath);
  const started = performance.now();
  const store = (r: LeakRecord): void => {
    pushRecord(r);
    ctx.onRecord?.(r);
  };
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
      matcherError(
        utils,
        hint,
        `${utils.RECEIVED_COLOR('received')} value must be a function (the operation to repeat)`,
        printWithType(utils, received),
      ),
    );
  }

  let detection: LeakDetection;
  try {
    // Allocation sites only matter to a failing `.not`: the positive form expects the leak and never shows them.
    detection = await detectLeak(received as () => unknown, {
      allocationSites: isNot,
      ...toOptions(thresholdOrOptions),
    });
  } catch (err) {
    store(record({ error: errorText(err), ...abortedRecordFields(err) }));
    // A typed error stays typed: same code (also in the message, for Jest's output), the original in `cause`.
    if (isLeakproofError(err))
      throw new LeakproofError(err.code, `${hint}\n\n${errorText(err)} [${err.code}]`, { cause: err });
    throw new Error(`${hint}\n\n${errorText(err)}`, { cause: err });
  }

  const base = {
    iterations: detection.iterations,
    warmup: detection.warmup,
    threshold: detection.threshold,
    gcMethod: detection.gcMethod,
    durationMs: detection.durationMs,
    calibrationMs: detection.calibrationMs,
    ...(detection.queuedMs >= 1 ? { queuedMs: detection.queuedMs } : {}),
    ...(detection.foreignHandles ? { foreignHandles: detection.foreignHandles } : {}),
    horizon: detection.horizon,
    ...(detection.unmeasured.length > 0 ? { unmeasured: detection.unmeasured } : {}),
  };
  if (detection.error !== undefined) {
    store(record({ ...base, error: errorText(detection.error) }));
    const cause = (detection.error as { cause?: unknown }).cause ?? detection.error;
    throw new LeakproofError(
      'LEAKPROOF_E_FN_THREW',
      `${hint}\n\nThe function under test threw, so no leak verdict was made:\n${utils.RECEIVED_COLOR(errorText(detection.error))}`,
      { cause },
    );
  }

  const pass = detection.leak;
  const sites = withNativeSites(detection.allocationProfile?.sites, detection);
  store(
    record({
      ...base,
      leak: detection.leak,
      pass: isNot ? !pass : pass,
      metrics: detection.metrics,
      ...(sites && sites.length > 0 ? { allocationSites: sites } : {}),
    }),
  );
  return {
    pass,
    message: () => formatLeakMessage({ detection, hint, isNot, utils }) + foreignHandlesNote(detection.foreignHandles),
  };
}
