// The reporter under real Jest: the leaky and clean fixture projects in worker mode, in band, with worker threads, and
// with a user's own testRunner (side-channel fallback); every output format's content is checked.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LeakRecord } from '../../src/model';
import type { LeakReport } from '../../reporter/LeakReport';
import {
  assertBuilt,
  assertionLine,
  jestVersion,
  readJsonReport,
  runFixture,
  type FixtureRun,
} from '../helpers/reporterFixture';

// Kept after the run (gitignored) so a failure can be read in the reports themselves.
const work = path.join(__dirname, 'artifacts', 'reporter-jest');
beforeAll(() => {
  assertBuilt();
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
});

function byName(report: LeakReport): Map<string, LeakRecord & { file: string; status: string }> {
  const m = new Map<string, LeakRecord & { file: string; status: string }>();
  for (const f of report.files) for (const r of f.records) m.set(r.testName, { ...r, file: f.path, status: f.status });
  return m;
}

/** What every run of the leaky suite must deliver, whatever the mode: every record, where it came from, its series. */
function checkLeakyDelivery(report: LeakReport): void {
  expect(report.schema).toBe('leakproof-report');
  expect(report.shard).toBeNull();
  expect(report.environment.jest).toBe(jestVersion());
  expect(report.environment.node).toBe(process.version);
  expect(report.environment.gcMethod).not.toBe('unknown');
  expect(report.files.map((f) => [f.path, f.status, f.records.map((r) => r.testName)])).toEqual([
    ['broken.test.js', 'crashed', ['measured before the file broke']],
    ['buffers.test.js', 'failed', ['a cache that never evicts (expected to leak)', 'a buffer pool that leaks']],
    ['objects.test.js', 'failed', ['keeps every parsed object', 'parses and drops JSON']],
  ]);
  expect(report.files[0].failureMessage).toContain('fixture: teardown exploded');
  for (const f of report.files) {
    for (const r of f.records) {
      expect(r.line).toBe(assertionLine('reporter-leaky', f.path, r.testName));
      expect(r.metrics.length).toBeGreaterThan(0);
      for (const m of r.metrics) {
        expect(m.samples.length).toBeGreaterThan(5);
        expect(m.sampleIterations).toHaveLength(m.samples.length);
      }
    }
  }
}

/**
 * The verdicts, checked where each test file has a process of its own. (With --workerThreads, process-wide metrics
 * such as native heap also see the other thread's allocations, so verdicts there are the engine's business.)
 */
function checkLeakyJson(report: LeakReport): void {
  checkLeakyDelivery(report);
  expect(report.summary).toEqual({
    files: 3,
    crashedFiles: 1,
    assertions: 5,
    passed: 3,
    failed: 2,
    leaks: 3,
    errors: 0,
    regressions: 0,
  });

  const r = byName(report);
  const objects = r.get('keeps every parsed object')!;
  expect(objects).toMatchObject({
    pass: false,
    leak: true,
    negated: true,
    warmup: 5,
    line: assertionLine('reporter-leaky', 'objects.test.js', 'keeps every parsed object'),
  });
  // A first window of 60 iterations; the sequential verdict may look once or twice more when the control noise is high.
  expect([60, 120, 240]).toContain(objects.iterations);
  const heap = objects.metrics.find((m) => m.metric === 'heap')!;
  expect(heap.leak).toBe(true);
  // 512 objects of ~40 B each retained per call: far beyond 64 KiB over 60 iterations.
  expect(heap.slope).toBeGreaterThan(8 * 1024);
  expect(heap.samples.length).toBeGreaterThan(5);
  expect(heap.sampleIterations).toHaveLength(heap.samples.length);

  const pool = r.get('a buffer pool that leaks')!;
  expect(pool).toMatchObject({
    pass: false,
    leak: true,
    line: assertionLine('reporter-leaky', 'buffers.test.js', 'a buffer pool that leaks'),
  });
  const external = pool.metrics.find((m) => m.metric === 'external')!;
  expect(external.leak).toBe(true);
  expect(external.slope).toBeGreaterThan(30 * 1024);
  expect(external.slope).toBeLessThan(34 * 1024);

  expect(r.get('a cache that never evicts (expected to leak)')).toMatchObject({
    pass: true,
    leak: true,
    negated: false,
  });
  expect(r.get('parses and drops JSON')).toMatchObject({ pass: true, leak: false });
  expect(r.get('measured before the file broke')).toMatchObject({
    pass: true,
    leak: false,
    file: 'broken.test.js',
    status: 'crashed',
  });
}

function checkLeakyFiles(run: FixtureRun, report: LeakReport): void {
  const junit = fs.readFileSync(path.join(run.out, 'leak-report.junit.xml'), 'utf8');
  expect(junit).toMatch(/<testsuites name="leakproof" tests="6" failures="2" errors="1"/);
  const failing = [...junit.matchAll(/<testcase [^>]*name="([^"]+)"[^>]*>(?:(?!<\/testcase>)[\s\S])*<failure /g)].map(
    (m) => m[1],
  );
  expect(failing.sort()).toEqual(['a buffer pool that leaks', 'keeps every parsed object']);
  expect(junit).toContain('<testcase classname="broken.test.js" name="test file failed to run"');
  const objects = report.files[2].records[0];
  expect(junit).toContain(
    `<testcase classname="objects.test.js" name="keeps every parsed object" file="objects.test.js" line="${objects.line}"`,
  );
  expect(junit).toContain(
    `<property name="heap.slope" value="${objects.metrics.find((m) => m.metric === 'heap')!.slope}"/>`,
  );

  const md = fs.readFileSync(path.join(run.out, 'leak-report.md'), 'utf8');
  expect(md).toContain(
    '❌ **5** assertions · **3** leaking · **2** failed · **1** test file(s) failed to run in 3 file(s)',
  );
  expect(md).toMatch(/\| ❌ leak \| keeps every parsed object \| heap \| \+\d/);
  expect(md).toMatch(/\| ⚠️ leak \(expected\) \| a cache that never evicts \(expected to leak\) \|/);
  expect(md).toContain('- `broken.test.js`: fixture: teardown exploded (1 assertion(s) measured before it stopped)');

  const html = fs.readFileSync(path.join(run.out, 'leak-report.html'), 'utf8');
  const data = JSON.parse(
    /<script type="application\/json" id="leakproof-data">([\s\S]*?)<\/script>/.exec(html)![1],
  ) as { charts: unknown[] };
  const series = report.files.reduce((n, f) => n + f.records.reduce((k, r) => k + r.metrics.length, 0), 0);
  expect(data.charts).toHaveLength(series);

  expect(run.stderr).toContain('Leak summary: 5 assertions, 3 leaking, 2 failed, 1 file failed to run in 3 files');
  expect(run.stderr).toContain('broken.test.js [failed to run]');
}

describe('the reporter under real Jest (leaky fixture)', () => {
  it('worker mode: records reach the reporter from child processes', async () => {
    const run = await runFixture('reporter-leaky', ['--maxWorkers=2'], work, 'workers');
    expect(run.code).toBe(1);
    // Every file ran in a worker, not in the Jest main process.
    expect(Object.keys(run.filePids).sort()).toEqual(['broken.test.js', 'buffers.test.js', 'objects.test.js']);
    for (const pid of Object.values(run.filePids)) expect(pid).not.toBe(run.pid);
    const report = readJsonReport(path.join(run.out, 'leak-report.json'));
    checkLeakyJson(report);
    checkLeakyFiles(run, report);
    expect(fs.readdirSync(run.out).sort()).toEqual([
      'leak-report.html',
      'leak-report.json',
      'leak-report.junit.xml',
      'leak-report.md',
    ]);
  });

  it('in band: the same report from the main process', async () => {
    const run = await runFixture('reporter-leaky', ['--runInBand'], work, 'inband');
    expect(run.code).toBe(1);
    for (const pid of Object.values(run.filePids)) expect(pid).toBe(run.pid);
    const report = readJsonReport(path.join(run.out, 'leak-report.json'));
    checkLeakyJson(report);
    checkLeakyFiles(run, report);
  });

  it("a user's own testRunner: the side-channel fallback delivers the records (child processes)", async () => {
    const run = await runFixture(
      'reporter-leaky',
      ['--maxWorkers=2', '--testRunner=jest-circus/runner'],
      work,
      'fallback',
    );
    expect(run.code).toBe(1);
    for (const pid of Object.values(run.filePids)) expect(pid).not.toBe(run.pid);
    checkLeakyJson(readJsonReport(path.join(run.out, 'leak-report.json')));
  });

  it('worker threads, with the fallback channel too', async () => {
    const run = await runFixture(
      'reporter-leaky',
      ['--maxWorkers=2', '--workerThreads', '--testRunner=jest-circus/runner'],
      work,
      'threads',
    );
    expect(run.code).toBe(1);
    checkLeakyDelivery(readJsonReport(path.join(run.out, 'leak-report.json')));
  });
});

describe('the reporter under real Jest (clean fixture)', () => {
  it('reports a clean run as clean', async () => {
    const run = await runFixture('reporter-clean', ['--maxWorkers=2'], work, 'clean');
    // On failure, show what the detector said (a false positive is the engine's to fix, but must be readable here).
    expect({ code: run.code, output: run.code === 0 ? '' : run.stderr.slice(-4000) }).toEqual({ code: 0, output: '' });
    const report = readJsonReport(path.join(run.out, 'leak-report.json'));
    expect(report.summary).toEqual({
      files: 2,
      crashedFiles: 0,
      assertions: 3,
      passed: 3,
      failed: 0,
      leaks: 0,
      errors: 0,
      regressions: 0,
    });
    expect([...byName(report).keys()].sort()).toEqual(['Buffer churn', 'JSON round trip', 'Map set and delete']);
    const junit = fs.readFileSync(path.join(run.out, 'leak-report.junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites name="leakproof" tests="3" failures="0" errors="0"/);
    expect(junit).not.toContain('<failure');
    expect(fs.readFileSync(path.join(run.out, 'leak-report.md'), 'utf8')).toContain(
      '✅ **3** assertions · **0** leaking · **0** failed in 2 file(s)',
    );
    expect(run.stderr).toContain('Leak summary: 3 assertions, 0 leaking, 0 failed in 2 files');
  });
});

describe('the reporter under real Jest (a worker that dies)', () => {
  it('reports the file whose worker was killed as failed to run, and the other files in full', async () => {
    const run = await runFixture('reporter-crash', ['--maxWorkers=2'], work, 'crash');
    expect(run.code).toBe(1);
    const report = readJsonReport(path.join(run.out, 'leak-report.json'));
    const killed = report.files.find((f) => f.path === 'killed.test.js')!;
    expect(killed.status).toBe('crashed');
    expect(killed.failureMessage).toMatch(/worker process .* was terminated .*SIGKILL/);
    // The matcher saves its records after every assertion, so what was measured before the kill is still reported.
    expect(killed.records.map((r) => r.testName)).toEqual(['measured before the worker died']);
    const survivor = report.files.find((f) => f.path === 'survivor.test.js')!;
    expect(survivor).toMatchObject({ status: 'passed' });
    expect(survivor.records.map((r) => r.testName)).toEqual(['still measured']);
    expect(report.summary).toMatchObject({
      files: 2,
      crashedFiles: 1,
      assertions: survivor.records.length + killed.records.length,
    });
    expect(run.stderr).toContain('killed.test.js [failed to run]');
    expect(fs.readFileSync(path.join(run.out, 'leak-report.junit.xml'), 'utf8')).toContain(
      '<testcase classname="killed.test.js" name="test file failed to run"',
    );
  });
});
