import {
  assertionKeys,
  baselineFromReport,
  compareWithBaseline,
  parseBaseline,
  renderBaseline,
  updateBaseline,
} from '../../../reporter/baseline';
import type { FileReport } from '../../../reporter/LeakReport';
import { cleanFile, leakyFile, metric, record, sampleReport } from '../../helpers/syntheticRecords';

const opts = { file: 'leak-baseline.json', tolerance: 0.25, toleranceBytes: 1024 };

describe('baseline', () => {
  it('keys repeated assertions of one test by occurrence', () => {
    const rs = [record('t', []), record('u', []), record('t', [])];
    expect(assertionKeys('f.ts', rs)).toEqual(['f.ts::t::0', 'f.ts::u::0', 'f.ts::t::1']);
  });

  it('stores growth and peak per metric, and skips assertions that threw', () => {
    const threw: FileReport = {
      path: 'e.test.ts',
      status: 'failed',
      records: [record('throws', [], { error: 'x', pass: false })],
    };
    const b = baselineFromReport(sampleReport([leakyFile(), threw]));
    expect(Object.keys(b.entries)).toEqual([
      'tests/a.test.ts::cache keeps every request::0',
      'tests/a.test.ts::parser is clean::0',
    ]);
    expect(b.entries['tests/a.test.ts::cache keeps every request::0'].metrics.heap).toEqual({
      unit: 'bytes',
      growth: 512000,
      peak: 460800,
    });
    expect(parseBaseline(renderBaseline(b), 'b.json')).toEqual(b);
  });

  it('finds no regression when nothing changed', () => {
    const r = sampleReport();
    const cmp = compareWithBaseline(r, baselineFromReport(r), opts);
    expect(cmp).toEqual({
      file: 'leak-baseline.json',
      tolerance: 0.25,
      compared: 3,
      added: [],
      missing: [],
      regressions: [],
    });
  });

  it('flags growth beyond the tolerance even under the threshold, but not within it', () => {
    const before = sampleReport([cleanFile()]); // heap slope 1 → growth 50 B, peak 45 B
    const within = cleanFile();
    within.records[0].metrics[0] = metric('heap', 20); // growth 1000 B: rise 950 < floor 1024
    expect(compareWithBaseline(sampleReport([within]), baselineFromReport(before), opts).regressions).toEqual([]);
    const beyond = cleanFile();
    beyond.records[0].metrics[0] = metric('heap', 40); // growth 2000 B, still far under the 64 KiB threshold
    expect(beyond.records[0].metrics[0].leak).toBe(false);
    const regs = compareWithBaseline(sampleReport([beyond]), baselineFromReport(before), opts).regressions;
    expect(regs.map((g) => [g.metric, g.figure, g.baseline, g.current, g.allowed])).toEqual([
      ['heap', 'growth', 50, 2000, 1024],
      ['heap', 'peak', 45, 1800, 1024],
    ]);
  });

  it('uses the relative tolerance for large baselines', () => {
    const before = sampleReport([leakyFile()]); // growth 512000
    const after = leakyFile();
    after.records[0].metrics[0] = metric('heap', 12 * 1024); // growth 614400: +20% < 25%
    expect(compareWithBaseline(sampleReport([after]), baselineFromReport(before), opts).regressions).toEqual([]);
    after.records[0].metrics[0] = metric('heap', 13 * 1024); // +30%
    const regs = compareWithBaseline(sampleReport([after]), baselineFromReport(before), opts).regressions;
    expect(regs.find((g) => g.figure === 'growth')).toMatchObject({
      baseline: 512000,
      current: 665600,
      allowed: 128000,
    });
  });

  it('uses a count floor of 1 for handles and fds', () => {
    const mk = (slope: number): FileReport => ({
      path: 'h.test.ts',
      status: 'passed',
      records: [record('handles', [metric('handles', slope, { threshold: 10 })])],
    });
    const before = baselineFromReport(sampleReport([mk(0)]));
    expect(compareWithBaseline(sampleReport([mk(0.02)]), before, opts).regressions).toEqual([]); // growth 1
    expect(compareWithBaseline(sampleReport([mk(0.1)]), before, opts).regressions.map((g) => g.figure)).toEqual([
      'growth',
      'peak',
    ]); // growth 5
  });

  it('lists new assertions and baseline entries that did not run', () => {
    const cmp = compareWithBaseline(sampleReport([cleanFile()]), baselineFromReport(sampleReport([leakyFile()])), opts);
    expect(cmp.added).toEqual(['tests/b.test.ts::json round trip::0']);
    expect(cmp.missing).toEqual([
      'tests/a.test.ts::cache keeps every request::0',
      'tests/a.test.ts::parser is clean::0',
    ]);
  });

  it('update replaces what ran and keeps the rest unless pruning', () => {
    const old = baselineFromReport(sampleReport([leakyFile(), cleanFile()]));
    const changed = cleanFile();
    changed.records[0].metrics[0] = metric('heap', 7);
    const upd = updateBaseline(old, sampleReport([changed]));
    expect(Object.keys(upd.entries)).toHaveLength(3);
    expect(upd.entries['tests/b.test.ts::json round trip::0'].metrics.heap.growth).toBe(350);
    expect(upd.entries['tests/a.test.ts::parser is clean::0']).toEqual(
      old.entries['tests/a.test.ts::parser is clean::0'],
    );
    expect(Object.keys(updateBaseline(old, sampleReport([changed]), true).entries)).toEqual([
      'tests/b.test.ts::json round trip::0',
    ]);
  });

  it.each([
    ['{', /not valid JSON/],
    ['{"schema":"leakproof-report","schemaVersion":1}', /not a leakproof-baseline v1 file/],
    [
      '{"schema":"leakproof-baseline","schemaVersion":1,"entries":{"k":{"metrics":{"heap":{"growth":"big"}}}}}',
      /entry k metric heap lacks numeric growth\/peak/,
    ],
  ])('rejects a bad baseline file %#', (text, message) => {
    expect(() => parseBaseline(text, 'b.json')).toThrow(
      expect.objectContaining({ code: 'ERR_BASELINE_PARSE', message: expect.stringMatching(message) }),
    );
  });
});
