// Jest test runner: jest-circus, plus the leak records of each test file attached to its TestResult for the reporter.
import type { JestEnvironment } from '@jest/environment';
import type { AssertionResult, TestResult } from '@jest/test-result';
import type { Config } from '@jest/types';
import { RECORDS_GLOBAL, type LeakRecord } from './record';

type CircusRunner = (
  globalConfig: Config.GlobalConfig,
  config: Config.ProjectConfig,
  environment: JestEnvironment,
  runtime: unknown,
  testPath: string,
  sendMessageToJest?: unknown,
) => Promise<TestResult>;

const circusByRoot = new Map<string, CircusRunner>();

/**
 * The jest-circus that matches the Jest running the file: the project's own, resolved from its rootDir as Jest resolves
 * its default runner, else the one this package depends on. A circus of another major than the runtime fails at once
 * (under Jest 29, circus 30 calls `runtime.enterTestCode`, which that runtime lacks).
 */
function circusFor(rootDir: string): CircusRunner {
  let circus = circusByRoot.get(rootDir);
  if (!circus) {
    let file: string;
    try {
      file = require.resolve('jest-circus/runner', { paths: [rootDir] });
    } catch {
      file = require.resolve('jest-circus/runner');
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require(file) as CircusRunner | { default: CircusRunner };
    circus = typeof m === 'function' ? m : m.default;
    circusByRoot.set(rootDir, circus);
  }
  return circus;
}

/** TestResult as this runner returns it (extra fields survive worker serialization and reach reporters). */
export type LeakTestResult = TestResult & {
  leakRecords: LeakRecord[];
  testResults: Array<AssertionResult & { leak?: LeakRecord[] }>;
};

/** Copies the records out of the vm realm as plain JSON (objects from another realm confuse structured clones). */
export function readRecords(environment: JestEnvironment): LeakRecord[] {
  const raw = (environment.global as unknown as Record<string, unknown> | undefined)?.[RECORDS_GLOBAL];
  if (!Array.isArray(raw)) return [];
  return JSON.parse(JSON.stringify(raw)) as LeakRecord[];
}

/** Adds `leakRecords` to the result and `leak` to each assertion result whose fullName has records. */
export function attachRecords(result: TestResult, records: LeakRecord[]): LeakTestResult {
  const out = result as LeakTestResult;
  out.leakRecords = records;
  for (const assertion of out.testResults) {
    const mine = records.filter((r) => r.testName === assertion.fullName);
    if (mine.length > 0) assertion.leak = mine;
  }
  return out;
}

export default async function leakproofRunner(
  globalConfig: Config.GlobalConfig,
  config: Config.ProjectConfig,
  environment: JestEnvironment,
  runtime: unknown,
  testPath: string,
  sendMessageToJest?: unknown,
): Promise<TestResult> {
  const result = await circusFor(config.rootDir)(
    globalConfig,
    config,
    environment,
    runtime,
    testPath,
    sendMessageToJest,
  );
  return attachRecords(result, readRecords(environment));
}
