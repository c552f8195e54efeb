import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LeakReporter } from '../../../reporter/LeakReporter';
import LeakReporterDefault from '../../../reporter/index';
import { baselineFromReport, renderBaseline } from '../../../reporter/baseline';
import type { TestResultLike } from '../../../reporter/collectFile';
import type { LeakReport } from '../../../reporter/LeakReport';
import { RECORDS_DIR_ENV, recordsFileFor } from '../../../reporter/recordsDir';
import type { LeakRecord } from '../../../src/model';
import { metric, record, sampleReport } from '../../helpers/syntheticRecords';

let root: string;
let savedEnv: string | undefined;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'lp-reporter-'));
  savedEnv = process.env[RECORDS_DIR_ENV];
  delete process.env[RECORDS_DIR_ENV];
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
  if (savedEnv === undefined) delete process.env[RECORDS_DIR_ENV];
  else process.env[RECORDS_DIR_ENV] = savedEnv;
});

function result(file: string, records: LeakRecord[] | undefined, extra: Partial<TestResultLike> = {}): TestResultLike {
  return {
    testFilePath: path.join(root, file),
    numFailingTests: records?.some((r) => !r.pass) ? 1 : 0,
    testResults: (records ?? []).map((r) => ({ fullName: r.testName, status: r.pass ? 'passed' : 'failed' })),
    ...(records ? { leakRecords: records } : {}),
    ...extra,
  };
}

function recordsFor(file: string): LeakRecord[] {
  return [
    record('grows', [metric('heap', 8192)], { testPath: path.join(root, file) }),
    record('flat', [metric('heap', 0)], { testPath: path.join(root, file) }),
  ];
}

function readJson(p: string): LeakReport {
  return JSON.parse(fs.readFileSync(p, 'utf8')) as LeakReport;
}

describe('LeakReporter', () => {
  it('is the default export of leakproof/reporter', () => {
    expect(LeakReporterDefault).toBe(LeakReporter);
  });

  it('creates the side-channel folder for workers, and removes it after the run', () => {
    const r = new LeakReporter({ rootDir: root }, { silent: true });
    const dir = process.env[RECORDS_DIR_ENV]!;
    expect(dir).toContain(path.join(os.tmpdir(), 'leakproof-records-'));
    expect(fs.statSync(dir).isDirectory()).toBe(true);
    r.onRunStart();
    r.onRunComplete();
    expect(fs.existsSync(dir)).toBe(false);
    expect(process.env[RECORDS_DIR_ENV]).toBeUndefined();
  });

  it('leaves a folder set by someone else alone', () => {
    const theirs = fs.mkdtempSync(path.join(root, 'theirs-'));
    process.env[RECORDS_DIR_ENV] = theirs;
    const r = new LeakReporter({ rootDir: root }, { silent: true });
    r.onRunStart();
    r.onRunComplete();
    expect(process.env[RECORDS_DIR_ENV]).toBe(theirs);
    expect(fs.existsSync(theirs)).toBe(true);
  });

  it('reads records the runner attached (mechanism A) and writes every format under rootDir/leak-report', () => {
    const r = new LeakReporter({ rootDir: root }, { silent: true });
    r.onRunStart();
    r.onTestResult(undefined, result('tests/a.test.ts', recordsFor('tests/a.test.ts')));
    r.onRunComplete();
    expect(r.getLastError()).toBeUndefined();
    const out = path.join(root, 'leak-report');
    expect(fs.readdirSync(out).sort()).toEqual([
      'leak-report.html',
      'leak-report.json',
      'leak-report.junit.xml',
      'leak-report.md',
    ]);
    const json = readJson(path.join(out, 'leak-report.json'));
    expect(json.files).toHaveLength(1);
    expect(json.files[0].path).toBe('tests/a.test.ts');
    expect(json.files[0].records.map((x: LeakRecord) => x.testName)).toEqual(['grows', 'flat']);
    expect(json.summary.leaks).toBe(1);
    expect(fs.readFileSync(path.join(out, 'leak-report.md'), 'utf8')).toContain('| ❌ leak | grows | heap |');
  });

  it('falls back to the side-channel file (mechanism B) when the runner attached nothing', () => {
    const r = new LeakReporter({ rootDir: root }, { silent: true, formats: ['json'] });
    const dir = process.env[RECORDS_DIR_ENV]!;
    const testPath = path.join(root, 'tests/b.test.ts');
    fs.writeFileSync(recordsFileFor(dir, testPath), JSON.stringify(recordsFor('tests/b.test.ts')));
    r.onRunStart();
    r.onTestResult(
      undefined,
      result('tests/b.test.ts', undefined, {
        testResults: [{ fullName: 'grows', status: 'failed' }],
        numFailingTests: 1,
      }),
    );
    r.onRunComplete();
    const json = readJson(path.join(root, 'leak-report', 'leak-report.json'));
    expect(json.files[0].records.map((x: LeakRecord) => x.testName)).toEqual(['grows', 'flat']);
    expect(fs.readdirSync(path.join(root, 'leak-report'))).toEqual(['leak-report.json']);
  });

  it('reports a test file that failed to run, keeping what it measured', () => {
    const r = new LeakReporter({ rootDir: root }, { silent: true, formats: ['json', 'junit'] });
    const testPath = path.join(root, 'tests/crash.test.ts');
    fs.writeFileSync(
      recordsFileFor(process.env[RECORDS_DIR_ENV]!, testPath),
      JSON.stringify(recordsFor('tests/crash.test.ts').slice(0, 1)),
    );
    r.onRunStart();
    r.onTestResult(
      undefined,
      result('tests/crash.test.ts', undefined, {
        testExecError: { message: '\u001b[31mCall retries were exceeded\u001b[39m' },
        numFailingTests: 0,
      }),
    );
    r.onRunComplete();
    const json = readJson(path.join(root, 'leak-report', 'leak-report.json'));
    expect(json.files[0]).toMatchObject({
      path: 'tests/crash.test.ts',
      status: 'crashed',
      failureMessage: 'Call retries were exceeded',
    });
    expect(json.files[0].records).toHaveLength(1);
    expect(json.summary.crashedFiles).toBe(1);
    expect(fs.readFileSync(path.join(root, 'leak-report', 'leak-report.junit.xml'), 'utf8')).toContain(
      'type="TestFileCrashed"',
    );
  });

  it('notes an unreadable side-channel file instead of crashing', () => {
    const r = new LeakReporter({ rootDir: root }, { silent: true, formats: ['json'] });
    const testPath = path.join(root, 'tests/c.test.ts');
    fs.writeFileSync(recordsFileFor(process.env[RECORDS_DIR_ENV]!, testPath), '[{"half');
    r.onRunStart();
    r.onTestResult(undefined, result('tests/c.test.ts', undefined));
    r.onRunComplete();
    expect(r.getLastError()).toBeUndefined();
    expect(readJson(path.join(root, 'leak-report', 'leak-report.json')).problems[0]).toMatch(/is not valid JSON/);
  });

  it('writes only its shard file when sharded', () => {
    const r = new LeakReporter(
      { rootDir: root, shard: { shardIndex: 2, shardCount: 3 } },
      { silent: true, outputDir: 'out/leaks' },
    );
    r.onRunStart();
    r.onTestResult(undefined, result('tests/a.test.ts', recordsFor('tests/a.test.ts')));
    r.onRunComplete();
    const dir = path.join(root, 'out', 'leaks');
    expect(fs.readdirSync(dir)).toEqual(['shard-2-of-3.json']);
    expect(readJson(path.join(dir, 'shard-2-of-3.json')).shard).toEqual({ index: 2, count: 3 });
  });

  it('prints the table to stderr unless silent', () => {
    const writes: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      writes.push(String(s));
      return true;
    });
    try {
      const r = new LeakReporter({ rootDir: root }, { formats: [] });
      r.onRunStart();
      r.onTestResult(undefined, result('tests/a.test.ts', recordsFor('tests/a.test.ts')));
      r.onRunComplete();
    } finally {
      spy.mockRestore();
    }
    const text = writes.join('');
    expect(text).toContain('tests/a.test.ts');
    expect(text).toMatch(/grows .*heap .*\+8\.00 KiB\/iter/);
    expect(text).toContain('Leak summary: 2 assertions, 1 leaking, 1 failed in 1 file');
  });

  it('notes a missing baseline, and with failOnRegression fails the run on a regression', () => {
    const quiet = new LeakReporter(
      { rootDir: root },
      { silent: true, formats: ['json'], baseline: 'leak-baseline.json' },
    );
    quiet.onRunStart();
    quiet.onTestResult(undefined, result('tests/a.test.ts', recordsFor('tests/a.test.ts')));
    quiet.onRunComplete();
    expect(quiet.getLastError()).toBeUndefined();
    expect(quiet.report!.problems[0]).toMatch(/baseline leak-baseline\.json not found/);

    // Baseline from a run where "flat" was flat; now it grows 1000 B/iteration, still under its 64 KiB threshold.
    const before = sampleReport([
      { path: 'tests/a.test.ts', status: 'passed', records: recordsFor('tests/a.test.ts') },
    ]);
    fs.writeFileSync(path.join(root, 'leak-baseline.json'), renderBaseline(baselineFromReport(before)));
    const now = recordsFor('tests/a.test.ts');
    now[1] = record('flat', [metric('heap', 1000)], { testPath: path.join(root, 'tests/a.test.ts') }); // 50 KB growth: under 64 KiB
    expect(now[1].pass).toBe(true);
    const strict = new LeakReporter(
      { rootDir: root },
      { silent: true, formats: ['json'], baseline: 'leak-baseline.json', failOnRegression: true, toleranceBytes: 1024 },
    );
    strict.onRunStart();
    strict.onTestResult(undefined, result('tests/a.test.ts', now));
    strict.onRunComplete();
    expect(strict.report!.summary.regressions).toBe(2);
    expect(strict.getLastError()).toMatchObject({ code: 'ERR_BASELINE_REGRESSION' });
  });

  it('under GitHub Actions: annotations on stdout and the Markdown appended to the job summary', () => {
    const summary = path.join(root, 'summary.md');
    const saved = { s: process.env.GITHUB_STEP_SUMMARY, w: process.env.GITHUB_WORKSPACE };
    process.env.GITHUB_STEP_SUMMARY = summary;
    process.env.GITHUB_WORKSPACE = root;
    const out: string[] = [];
    const spy = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
    try {
      const r = new LeakReporter({ rootDir: root }, { silent: true, formats: [], github: true });
      r.onRunStart();
      r.onTestResult(undefined, result('tests/a.test.ts', recordsFor('tests/a.test.ts')));
      r.onRunComplete();
    } finally {
      spy.mockRestore();
      if (saved.s === undefined) delete process.env.GITHUB_STEP_SUMMARY;
      else process.env.GITHUB_STEP_SUMMARY = saved.s;
      if (saved.w === undefined) delete process.env.GITHUB_WORKSPACE;
      else process.env.GITHUB_WORKSPACE = saved.w;
    }
    expect(out.join('')).toBe(
      '::error file=tests/a.test.ts,line=12,col=5,title=leakproof::grows: memory leak: heap +400 KiB over 50 iterations (threshold 64.0 KiB)\n',
    );
    expect(fs.readFileSync(summary, 'utf8')).toContain('| ❌ leak | grows | heap |');
  });

  it('rejects bad options at construction', () => {
    expect(() => new LeakReporter({ rootDir: root }, { formats: ['pdf' as never] })).toThrow(
      expect.objectContaining({ code: 'ERR_REPORTER_OPTION' }),
    );
  });

  it('leaves files without leak assertions out, and still writes a (empty) report', () => {
    const r = new LeakReporter({ rootDir: root }, { silent: true, formats: ['json'] });
    r.onRunStart();
    r.onTestResult(undefined, result('tests/none.test.ts', []));
    r.onTestResult(undefined, result('tests/a.test.ts', recordsFor('tests/a.test.ts')));
    r.onRunComplete();
    const json = readJson(path.join(root, 'leak-report', 'leak-report.json'));
    expect(json.files.map((f) => f.path)).toEqual(['tests/a.test.ts']);
    expect(json.summary).toMatchObject({ files: 1, assertions: 2 });
    const empty = new LeakReporter({ rootDir: root }, { silent: true, formats: ['json'] });
    empty.onRunStart();
    empty.onTestResult(undefined, result('tests/none.test.ts', []));
    empty.onRunComplete();
    expect(readJson(path.join(root, 'leak-report', 'leak-report.json')).summary).toMatchObject({
      files: 0,
      assertions: 0,
    });
  });
});
