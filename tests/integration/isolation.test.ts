// Isolation under real Jest (the preset from dist/): concurrent tests, Promise.all of two assertions, a timed-out
// assertion followed by a clean test, and an assertion the test forgot to await (fixtures/isolation). Each clean assertion passes with its own figures, never the
// leaky one's ~16 KiB per call; an assertion that outlived its test leaves an aborted record and no verdict.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LeakRecord } from '../../src/model';
import type { LeakReport } from '../../reporter/LeakReport';

const REPO = path.resolve(__dirname, '../..');
const FIXTURE = path.join(__dirname, 'fixtures', 'isolation');
const work = path.join(__dirname, 'artifacts', 'isolation');
const out = path.join(work, 'leak-report');

interface JestJson {
  testResults: Array<{ assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }> }>;
}

let statuses: Map<string, { status: string; failure: string }>;
let records: LeakRecord[];
let stderr = '';

/** Retained by the leaky fixtures per call: 2,048 small integers. */
const LEAK_PER_CALL = 16 * 1024;

function recordsOf(testName: string): LeakRecord[] {
  return records.filter((r) => r.testName === testName);
}

function heapSlope(r: LeakRecord): number {
  const heap = r.metrics.find((m) => m.metric === 'heap');
  if (!heap) throw new Error(`no heap metric in the record of ${r.testName}`);
  return heap.slope;
}

beforeAll(async () => {
  for (const p of ['dist/src/jest/environment.js', 'dist/matchers/setup.js', 'dist/reporter/index.js']) {
    if (!fs.existsSync(path.join(REPO, p))) throw new Error(`isolation tests need a build (npm run build); missing ${p}`);
  }
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, LEAKPROOF_FIXTURE_OUT: out, LEAKPROOF_FIXTURE_CACHE: path.join(work, 'cache'), NO_COLOR: '1' };
  for (const k of ['LEAKPROOF_RECORDS_DIR', 'FORCE_COLOR', 'JEST_WORKER_ID', 'GITHUB_ACTIONS', 'GITHUB_STEP_SUMMARY']) delete env[k];
  const results = path.join(work, 'results.json');
  const args = [path.join(REPO, 'node_modules', '.bin', 'jest'), '--config', path.join(FIXTURE, 'jest.config.js'), '--rootDir', FIXTURE];
  // In band: one process measures every file, as one worker of a bigger run would.
  args.push('--ci', '--runInBand', '--json', `--outputFile=${results}`);
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO, env });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    child.on('error', reject);
    child.on('close', resolve);
  });
  expect(code).toBe(1); // the leaky tests fail, on purpose
  const json = JSON.parse(fs.readFileSync(results, 'utf8')) as JestJson;
  statuses = new Map();
  for (const f of json.testResults) for (const a of f.assertionResults) statuses.set(a.fullName, { status: a.status, failure: a.failureMessages.join('\n') });
  const report = JSON.parse(fs.readFileSync(path.join(out, 'leak-report.json'), 'utf8')) as LeakReport;
  records = report.files.flatMap((f) => f.records);
}, 240_000);

test('(a) two test.concurrent tests: the clean one passes with its own figures, the leaky one fails', () => {
  expect(statuses.get('concurrent: parses a tiny JSON')?.status).toBe('passed');
  expect(statuses.get('concurrent: retains 16 KiB per call')?.status).toBe('failed');
  const [clean] = recordsOf('concurrent: parses a tiny JSON');
  const [leaky] = recordsOf('concurrent: retains 16 KiB per call');
  expect(clean).toMatchObject({ pass: true, leak: false });
  expect(clean.aborted).toBeUndefined();
  expect(heapSlope(clean)).toBeLessThan(LEAK_PER_CALL / 4);
  expect(leaky).toMatchObject({ pass: false, leak: true });
  expect(heapSlope(leaky)).toBeGreaterThan(LEAK_PER_CALL * 0.75);
  // They ran one after the other: whichever came second waited for the first.
  expect(Math.max(clean.queuedMs ?? 0, leaky.queuedMs ?? 0)).toBeGreaterThan(0);
});

test('(b) Promise.all of a clean and a leaky assertion: the clean one passes with its own figures', () => {
  expect(statuses.get('all: clean first, then leaky')?.status).toBe('failed');
  const [clean, leaky] = recordsOf('all: clean first, then leaky');
  expect(clean).toMatchObject({ pass: true, leak: false });
  expect(heapSlope(clean)).toBeLessThan(LEAK_PER_CALL / 4);
  expect(leaky).toMatchObject({ pass: false, leak: true });
  expect(heapSlope(leaky)).toBeGreaterThan(LEAK_PER_CALL * 0.75);
  expect(leaky.queuedMs).toBeGreaterThan(0);
});

test('(b) leaky first: its failure fails the test, and the clean assertion still waiting ends with it, no verdict', () => {
  expect(statuses.get('all: leaky first, then clean')?.status).toBe('failed');
  const [leaky, clean] = recordsOf('all: leaky first, then clean');
  expect(leaky).toMatchObject({ pass: false, leak: true });
  expect(clean).toMatchObject({ pass: false, leak: false, aborted: true, abortReason: 'test-failed', metrics: [] });
  expect(clean.error).toMatch(/^leakproof: the measurement was aborted .*: the test failed \(.*\)\. No verdict was made; fn is no longer called\.$/);
});

test('(c) an assertion that outlives its 1 s timeout stops before it, and the clean test after it passes', () => {
  const first = statuses.get('timeout: a slow leaky fn with a 1 s timeout');
  expect(first?.status).toBe('failed');
  const [aborted] = recordsOf('timeout: a slow leaky fn with a 1 s timeout');
  expect(aborted).toMatchObject({ pass: false, leak: false, aborted: true, metrics: [] });
  // Normally leakproof's own stop, 100 ms before the timeout; on a machine so loaded that Jest's timer fires first, the
  // test's timeout ends it. Either way the message names the test's timeout.
  expect(['time-limit', 'test-timeout']).toContain(aborted.abortReason);
  expect(aborted.error).toMatch(/1,?000 ms/);

  expect(statuses.get('timeout: a clean test after it')?.status).toBe('passed');
  const [clean] = recordsOf('timeout: a clean test after it');
  expect(clean).toMatchObject({ pass: true, leak: false });
  expect(heapSlope(clean)).toBeLessThan(LEAK_PER_CALL / 4);
  // The first test's fn was not called while the clean test measured.
  const calls = JSON.parse(fs.readFileSync(path.join(out, 'timeout-calls.json'), 'utf8')) as { before: number; after: number };
  expect(calls.before).toBeGreaterThan(0);
  expect(calls.after).toBe(calls.before);
});

test('(d) concurrent tests with their own timeouts: only the slow one’s measurement ends with it', () => {
  expect(statuses.get('concurrent-timeout: slow and leaky, 1.5 s timeout')?.status).toBe('failed');
  expect(statuses.get('concurrent-timeout: slow and leaky, 1.5 s timeout')?.failure).toMatch(/1,?500 ms/);
  const [slow] = recordsOf('concurrent-timeout: slow and leaky, 1.5 s timeout');
  expect(slow).toMatchObject({ aborted: true, metrics: [] });
  expect(['time-limit', 'test-timeout']).toContain(slow.abortReason);
  expect(statuses.get('concurrent-timeout: clean alongside it')?.status).toBe('passed');
  const [clean] = recordsOf('concurrent-timeout: clean alongside it');
  expect(clean).toMatchObject({ pass: true, leak: false });
  expect(clean.aborted).toBeUndefined();
  expect(heapSlope(clean)).toBeLessThan(LEAK_PER_CALL / 4);
  expect(stderr).not.toMatch(/had not stopped/);
});

test('(e) an assertion the test did not await ends with the test; the next test measures alone', () => {
  expect(statuses.get('unawaited: the assertion is not awaited')?.status).toBe('passed'); // Jest never saw the promise
  const [orphan] = recordsOf('unawaited: the assertion is not awaited');
  expect(orphan).toMatchObject({ pass: false, aborted: true, abortReason: 'test-ended', metrics: [] });
  expect(orphan.error).toContain('was the assertion awaited?');
  expect(statuses.get('unawaited: a clean test after it')?.status).toBe('passed');
  const [clean] = recordsOf('unawaited: a clean test after it');
  expect(clean).toMatchObject({ pass: true, leak: false });
  expect(heapSlope(clean)).toBeLessThan(LEAK_PER_CALL / 4);
});
