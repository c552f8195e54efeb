// Jest test environment: Node's, plus a full-GC function without CLI flags, the per-worker state, and the record array.
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import { TestEnvironment } from 'jest-environment-node';
import { getGc } from '../engine/gc';
import { WORKER_STATE_GLOBAL, workerState } from '../engine/workerState';
import { RECORDS_GLOBAL, type LeakRecord } from './record';
import { RECORDS_DIR_ENV, writeRecordsFile } from './recordsFile';

/**
 * This module is loaded once per worker process (Jest resets module registries per test file only inside the test
 * realm), so the state below, and the control calibration cached in it, outlive test files.
 */
const state = workerState();
getGc();

export default class LeakproofEnvironment extends TestEnvironment {
  private readonly testPath: string;

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    this.testPath = context.testPath;
    const g = this.global as unknown as Record<string, unknown>;
    if (state.gc && typeof g.gc !== 'function') g.gc = state.gc;
    g[WORKER_STATE_GLOBAL] = state;
    g[RECORDS_GLOBAL] = [];
  }

  /** The records the matchers left, copied out of the test realm as plain JSON. */
  takeRecords(): LeakRecord[] {
    const raw = (this.global as unknown as Record<string, unknown> | undefined)?.[RECORDS_GLOBAL];
    return Array.isArray(raw) ? (JSON.parse(JSON.stringify(raw)) as LeakRecord[]) : [];
  }

  override async teardown(): Promise<void> {
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

export { LeakproofEnvironment as TestEnvironment };
