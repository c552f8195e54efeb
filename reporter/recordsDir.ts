// Mechanism B of the matcher→reporter data path: a side-channel folder the test environment writes LeakRecord[] files into.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { LeakRecord } from '../src/jest/record';

/** Environment variable naming the folder; workers inherit it from the main process. */
export const RECORDS_DIR_ENV = 'LEAKPROOF_RECORDS_DIR';

/** File the environment writes for one test file: `<dir>/<sha1 hex of the absolute test path>.json`. */
export function recordsFileFor(dir: string, testPath: string): string {
  return path.join(dir, `${createHash('sha1').update(testPath).digest('hex')}.json`);
}

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

/** Reads the records file of one test file; [] when the environment wrote none. Malformed files are reported, not thrown. */
export function readRecordsFile(dir: string, testPath: string): { records: LeakRecord[]; problem?: string } {
  const file = recordsFileFor(dir, testPath);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { records: [] };
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) return { records: [], problem: `${file} does not hold an array of leak records` };
    return { records: parsed as LeakRecord[] };
  } catch (err) {
    return { records: [], problem: `${file} is not valid JSON (${(err as Error).message})` };
  }
}

/** Removes a folder this reporter created (and only that). */
export function removeRecordsDir(dir: string | undefined, env: NodeJS.ProcessEnv = process.env): void {
  if (!dir) return;
  fs.rmSync(dir, { recursive: true, force: true });
  if (env[RECORDS_DIR_ENV] === dir) delete env[RECORDS_DIR_ENV];
}
