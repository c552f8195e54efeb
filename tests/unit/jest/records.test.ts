// The matcher→reporter data path: attaching records to Jest results and the atomic records-file fallback.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestResult } from '@jest/test-result';
import { recordsFileFor, writeRecordsFile } from '../../../src/jest/recordsFile';
import { attachRecords } from '../../../src/jest/runner';
import type { LeakRecord } from '../../../src/model';

function record(testName: string, line: number): LeakRecord {
  return {
    schemaVersion: 1,
    testName,
    testPath: '/p/a.test.ts',
    line,
    negated: true,
    pass: true,
    leak: false,
    iterations: 200,
    warmup: 20,
    threshold: 65536,
    durationMs: 5,
    metrics: [],
    gcMethod: 'v8-flags',
  };
}

describe('attachRecords', () => {
  test('puts all records on the result and each assertion gets the records of its full name', () => {
    const result = {
      testResults: [{ fullName: 'a b' }, { fullName: 'a c' }, { fullName: 'no matcher here' }],
    } as unknown as TestResult;
    const records = [record('a b', 3), record('a c', 7), record('a b', 9)];
    const out = attachRecords(result, records);
    expect(out.leakRecords).toBe(records);
    expect(out.testResults[0].leak!.map((r) => r.line)).toEqual([3, 9]);
    expect(out.testResults[1].leak!.map((r) => r.line)).toEqual([7]);
    expect('leak' in out.testResults[2]).toBe(false);
  });
});

describe('records file fallback', () => {
  test('named by the sha1 hex of the test path, written whole, no temp file left', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-records-unit-'));
    const testPath = '/some/project/tests/ü file.test.ts';
    const nested = path.join(dir, 'not-yet-created');
    writeRecordsFile(nested, testPath, [record('x', 1)]);
    const file = recordsFileFor(nested, testPath);
    expect(path.basename(file)).toBe(`${createHash('sha1').update(testPath).digest('hex')}.json`);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual([record('x', 1)]);
    writeRecordsFile(nested, testPath, []);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual([]);
    expect(fs.readdirSync(nested)).toEqual([path.basename(file)]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
