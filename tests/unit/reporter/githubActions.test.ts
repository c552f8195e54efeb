import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { appendStepSummary, githubAnnotations } from '../../../reporter/githubActions';
import type { FileReport } from '../../../reporter/LeakReport';
import { baselineFromReport, compareWithBaseline, withBaseline } from '../../../reporter/baseline';
import { cleanFile, leakyFile, metric, record, sampleReport } from '../../helpers/syntheticRecords';

describe('githubAnnotations', () => {
  it('emits one ::error per failing assertion at its line, relative to the workspace', () => {
    const lines = githubAnnotations(sampleReport(), '/project');
    expect(lines).toEqual([
      '::error file=tests/a.test.ts,line=12,col=5,title=leakproof::cache keeps every request: memory leak: heap +500 KiB over 50 iterations (threshold 64.0 KiB)',
    ]);
  });

  it('falls back to the report path outside the workspace and escapes data and properties', () => {
    const f: FileReport = {
      path: 'we,ird:name.test.ts',
      status: 'failed',
      records: [
        record('100% bad\nreally', [], {
          error: 'x',
          pass: false,
          testPath: '/elsewhere/we,ird:name.test.ts',
          line: undefined,
          column: undefined,
        }),
      ],
    };
    const [line] = githubAnnotations(sampleReport([f]), '/project');
    expect(line).toBe('::error file=we%2Cird%3Aname.test.ts,title=leakproof::100%25 bad%0Areally: fn threw: x');
  });

  it('flags a file that failed to run and a positive-form assertion that found no leak', () => {
    const crashed: FileReport = { ...cleanFile('tests/c.test.ts'), status: 'crashed', failureMessage: 'worker exited' };
    const f: FileReport = {
      path: 'tests/p.test.ts',
      status: 'failed',
      records: [
        record('should leak', [metric('heap', 1)], {
          negated: false,
          testPath: '/project/tests/p.test.ts',
          line: 3,
          column: undefined,
        }),
      ],
    };
    const lines = githubAnnotations(sampleReport([crashed, f]), '/project');
    expect(lines).toContain('::error file=tests/c.test.ts,title=leakproof%3A test file failed to run::worker exited');
    expect(lines).toContain(
      '::error file=tests/p.test.ts,line=3,title=leakproof::should leak: expected a leak, none found beyond the threshold',
    );
  });

  it('warns about baseline regressions', () => {
    const heavier = leakyFile();
    const before = sampleReport([leakyFile()]);
    heavier.records[1].metrics[0] = metric('heap', 4000);
    const after = sampleReport([heavier]);
    const report = withBaseline(
      after,
      compareWithBaseline(after, baselineFromReport(before), { file: 'b.json', tolerance: 0.1, toleranceBytes: 1024 }),
    );
    const warnings = githubAnnotations(report, '/project').filter((l) => l.startsWith('::warning'));
    expect(warnings).toEqual([
      '::warning file=tests/a.test.ts,line=20,title=leakproof%3A regression vs baseline::parser is clean: heap growth 100 B -> 195 KiB (allowed +1.00 KiB)',
      '::warning file=tests/a.test.ts,line=20,title=leakproof%3A regression vs baseline::parser is clean: heap peak 90 B -> 176 KiB (allowed +1.00 KiB)',
    ]);
  });
});

describe('appendStepSummary', () => {
  it('appends to the file named by GITHUB_STEP_SUMMARY and does nothing without it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lp-gh-'));
    const file = path.join(dir, 'summary.md');
    fs.writeFileSync(file, '# earlier step\n');
    expect(appendStepSummary('## ours', { GITHUB_STEP_SUMMARY: file })).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe('# earlier step\n## ours\n');
    expect(appendStepSummary('## ours', {})).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
