// Sharded runs: the leaky fixture run as --shard=1/2 and 2/2 into one folder, then `leakproof merge` and the baseline verbs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LeakReport } from '../../reporter/LeakReport';
import { assertBuilt, readJsonReport, runCli, runFixture } from '../helpers/reporterFixture';

const work = path.join(__dirname, 'artifacts', 'reporter-shards');
const out = path.join(work, 'leak-report');
let shards: LeakReport[];

beforeAll(async () => {
  assertBuilt();
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const runs = [];
  // One after the other: the machine is shared, and CI matrices run them on separate machines anyway.
  for (const i of [1, 2])
    runs.push(await runFixture('reporter-leaky', [`--shard=${i}/2`, '--maxWorkers=2'], work, `shard${i}`, out));
  for (const r of runs) expect(r.stderr).toContain('partial');
  shards = [1, 2].map((i) => readJsonReport(path.join(out, `shard-${i}-of-2.json`)));
});

describe('jest --shard with the leakproof reporter', () => {
  it('writes one shard file per shard and nothing else', () => {
    expect(fs.readdirSync(out).sort()).toEqual(['shard-1-of-2.json', 'shard-2-of-2.json']);
    expect(shards.map((s) => s.shard)).toEqual([
      { index: 1, count: 2 },
      { index: 2, count: 2 },
    ]);
  });

  it('splits the test files between the shards without overlap', () => {
    const [a, b] = shards.map((s) => s.files.map((f) => f.path));
    expect(a.filter((p) => b.includes(p))).toEqual([]);
    expect([...a, ...b].sort()).toEqual(['broken.test.js', 'buffers.test.js', 'objects.test.js']);
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
  });
});

describe('leakproof merge', () => {
  it('combines both shards into every format and exits 1 because of the leaks', async () => {
    const res = await runCli(['merge', out, '--no-github']);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('merged 2 shard(s)');
    expect(res.stdout).toContain('Leak summary: 5 assertions, 3 leaking, 2 failed, 1 file failed to run in 3 files');
    const merged = readJsonReport(path.join(out, 'leak-report.json'));
    expect(merged.mergedFrom).toBe(2);
    expect(merged.shard).toBeNull();
    expect(merged.summary).toEqual({
      files: 3,
      crashedFiles: 1,
      assertions: 5,
      passed: 3,
      failed: 2,
      leaks: 3,
      errors: 0,
      regressions: 0,
    });
    // Every record of every shard is in the merge, unchanged.
    const fromShards = shards.flatMap((s) => s.files).sort((x, y) => x.path.localeCompare(y.path));
    expect(merged.files).toEqual(fromShards);
    const junit = fs.readFileSync(path.join(out, 'leak-report.junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites name="leakproof" tests="6" failures="2" errors="1"/);
    expect(fs.readFileSync(path.join(out, 'leak-report.md'), 'utf8')).toMatch(
      /^## leakproof: heap growth \(2 shards merged\)/,
    );
    const html = fs.readFileSync(path.join(out, 'leak-report.html'), 'utf8');
    expect(html).toContain('<title>leakproof report (2 shards merged)</title>');
  });

  it('stores a baseline from the merged report and finds no regression against it', async () => {
    const baseline = path.join(work, 'leak-baseline.json');
    const saved = await runCli(['baseline', 'save', baseline, '--report', path.join(out, 'leak-report.json')]);
    expect(saved.code).toBe(0);
    expect(saved.stdout).toContain('saved 5 assertion(s)');
    const res = await runCli([
      'merge',
      out,
      '--no-github',
      '--baseline',
      baseline,
      '--fail-on-regression',
      '--formats',
      'json',
    ]);
    expect(res.code).toBe(1); // the leaks still fail the run; the baseline adds nothing
    const merged = readJsonReport(path.join(out, 'leak-report.json'));
    expect(merged.baseline).toMatchObject({ compared: 5, added: [], missing: [], regressions: [] });
  });

  it('exits 3 and names the shard when one is missing', async () => {
    fs.rmSync(path.join(out, 'shard-2-of-2.json'));
    const res = await runCli(['merge', out]);
    expect(res.code).toBe(3);
    expect(res.stderr).toContain('missing shard report(s) 2/2');
  });
});
