import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderJson } from '../../../reporter/jsonReport';
import type { LeakReport } from '../../../reporter/LeakReport';
import { findShardFiles, mergeShardFolder, mergeShardReports } from '../../../reporter/mergeReports';
import { cleanFile, leakyFile, sampleReport } from '../../helpers/syntheticRecords';

function shard(
  index: number,
  count: number,
  files = index === 1 ? [leakyFile()] : [cleanFile(`tests/s${index}.test.ts`)],
): LeakReport {
  return sampleReport(files, { index, count });
}

describe('mergeShardReports', () => {
  it('combines all shards: files, summary, no shard marker', () => {
    const merged = mergeShardReports([
      { source: 'shard-2-of-2.json', report: shard(2, 2) },
      { source: 'shard-1-of-2.json', report: shard(1, 2) },
    ]);
    expect(merged.shard).toBeNull();
    expect(merged.mergedFrom).toBe(2);
    expect(merged.files.map((f) => f.path)).toEqual(['tests/a.test.ts', 'tests/s2.test.ts']);
    expect(merged.summary).toEqual({
      files: 2,
      crashedFiles: 0,
      assertions: 3,
      passed: 2,
      failed: 1,
      leaks: 1,
      errors: 0,
      regressions: 0,
    });
  });

  it('refuses a missing shard, naming it', () => {
    expect(() =>
      mergeShardReports([
        { source: 'shard-1-of-3.json', report: shard(1, 3) },
        { source: 'shard-3-of-3.json', report: shard(3, 3) },
      ]),
    ).toThrow(
      expect.objectContaining({
        code: 'ERR_SHARD_MISSING',
        message: expect.stringContaining('missing shard report(s) 2/3 (found 1/3, 3/3)'),
      }),
    );
  });

  it.each([
    ['different counts', () => [shard(1, 2), shard(2, 3)], /disagree on the shard count/],
    [
      'a duplicate index',
      () => [shard(1, 2), shard(1, 2, [cleanFile('x.test.ts')]), shard(2, 2)],
      /shard 1\/2 appears twice/,
    ],
    ['an index beyond the count', () => [shard(1, 1), shard(2, 1, [cleanFile('y.test.ts')])], /claims shard 2 of 1/],
    ['a non-shard report', () => [sampleReport()], /not a shard report/],
    [
      'one file in two shards',
      () => [shard(1, 2), shard(2, 2, [leakyFile()])],
      /tests\/a\.test\.ts appears in two shards/,
    ],
    [
      'different Node versions',
      () => {
        const b = shard(2, 2);
        b.environment = { ...b.environment, node: 'v18.0.0' };
        return [shard(1, 2), b];
      },
      /different environments: .* node v\d+.*, .* has node v18\.0\.0/,
    ],
  ])('refuses %s as inconsistent', (_what, make, message) => {
    const reports = make().map((report, i) => ({ source: `s${i}.json`, report }));
    expect(() => mergeShardReports(reports)).toThrow(
      expect.objectContaining({ code: 'ERR_SHARD_INCONSISTENT', message: expect.stringMatching(message) }),
    );
  });

  it("keeps each shard's problems, prefixed", () => {
    const a = shard(1, 2);
    a.problems = ['x.json is not valid JSON'];
    expect(
      mergeShardReports([
        { source: 'a', report: a },
        { source: 'b', report: shard(2, 2) },
      ]).problems,
    ).toEqual(['shard 1/2: x.json is not valid JSON']);
  });
});

describe('mergeShardFolder', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lp-merge-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads shard-i-of-n.json files and ignores other files', () => {
    fs.writeFileSync(path.join(dir, 'shard-1-of-2.json'), renderJson(shard(1, 2)));
    fs.writeFileSync(path.join(dir, 'shard-2-of-2.json'), renderJson(shard(2, 2)));
    fs.writeFileSync(path.join(dir, 'leak-report.json'), '{}');
    expect(findShardFiles(dir).map((f) => [f.index, f.count])).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect(mergeShardFolder(dir).summary.assertions).toBe(3);
  });

  it('finds shard files one folder down (one artefact folder per shard) and refuses the same shard twice', () => {
    for (const i of [1, 2]) {
      fs.mkdirSync(path.join(dir, `leak-shard-${i}`));
      fs.writeFileSync(path.join(dir, `leak-shard-${i}`, `shard-${i}-of-2.json`), renderJson(shard(i, 2)));
    }
    expect(mergeShardFolder(dir).summary.assertions).toBe(3);
    fs.writeFileSync(path.join(dir, 'shard-2-of-2.json'), renderJson(shard(2, 2)));
    expect(() => mergeShardFolder(dir)).toThrow(
      expect.objectContaining({
        code: 'ERR_SHARD_INCONSISTENT',
        message: expect.stringContaining('shard 2/2 appears twice'),
      }),
    );
  });

  it('refuses a file whose name and content disagree', () => {
    fs.writeFileSync(path.join(dir, 'shard-1-of-2.json'), renderJson(shard(2, 2)));
    expect(() => mergeShardFolder(dir)).toThrow(
      expect.objectContaining({
        code: 'ERR_SHARD_INCONSISTENT',
        message: expect.stringContaining('named shard 1/2 but contains 2/2'),
      }),
    );
  });

  it('refuses an empty folder and a missing one', () => {
    expect(() => mergeShardFolder(dir)).toThrow(expect.objectContaining({ code: 'ERR_NO_REPORTS' }));
    expect(() => mergeShardFolder(path.join(dir, 'nope'))).toThrow(
      expect.objectContaining({ code: 'ERR_NO_REPORTS', message: expect.stringContaining('ENOENT') }),
    );
  });

  it('refuses a corrupt shard file', () => {
    fs.writeFileSync(path.join(dir, 'shard-1-of-1.json'), '{"schema": "leakproof-report", "schemaVersion": 1, ');
    expect(() => mergeShardFolder(dir)).toThrow(expect.objectContaining({ code: 'ERR_REPORT_PARSE' }));
  });
});
