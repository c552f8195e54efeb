import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../src/cli/main';
import { baselineFromReport, readBaselineFile, renderBaseline } from '../../../reporter/baseline';
import { renderJson } from '../../../reporter/jsonReport';
import { cleanFile, leakyFile, metric, sampleReport } from '../../helpers/syntheticRecords';

let dir: string;
let out: string[];
let err: string[];
let spies: jest.SpyInstance[];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lp-cli-'));
  out = [];
  err = [];
  spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true)),
    jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (err.push(String(s)), true)),
  ];
});
afterEach(() => {
  spies.forEach((s) => s.mockRestore());
  fs.rmSync(dir, { recursive: true, force: true });
  process.exitCode = undefined;
});

const run = (...args: string[]) => main(['node', 'leakproof', ...args]);

function writeShards(clean = false): string {
  const reports = clean ? [cleanFile('tests/x.test.ts'), cleanFile()] : [leakyFile(), cleanFile()];
  const shards = path.join(dir, 'leak-report');
  fs.mkdirSync(shards);
  reports.forEach((f, i) =>
    fs.writeFileSync(
      path.join(shards, `shard-${i + 1}-of-2.json`),
      renderJson(sampleReport([f], { index: i + 1, count: 2 })),
    ),
  );
  return shards;
}

describe('leakproof merge', () => {
  it('renders the combined outputs and exits 1 on a leak', async () => {
    const shards = writeShards();
    expect(await run('merge', shards, '--no-github')).toBe(1);
    expect(fs.readdirSync(shards).sort()).toEqual([
      'leak-report.html',
      'leak-report.json',
      'leak-report.junit.xml',
      'leak-report.md',
      'shard-1-of-2.json',
      'shard-2-of-2.json',
    ]);
    const merged = JSON.parse(fs.readFileSync(path.join(shards, 'leak-report.json'), 'utf8'));
    expect(merged.mergedFrom).toBe(2);
    expect(merged.summary).toMatchObject({ files: 2, assertions: 3, leaks: 1, failed: 1 });
    const text = out.join('');
    expect(text).toContain('Leak summary: 3 assertions, 1 leaking, 1 failed in 2 files');
    expect(text).toContain('merged 2 shard(s)');
  });

  it('exits 0 on a clean run and writes only the requested formats to --out', async () => {
    const shards = writeShards(true);
    const target = path.join(dir, 'merged');
    expect(await run('merge', shards, '--out', target, '--formats', 'json,markdown', '--no-github')).toBe(0);
    expect(fs.readdirSync(target).sort()).toEqual(['leak-report.json', 'leak-report.md']);
  });

  it('exits 3 naming a missing shard, and writes nothing', async () => {
    const shards = writeShards();
    fs.rmSync(path.join(shards, 'shard-2-of-2.json'));
    expect(await run('merge', shards)).toBe(3);
    expect(err.join('')).toContain('missing shard report(s) 2/2');
    expect(fs.readdirSync(shards)).toEqual(['shard-1-of-2.json']);
  });

  it('exits 2 on a bad option value', async () => {
    const shards = writeShards();
    expect(await run('merge', shards, '--formats', 'pdf')).toBe(2);
    expect(err.join('')).toContain('"formats"');
  });

  it('compares with a baseline and, with --fail-on-regression, fails a run that only regressed', async () => {
    const shards = writeShards(true);
    const base = cleanFile();
    base.records[0].metrics[0] = metric('heap', 0);
    const baseFile = path.join(dir, 'leak-baseline.json');
    fs.writeFileSync(baseFile, renderBaseline(baselineFromReport(sampleReport([base]))));
    expect(await run('merge', shards, '--baseline', baseFile, '--tolerance-bytes', '10', '--no-github')).toBe(0);
    // Growth 50 B and peak 45 B against a flat baseline, with a 10 B floor: both figures regress; exit stays 0 (flag only).
    expect(out.join('')).toContain(
      'Leak summary: 2 assertions, 0 leaking, 0 failed, 2 regressions vs baseline in 2 files',
    );
    out.length = 0;
    expect(
      await run(
        'merge',
        shards,
        '--baseline',
        baseFile,
        '--tolerance-bytes',
        '10',
        '--fail-on-regression',
        '--no-github',
      ),
    ).toBe(1);
  });

  it('goes on without comparison when the baseline file does not exist yet (first CI run)', async () => {
    const shards = writeShards(true);
    expect(await run('merge', shards, '--baseline', path.join(dir, 'none.json'), '--no-github')).toBe(0);
    const merged = JSON.parse(fs.readFileSync(path.join(shards, 'leak-report.json'), 'utf8'));
    expect(merged.baseline).toBeUndefined();
    expect(merged.problems).toEqual([expect.stringContaining('none.json not found: no comparison made')]);
  });

  it('exits 2 on a corrupt baseline', async () => {
    const shards = writeShards(true);
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"schema":"nope"}');
    expect(await run('merge', shards, '--baseline', path.join(dir, 'bad.json'))).toBe(2);
    expect(err.join('')).toContain('ERR_BASELINE_PARSE');
  });

  it('appends the job summary under --github, and annotations only with --annotations', async () => {
    const shards = writeShards();
    const summary = path.join(dir, 'step-summary.md');
    const saved = { s: process.env.GITHUB_STEP_SUMMARY, w: process.env.GITHUB_WORKSPACE };
    process.env.GITHUB_STEP_SUMMARY = summary;
    process.env.GITHUB_WORKSPACE = '/project';
    try {
      expect(await run('merge', shards, '--github', '--silent')).toBe(1);
      expect(out.join('')).not.toContain('::error');
      expect(await run('merge', shards, '--github', '--annotations', '--silent')).toBe(1);
    } finally {
      if (saved.s === undefined) delete process.env.GITHUB_STEP_SUMMARY;
      else process.env.GITHUB_STEP_SUMMARY = saved.s;
      if (saved.w === undefined) delete process.env.GITHUB_WORKSPACE;
      else process.env.GITHUB_WORKSPACE = saved.w;
    }
    expect(out.join('')).toContain(
      '::error file=tests/a.test.ts,line=12,col=5,title=leakproof::cache keeps every request: memory leak',
    );
    expect(fs.readFileSync(summary, 'utf8')).toMatch(/^## leakproof: heap growth \(2 shards merged\)/);
  });
});

describe('leakproof baseline', () => {
  function writeReport(report = sampleReport()): string {
    const file = path.join(dir, 'leak-report.json');
    fs.writeFileSync(file, renderJson(report));
    return file;
  }

  it('save writes every assertion with growth and peak', async () => {
    const report = writeReport();
    const file = path.join(dir, 'b.json');
    expect(await run('baseline', 'save', file, '--report', report)).toBe(0);
    const b = readBaselineFile(file);
    expect(Object.keys(b.entries)).toHaveLength(3);
    expect(b.entries['tests/a.test.ts::cache keeps every request::0'].metrics.heap.growth).toBe(512000);
    expect(out.join('')).toContain('saved 3 assertion(s)');
  });

  it('update replaces what ran, keeps the rest', async () => {
    const file = path.join(dir, 'b.json');
    expect(await run('baseline', 'save', file, '--report', writeReport())).toBe(0);
    const changed = cleanFile();
    changed.records[0].metrics[0] = metric('heap', 9);
    expect(await run('baseline', 'update', file, '--report', writeReport(sampleReport([changed])))).toBe(0);
    const b = readBaselineFile(file);
    expect(Object.keys(b.entries)).toHaveLength(3);
    expect(b.entries['tests/b.test.ts::json round trip::0'].metrics.heap.growth).toBe(450);
    expect(await run('baseline', 'update', file, '--prune', '--report', writeReport(sampleReport([changed])))).toBe(0);
    expect(Object.keys(readBaselineFile(file).entries)).toEqual(['tests/b.test.ts::json round trip::0']);
  });

  it('update refuses a missing baseline; save refuses a shard report and a missing report', async () => {
    expect(await run('baseline', 'update', path.join(dir, 'none.json'), '--report', writeReport())).toBe(2);
    expect(err.join('')).toContain('does not exist');
    expect(
      await run(
        'baseline',
        'save',
        path.join(dir, 'b.json'),
        '--report',
        writeReport(sampleReport(undefined, { index: 1, count: 2 })),
      ),
    ).toBe(2);
    expect(err.join('')).toContain('run `leakproof merge` first');
    expect(await run('baseline', 'save', path.join(dir, 'b.json'), '--report', path.join(dir, 'missing.json'))).toBe(2);
    expect(err.join('')).toContain('ERR_REPORT_PARSE');
  });
});
