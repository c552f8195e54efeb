// The Vitest reporter on hand-made Vitest 4.1 test modules: where records come from, crashed files, shards, exit code.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LeakRecord } from '../../../src/model';
import { RECORDS_DIR_ENV, writeRecordsFile } from '../../../src/jest/recordsFile';
import { LeakproofVitestReporter, type TestModuleLike } from '../../../src/vitest/reporter';
import { metric, record } from '../../helpers/syntheticRecords';

let root = '';
let savedDir: string | undefined;
let savedExit: typeof process.exitCode;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-vitest-reporter-'));
  savedDir = process.env[RECORDS_DIR_ENV];
  delete process.env[RECORDS_DIR_ENV];
  savedExit = process.exitCode;
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
  if (savedDir === undefined) delete process.env[RECORDS_DIR_ENV];
  else process.env[RECORDS_DIR_ENV] = savedDir;
  process.exitCode = savedExit;
});

interface FakeTest {
  name: string;
  state: string;
  records?: LeakRecord[];
}

function moduleOf(
  file: string,
  tests: FakeTest[],
  opts: { state?: string; errors?: { message: string }[] } = {},
): TestModuleLike {
  return {
    moduleId: path.join(root, file),
    state: () => opts.state ?? (tests.some((t) => t.state === 'failed') ? 'failed' : 'passed'),
    errors: () => opts.errors ?? [],
    children: {
      allTests: () =>
        tests.map((t) => ({
          type: 'test' as const,
          fullName: t.name,
          meta: () => (t.records ? { leakproof: t.records } : {}),
          result: () => ({ state: t.state }),
        })),
    },
  };
}

function reporter(options: object, shard: { index: number; count: number } | null = null): LeakproofVitestReporter {
  const r = new LeakproofVitestReporter({ silent: true, github: false, ...options });
  r.onInit({ version: '4.1.12', config: { root, shard } });
  r.onTestRunStart();
  return r;
}

const leak = (name: string): LeakRecord =>
  record(name, [metric('heap', 4096)], { negated: true, pass: false, leak: true });
const clean = (name: string): LeakRecord =>
  record(name, [metric('heap', 0)], { negated: true, pass: true, leak: false });

test("records from the tests' meta make the report; files without assertions are left out; all formats written", () => {
  const r = reporter({ outputDir: 'out' });
  expect(process.env[RECORDS_DIR_ENV]).toBeTruthy(); // set in onInit, before Vitest starts its workers
  const modules = [
    moduleOf('a.test.ts', [
      { name: 'leaks', state: 'failed', records: [leak('leaks')] },
      { name: 'ok', state: 'passed', records: [clean('ok')] },
    ]),
    moduleOf('plain.test.ts', [{ name: 'no assertion', state: 'passed' }]),
  ];
  for (const m of modules) r.onTestModuleEnd(m);
  r.onTestRunEnd(modules);
  expect(r.report?.files.map((f) => [f.path, f.status, f.records.map((x) => x.testName)])).toEqual([
    ['a.test.ts', 'failed', ['leaks', 'ok']],
  ]);
  expect(r.report?.environment).toMatchObject({ vitest: '4.1.12', jest: null });
  expect(fs.readdirSync(path.join(root, 'out')).sort()).toEqual([
    'leak-report.html',
    'leak-report.json',
    'leak-report.junit.xml',
    'leak-report.md',
  ]);
  expect(process.env[RECORDS_DIR_ENV]).toBeUndefined(); // its own folder is removed at the end
});

test('the side-channel file wins when it holds more (an assertion in a hook, a test whose meta was lost)', () => {
  const r = reporter({ formats: [] });
  const m = moduleOf('b.test.ts', [{ name: 't', state: 'passed', records: [clean('t')] }]);
  writeRecordsFile(process.env[RECORDS_DIR_ENV] as string, m.moduleId, [clean('beforeAll hook'), clean('t')]);
  r.onTestModuleEnd(m);
  r.onTestRunEnd([m]);
  expect(r.report?.files[0].records.map((x) => x.testName)).toEqual(['beforeAll hook', 't']);
});

test('a file that failed to load, and one whose worker never reported its end, are crashed', () => {
  const r = reporter({ formats: [] });
  const broken = moduleOf('broken.test.ts', [], {
    state: 'failed',
    errors: [{ message: 'SyntaxError: Unexpected token' }],
  });
  const died = moduleOf('died.test.ts', [{ name: 'was running', state: 'pending' }], { state: 'pending' });
  writeRecordsFile(process.env[RECORDS_DIR_ENV] as string, died.moduleId, [clean('measured before the crash')]);
  r.onTestModuleEnd(broken);
  r.onTestRunEnd([broken, died]); // died: no onTestModuleEnd
  const files = r.report?.files ?? [];
  expect(files.map((f) => [f.path, f.status])).toEqual([
    ['broken.test.ts', 'crashed'],
    ['died.test.ts', 'crashed'],
  ]);
  expect(files[0].failureMessage).toBe('SyntaxError: Unexpected token');
  expect(files[1].failureMessage).toMatch(/did not finish running/);
  expect(files[1].records.map((x) => x.testName)).toEqual(['measured before the crash']);
});

test('under --shard only the shard file is written', () => {
  const r = reporter({ outputDir: 'out' }, { index: 2, count: 3 });
  const m = moduleOf('a.test.ts', [{ name: 'ok', state: 'passed', records: [clean('ok')] }]);
  r.onTestModuleEnd(m);
  r.onTestRunEnd([m]);
  expect(fs.readdirSync(path.join(root, 'out'))).toEqual(['shard-2-of-3.json']);
  expect(JSON.parse(fs.readFileSync(path.join(root, 'out', 'shard-2-of-3.json'), 'utf8')).shard).toEqual({
    index: 2,
    count: 3,
  });
});

test('failOnRegression sets the exit code when a baseline regression is found; bad options are typed errors', () => {
  const baseline = reporter({ outputDir: 'base' });
  const before = moduleOf('a.test.ts', [
    { name: 'ok', state: 'passed', records: [record('ok', [metric('heap', 10)], { negated: true, pass: true })] },
  ]);
  baseline.onTestRunEnd([before]);
  const { execFileSync } = jest.requireActual<typeof import('node:child_process')>('node:child_process');
  execFileSync(
    process.execPath,
    [
      path.resolve(__dirname, '../../../bin/leakproof.js'),
      'baseline',
      'save',
      'leak-baseline.json',
      '--report',
      'base/leak-report.json',
    ],
    { cwd: root },
  );
  const r = reporter({ formats: [], baseline: 'leak-baseline.json', failOnRegression: true });
  const after = moduleOf('a.test.ts', [
    { name: 'ok', state: 'passed', records: [record('ok', [metric('heap', 5000)], { negated: true, pass: true })] },
  ]);
  r.onTestRunEnd([after]);
  expect(r.report?.summary.regressions).toBeGreaterThan(0); // growth and peak each count
  expect(process.exitCode).toBe(1);
  expect(() => new LeakproofVitestReporter({ outDir: 'x' } as never)).toThrow(
    /unknown leakproof reporter option "outDir"/,
  );
});
