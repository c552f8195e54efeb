import { compareWithBaseline, baselineFromReport, withBaseline } from '../../../reporter/baseline';
import type { FileReport } from '../../../reporter/LeakReport';
import { mdCell, renderMarkdown } from '../../../reporter/markdownSummary';
import { cleanFile, leakyFile, metric, record, sampleReport } from '../../helpers/syntheticRecords';

describe('Markdown summary', () => {
  const md = renderMarkdown(sampleReport());

  it('leads with the verdict and counts', () => {
    const lines = md.split('\n');
    expect(lines[0]).toBe('## leakproof: heap growth');
    expect(lines[2]).toBe('❌ **3** assertions · **1** leaking · **1** failed in 2 file(s)');
  });

  it('lists the worst offender with its location', () => {
    expect(md).toContain(
      '### Worst offenders\n\n- `tests/a.test.ts:12` **cache keeps every request**: heap +500 KiB over 50 iterations (threshold 64.0 KiB)',
    );
  });

  it('names where the leak was allocated when the matcher found the site', () => {
    const f = leakyFile();
    f.records[0] = {
      ...f.records[0],
      allocationSites: [
        {
          functionName: 'remember',
          file: 'src/cache.ts',
          line: 41,
          column: 3,
          bytes: 2048,
          bytesPerIteration: 40.96,
          callers: [],
        },
      ],
    };
    expect(renderMarkdown(sampleReport([f]))).toContain(
      'heap +500 KiB over 50 iterations (threshold 64.0 KiB), allocated in `remember (src/cache.ts:41:3)`',
    );
  });

  it('has a table per file with the figures', () => {
    expect(md).toContain('### `tests/a.test.ts`');
    expect(md).toContain(
      '| ❌ leak | cache keeps every request | heap | +10.0 KiB/iter [9.00 KiB … 11.0 KiB] | +500 KiB | 64.0 KiB | 50 | linear | ▁▂▃▃▄▅▆▆▇█ |',
    );
    expect(md).toContain('| ✅ ok | json round trip | heap |');
  });

  it('ends with the environment', () => {
    expect(md).toMatch(
      /<sub>Node v\d+\.\d+\.\d+ · Jest \d+\.\d+\.\d+ · [a-z0-9]+\/[a-z0-9]+ · GC: v8-flags · leakproof /,
    );
  });

  it('escapes table-breaking test names', () => {
    expect(mdCell('a|b\nc <x>')).toBe('a\\|b c &lt;x&gt;');
    const f: FileReport = {
      path: 'p.test.ts',
      status: 'passed',
      records: [record('pipe | name', [metric('heap', 0)])],
    };
    expect(renderMarkdown(sampleReport([f]))).toContain('| pipe \\| name |');
  });

  it('says so when everything is clean', () => {
    expect(renderMarkdown(sampleReport([cleanFile()])).split('\n')[2]).toBe(
      '✅ **1** assertions · **0** leaking · **0** failed in 1 file(s)',
    );
  });

  it('lists files that failed to run and baseline regressions', () => {
    const crashed: FileReport = {
      ...cleanFile('tests/c.test.ts'),
      status: 'crashed',
      failureMessage: 'SyntaxError: nope\n  at x',
    };
    const before = sampleReport([cleanFile()]);
    const heavier = cleanFile();
    heavier.records[0].metrics[0] = metric('heap', 3000);
    const after = sampleReport([heavier, crashed]);
    const cmp = compareWithBaseline(after, baselineFromReport(before), {
      file: 'leak-baseline.json',
      tolerance: 0.25,
      toleranceBytes: 1024,
    });
    const out = renderMarkdown(withBaseline(after, cmp));
    expect(out).toContain(
      '### Test files that failed to run\n\n- `tests/c.test.ts`: SyntaxError: nope (1 assertion(s) measured before it stopped)',
    );
    expect(out).toContain('### Regressions vs baseline `leak-baseline.json` (tolerance 25%)');
    expect(out).toMatch(
      /\| json round trip \| `tests\/b\.test\.ts` \| heap \| growth \| 50 B \| 146 KiB \| \+1\.00 KiB \|/,
    );
  });

  it('names the shard', () => {
    expect(renderMarkdown(sampleReport([leakyFile()], { index: 2, count: 3 }))).toMatch(
      /^## leakproof: heap growth \(shard 2\/3\)/,
    );
  });
});
