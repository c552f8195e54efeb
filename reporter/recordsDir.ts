// Mechanism B of the matcher→reporter data path: a side-channel folder the test environment writes LeakRecord[] files into.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RECORDS_DIR_ENV } from '../src/jest/recordsFile';

export { RECORDS_DIR_ENV, recordsFileFor, readRecordsFile } from '../src/jest/recordsFile';

/**
 * Creates the folder and exports it through the environment, unless a folder is already set (then it is not ours).
 * Returns the folder this reporter created, or undefined when it reuses one it must not delete.
 */
export function ensureRecordsDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env[RECORDS_DIR_ENV]) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-records-'));
  env[RECORDS_DIR_ENV] = dir;
  return dir;
}

/** Removes a folder this reporter created (and only that). */
export function removeRecordsDir(dir: string | undefined, env: NodeJS.ProcessEnv = process.env): void {
  if (!dir) return;
  fs.rmSync(dir, { recursive: true, force: true });
  if (env[RECORDS_DIR_ENV] === dir) delete env[RECORDS_DIR_ENV];
}
