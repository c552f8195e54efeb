// Isolation under real Jest (the preset from dist/): concurrent tests, Promise.all of two assertions, a timed-out
// assertion followed by a clean test, and an assertion the test forgot to await (fixtures/isolation), under Jest 30 and
// Jest 29.7. Each clean assertion passes with its own figures, never the leaky one's ~16 KiB per call; an assertion
// that outlived its test leaves an aborted record and no verdict.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LeakRecord } from '../../src/model';
import type { LeakReport } from '../../reporter/LeakReport';
import { consumerVersion, installConsumer } from '../helpers/packedTarball';

const REPO = path.resolve(__dirname, '../..');
const FIXTURE = path.join(__dirname, 'fixtures', 'isolation');
const WORK = path.join(__dirname, 'artifacts', 'isolation');
/**
 * Jest 29.7, the version the issue was found with (pinned in tests/integration/fixtures/consumer-deps), installed into a
 * copy of the fixture from the npm cache through the lockfile registry.
 */
const JEST_29 = consumerVersion('jest');

interface JestJson {
  testResults: Array<{ assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }> }>;
}

interface FixtureRun {
  statuses: Map<string, { status: string; failure: string }>;
  records: LeakRecord[];
  stderr: string;
  out: string;
  /** The Jest version the report says ran the files. */
  jest: string;
}

/** Retained by the leaky fixtures per call: 2,048 small integers. */
const LEAK_PER_CALL = 16 * 1024;

function exec(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** Runs the fixture project in `root` with the Jest CLI `jestBin`, in band (one process measures every file). */
async function runFixture(jestBin: string, root: string, work: string): Promise<FixtureRun> {
  const out = path.join(work, 'leak-report');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LEAKPROOF_FIXTURE_OUT: out,
    LEAKPROOF_FIXTURE_CACHE: path.join(work, 'cache'),
    LEAKPROOF_FIXTURE_REPO: REPO,
    NO_COLOR: '1',
  };
  for (const k of ['LEAKPROOF_RECORDS_DIR', 'FORCE_COLOR', 'JEST_WORKER_ID', 'GITHUB_ACTIONS', 'GITHUB_STEP_SUMMARY'])
    delete env[k];
  const results = path.join(work, 'results.json');
  const args = [
    jestBin,
    '--config',
    path.join(root, 'jest.config.js'),
    '--rootDir',
    root,
    '--ci',
    '--runInBand',
    '--json',
    `--outputFile=${results}`,
  ];
  const { code, stderr } = await exec(process.execPath, args, REPO, env);
  expect(code).toBe(1); // the leaky tests fail, on purpose
  const json = JSON.parse(fs.readFileSync(results, 'utf8')) as JestJson;
  const statuses = new Map<string, { status: string; failure: string }>();
  for (const f of json.testResults)
    for (const a of f.assertionResults)
      statuses.set(a.fullName, { status: a.status, failure: a.failureMessages.join('\n') });
  const report = JSON.parse(fs.readFileSync(path.join(out, 'leak-report.json'), 'utf8')) as LeakReport;
  return {
    statuses,
    records: report.files.flatMap((f) => f.records),
    stderr,
    out,
    jest: report.environment.jest ?? '',
  };
}

/** A copy of the fixture with Jest 29.7 installed next to it (offline, see installConsumer; no install scripts). */
async function jest29Project(work: string): Promise<string> {
  const root = path.join(work, 'project');
  fs.mkdirSync(root, { recursive: true });
  for (const f of fs.readdirSync(FIXTURE)) fs.copyFileSync(path.join(FIXTURE, f), path.join(root, f));
  fs.writeFileSync(
    path.join(root, 'package.json'),
    JSON.stringify({ name: 'isolation-jest29', private: true, devDependencies: { jest: JEST_29 } }),
  );
  const { code, stderr } = await installConsumer(root);
  if (code !== 0) throw new Error(`npm install jest@${JEST_29} failed:\n${stderr.slice(-2000)}`);
  return root;
}

let runs: FixtureRun[] = [];

beforeAll(async () => {
  for (const p of ['dist/src/jest/environment.js', 'dist/matchers/setup.js', 'dist/reporter/index.js']) {
    if (!fs.existsSync(path.join(REPO, p)))
      throw new Error(`isolation tests need a build (npm run build); missing ${p}`);
  }
  fs.rmSync(WORK, { recursive: true, force: true });
  const work30 = path.join(WORK, 'jest30');
  const work29 = path.join(WORK, 'jest29');
  fs.mkdirSync(work30, { recursive: true });
  fs.mkdirSync(work29, { recursive: true });
  const root29 = await jest29Project(work29);
  // One after the other: each run's verdicts are measured on a machine the other does not load.
  const run30 = await runFixture(path.join(REPO, 'node_modules', '.bin', 'jest'), FIXTURE, work30);
  const run29 = await runFixture(path.join(root29, 'node_modules', '.bin', 'jest'), root29, work29);
  runs = [run30, run29];
}, 360_000);

describe.each([
  ['Jest 30', 0, /^30\./],
  [`Jest ${JEST_29}`, 1, new RegExp(`^${JEST_29.replace(/\./g, '\\.')}$`)],
])('%s', (_name, index, version) => {
  let statuses: FixtureRun['statuses'];
  let records: LeakRecord[];
  let stderr: string;
  let out: string;
  beforeAll(() => {
    ({ statuses, records, stderr, out } = runs[index]);
  });

  test('ran under that Jest', () => {
    expect(runs[index].jest).toMatch(version);
  });

  function recordsOf(testName: string): LeakRecord[] {
    return records.filter((r) => r.testName === testName);
  }

  function heapSlope(r: LeakRecord): number {
    const heap = r.metrics.find((m) => m.metric === 'heap');
    if (!heap) throw new Error(`no heap metric in the record of ${r.testName}`);
    return heap.slope;
  }

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
    expect(clean.error).toMatch(
      /^leakproof: the measurement was aborted .*: the test failed \(.*\)\. No verdict was made; fn is no longer called\.$/,
    );
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
    const calls = JSON.parse(fs.readFileSync(path.join(out, 'timeout-calls.json'), 'utf8')) as {
      before: number;
      after: number;
    };
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
});
