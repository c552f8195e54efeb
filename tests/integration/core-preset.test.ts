// The preset, environment and runner under real Jest: a fixture project run in worker mode, in band, and with the
// runner replaced (records then arrive only through the LEAKPROOF_RECORDS_DIR files).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LeakRecord } from '../../src/model';

const repo = path.resolve(__dirname, '../..');
const fixture = path.join(__dirname, 'fixtures', 'core-preset');
const jestBin = path.join(repo, 'node_modules', 'jest', 'bin', 'jest.js');

interface Captured {
  testFilePath: string;
  leakRecords?: LeakRecord[];
  assertions: Array<{ fullName: string; status: string; leak?: LeakRecord[] }>;
}

interface Run {
  status: number | null;
  pid: number;
  dir: string;
  stderr: string;
  json: {
    numFailedTests: number;
    numPassedTests: number;
    testResults: Array<{
      name: string;
      assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }>;
    }>;
  };
  captured: Captured[];
  recordsFor(spec: string): LeakRecord[] | undefined;
  pids(): number[];
}

function runFixture(extraArgs: string[]): Run {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-core-preset-'));
  for (const f of fs.readdirSync(fixture)) fs.copyFileSync(path.join(fixture, f), path.join(dir, f));
  const out = path.join(dir, 'out');
  const records = path.join(dir, 'records');
  fs.mkdirSync(out);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LEAKPROOF_PRESET_DIR: repo,
    LEAKPROOF_RECORDS_DIR: records,
    CORE_FIXTURE_OUT: out,
    FORCE_COLOR: '0',
  };
  delete env.JEST_WORKER_ID;
  const args = [
    jestBin,
    '--config',
    path.join(dir, 'jest.config.js'),
    '--json',
    '--outputFile',
    path.join(out, 'result.json'),
    '--cacheDirectory',
    path.join(dir, 'cache'),
    ...extraArgs,
  ];
  const child = spawnSync(process.execPath, args, { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
  return {
    status: child.status,
    pid: child.pid ?? -1,
    dir,
    stderr: child.stderr,
    json: JSON.parse(fs.readFileSync(path.join(out, 'result.json'), 'utf8')),
    captured: JSON.parse(fs.readFileSync(path.join(out, 'capture.json'), 'utf8')) as Captured[],
    recordsFor(spec: string) {
      const file = path.join(records, `${createHash('sha1').update(path.join(dir, spec)).digest('hex')}.json`);
      return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as LeakRecord[]) : undefined;
    },
    pids() {
      return fs
        .readdirSync(out)
        .filter((f) => f.startsWith('pid-'))
        .map((f) => Number(f.split('-')[2]));
    },
  };
}

function checkVerdicts(run: Run): void {
  expect(run.json.numFailedTests).toBe(1);
  expect(run.json.numPassedTests).toBe(4);
  const leaky = run.json.testResults.find((r) => r.name.endsWith('leaky.spec.js'))!;
  const failed = leaky.assertionResults.find((a) => a.status === 'failed')!;
  expect(failed.fullName).toBe('buffers kept forever');
  expect(failed.failureMessages[0]).toMatch(
    /expect\(received\)\.not\.toLeakMemory\(threshold\)[\s\S]*external grew \+200(\.0)? KiB/,
  );
  expect(run.status).toBe(1);
}

function checkRecordFiles(run: Run): void {
  const leaky = run.recordsFor('leaky.spec.js')!;
  expect(leaky.map((r) => [r.testName, r.line, r.pass, r.leak])).toEqual([
    ['buffers kept forever', 15, false, true],
    ['json is clean', 19, true, false],
  ]);
  expect(leaky[0].testPath).toBe(path.join(run.dir, 'leaky.spec.js'));
  const clean = run.recordsFor('clean.spec.js')!;
  expect(clean.map((r) => [r.testName, r.negated, r.pass, r.leak])).toEqual([
    ['suite map churn is clean', true, true, false],
    ['suite positive form passes on a leak', false, true, true],
  ]);
}

describe('leakproof preset under real Jest', () => {
  test('worker mode: two worker processes, records attached by the runner and written to the records dir', () => {
    const run = runFixture(['--maxWorkers=2']);
    checkVerdicts(run);
    const pids = run.pids();
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(pid).not.toBe(run.pid);
    checkRecordFiles(run);
    const leakyFile = run.captured.find((c) => c.testFilePath.endsWith('leaky.spec.js'))!;
    expect(leakyFile.leakRecords).toHaveLength(2);
    const byName = Object.fromEntries(leakyFile.assertions.map((a) => [a.fullName, a.leak]));
    expect(byName['gc is available without flags']).toBeUndefined();
    expect(byName['buffers kept forever']).toEqual([
      expect.objectContaining({ testName: 'buffers kept forever', leak: true, line: 15 }),
    ]);
    // Every sample reaches the record: the baseline plus 20 per look (the sequential verdict may take more than one).
    // A metric decided clean before the run's last look keeps the series it was decided on (decidedAt iterations).
    const clean = byName['json is clean']![0];
    const heap = clean.metrics.find((m) => m.metric === 'heap')!;
    const first = clean.horizon?.firstWindow ?? 200;
    const looks = heap.decidedAt !== undefined ? Math.log2(heap.decidedAt / first) + 1 : (clean.horizon?.looks ?? 1);
    expect(heap.samples).toHaveLength(1 + 20 * looks);
  });

  test('in band: the same verdicts and records in the Jest process itself', () => {
    const run = runFixture(['--runInBand']);
    checkVerdicts(run);
    expect(run.pids()).toEqual([run.pid, run.pid]);
    checkRecordFiles(run);
    // The control run is paid once per process, by its first assertion, not once per test file.
    const all = [...run.recordsFor('leaky.spec.js')!, ...run.recordsFor('clean.spec.js')!];
    expect(all.filter((r) => (r.calibrationMs ?? 0) > 0)).toHaveLength(1);
    expect(run.captured.every((c) => Array.isArray(c.leakRecords) && c.leakRecords.length === 2)).toBe(true);
  });

  test('runner replaced by plain jest-circus: the environment still writes the records files', () => {
    const run = runFixture(['--runInBand', '--testRunner', require.resolve('jest-circus/runner')]);
    checkVerdicts(run);
    expect(run.captured.every((c) => c.leakRecords === undefined)).toBe(true);
    checkRecordFiles(run);
  });

  test.each([
    ['preset by package name', { preset: 'leakproof' }],
    [
      'pieces by package subpath',
      {
        testEnvironment: 'leakproof/environment',
        testRunner: 'leakproof/runner',
        setupFilesAfterEnv: ['leakproof/setup'],
        reporters: ['default', 'leakproof/reporter'],
        // Without the preset, Jest's 5 s default applies; leak assertions need more on a loaded machine.
        testTimeout: 60_000,
      },
    ],
  ])('a consumer project resolves the %s (package exports)', (_name, config) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-core-consumer-'));
    fs.mkdirSync(path.join(dir, 'node_modules'));
    // A symlink is enough to exercise name resolution through package.json "exports"; the npm-pack test covers installs.
    fs.symlinkSync(repo, path.join(dir, 'node_modules', 'leakproof'));
    fs.writeFileSync(
      path.join(dir, 'jest.config.js'),
      `module.exports = ${JSON.stringify({ ...config, testMatch: ['<rootDir>/*.spec.js'], transform: {} })};`,
    );
    fs.writeFileSync(
      path.join(dir, 'consumer.spec.js'),
      [
        "test('gc and the matcher are there', async () => {",
        "  expect(typeof gc).toBe('function');",
        '  const kept = [];',
        '  await expect(() => void kept.push(Buffer.alloc(8192))).toLeakMemory({ iterations: 20 });',
        '  await expect(() => JSON.stringify({ a: 1 })).not.toLeakMemory({ iterations: 20 });',
        '});',
      ].join('\n'),
    );
    const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
    delete env.JEST_WORKER_ID;
    const child = spawnSync(
      process.execPath,
      [jestBin, '--config', path.join(dir, 'jest.config.js'), '--cacheDirectory', path.join(dir, 'cache')],
      {
        cwd: dir,
        env,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(child.stderr).toMatch(/Tests:\s+1 passed, 1 total/);
    expect(child.status).toBe(0);
  });
});
