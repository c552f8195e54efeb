// Turns one Jest TestResult (plus its side-channel records) into the report's FileReport; pure, no Jest import at runtime.
import type { LeakRecord } from '../src/model';
import type { FileReport } from './LeakReport';
import { relativeTestPath } from './format';

/** The part of Jest's TestResult this reporter reads (kept structural so the compiled JS needs no @jest/* package). */
export interface TestResultLike {
  testFilePath: string;
  testExecError?: { message?: string; stack?: string | null } | null;
  failureMessage?: string | null;
  numFailingTests: number;
  testResults: Array<{ fullName: string; status: string; leak?: LeakRecord[] }>;
  /** Mechanism A: set by the leakproof test runner. */
  leakRecords?: LeakRecord[];
}

/** Records from mechanism A when the runner set them, else from the per-assertion `leak` fields, else from the fallback. */
export function recordsOf(result: TestResultLike, fallback: () => LeakRecord[]): LeakRecord[] {
  if (Array.isArray(result.leakRecords)) return result.leakRecords;
  const perAssertion = result.testResults.flatMap((a) => (Array.isArray(a.leak) ? a.leak : []));
  if (perAssertion.length > 0) return perAssertion;
  return fallback();
}

export function collectFile(rootDir: string, result: TestResultLike, records: LeakRecord[]): FileReport {
  const crashed = Boolean(result.testExecError);
  const file: FileReport = {
    path: relativeTestPath(rootDir, result.testFilePath),
    status: crashed ? 'crashed' : result.numFailingTests > 0 ? 'failed' : 'passed',
    records,
  };
  if (crashed) {
    file.failureMessage =
      cleanFailureMessage(result.testExecError?.message || result.failureMessage || '') ||
      'the test file failed to run';
  }
  return file;
}

// Jest's failure messages carry terminal colour codes; files must not.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}

/**
 * Jest hands over exec errors already formatted for its own output (colours, a "● Test suite failed to run" header,
 * indentation); keep the message and code frame only.
 */
export function cleanFailureMessage(message: string): string {
  const lines = stripAnsi(message)
    .split('\n')
    .filter((l) => !/^\s*● Test suite failed to run\s*$/.test(l));
  while (lines.length > 0 && lines[0].trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}
