// The side channel of the matcher→reporter data path: one LeakRecord[] file per test file in a folder the reporter owns.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LeakRecord } from '../model';
import { replaceFile } from '../kernel/replaceFile';

/** Environment variable naming the folder; workers inherit it from the main process, where the reporter sets it. */
export const RECORDS_DIR_ENV = 'LEAKPROOF_RECORDS_DIR';

/** File written for one test file: `<dir>/<sha1 hex of the absolute test path>.json`. */
export function recordsFileFor(dir: string, testPath: string): string {
  return path.join(dir, `${createHash('sha1').update(testPath).digest('hex')}.json`);
}

/** Writes via a temporary file and a rename (the kernel's replaceFile), so a reader never sees half a file. */
export function writeRecordsFile(dir: string, testPath: string, records: LeakRecord[]): void {
  fs.mkdirSync(dir, { recursive: true });
  replaceFile(recordsFileFor(dir, testPath), JSON.stringify(records));
}

/** Reads the records file of one test file; [] when none was written. Malformed files are reported, not thrown. */
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
