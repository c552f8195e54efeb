import { renderTerminal, shouldColor } from '../../../reporter/terminalTable';
import { renderMarkdown } from '../../../reporter/markdownSummary';
import { renderHtml } from '../../../reporter/htmlReport';
import { record, metric, sampleReport, leakyFile } from '../../helpers/syntheticRecords';
import type { FileReport } from '../../../reporter/LeakReport';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

describe('renderTerminal', () => {
  const report = sampleReport();
  const text = renderTerminal(report, { color: false });

  it('has one table per file with a row per assertion and metric that matters', () => {
    expect(text).toContain('tests/a.test.ts');
    expect(text).toContain('tests/b.test.ts');
    const leakRow = text.split('\n').find((l) => l.includes('cache keeps every request'))!;
    expect(leakRow).toContain('heap');
    expect(leakRow).toContain('+10.0 KiB/iter');
    expect(leakRow).toContain('+500 KiB');
    expect(leakRow).toContain('64.0 KiB');
    expect(leakRow).toContain('linear');
    expect(leakRow).toContain('LEAK');
    expect(leakRow).toContain('▁▂▃▃▄▅▆▆▇█');
    // The non-leaking native metric of the leaking assertion is not a row that matters.
    expect(text).not.toMatch(/cache keeps every request[^\n]*native/);
    const cleanRow = text.split('\n').find((l) => l.includes('parser is clean'))!;
    expect(cleanRow).toContain('ok');
  });

  it('summarizes the run with the worst offender first', () => {
    expect(text).toContain('Leak summary: 3 assertions, 1 leaking, 1 failed in 2 files');
    // Ranked and scored by the 95% lower bound of growth (450 KiB here), the figure the verdict compares.
    expect(text).toMatch(
      /Worst offenders:\n {2}● cache keeps every request \(tests\/a\.test\.ts:12\) heap \+500 KiB \(95% low \+450 KiB\), 703% of threshold/,
    );
  });

  it('does not list a passing assertion whose large growth estimate is not significant', () => {
    const noisy = record('noisy but clean', [
      metric('native', (355 * 1024) / 50, { growthLow: -47 * 1024, leak: false, classification: 'noisy' }),
    ]);
    const near = record('close to the limit', [metric('heap', (60 * 1024) / 50, { growthLow: 40 * 1024 })]);
    const t = renderTerminal(sampleReport([{ path: 'tests/c.test.ts', status: 'passed', records: [noisy, near] }]), {
      color: false,
    });
    const summary = t.slice(t.indexOf('Worst offenders:'));
    expect(summary).toMatch(
      /○ close to the limit \(tests\/c\.test\.ts:12\) heap \+60\.0 KiB \(95% low \+40\.0 KiB\), 63% of threshold/,
    );
    expect(summary).not.toContain('noisy but clean');
  });

  it('names where a leak was allocated when the matcher found the site', () => {
    const site = {
      functionName: 'remember',
      file: 'src/cache.ts',
      line: 41,
      column: 3,
      bytes: 20480,
      bytesPerIteration: 204.8,
      callers: [],
    };
    const f = leakyFile('tests/w.test.ts');
    f.records[0] = { ...f.records[0], allocationSites: [site] };
    const t = renderTerminal(sampleReport([f]), { color: false });
    expect(t).toMatch(
      /● cache keeps every request \(tests\/w\.test\.ts:12\)[^\n]*\n {6}allocated in remember \(src\/cache\.ts:41:3\)/,
    );
    expect(text).not.toContain('allocated in');
  });

  it('is plain text without colour and coloured with it', () => {
    expect(text).not.toMatch(ANSI);
    expect(renderTerminal(report, { color: true })).toMatch(ANSI);
  });

  it('shows every metric when verbose', () => {
    expect(renderTerminal(report, { color: false, verbose: true })).toMatch(/cache keeps every request[^\n]*native/);
  });

  it('reports a file that failed to run, with what it measured', () => {
    const crashed: FileReport = {
      ...leakyFile('tests/crash.test.ts'),
      status: 'crashed',
      failureMessage: 'Call retries were exceeded\nworker died',
    };
    const t = renderTerminal(sampleReport([crashed]), { color: false });
    expect(t).toContain('tests/crash.test.ts [failed to run]');
    expect(t).toContain('Call retries were exceeded');
    expect(t).toContain('cache keeps every request');
    expect(t).toContain('1 file failed to run');
  });

  it('shows a thrown error instead of figures', () => {
    const f: FileReport = {
      path: 't.test.ts',
      status: 'failed',
      records: [record('boom', [], { error: 'kaput', pass: false })],
    };
    const t = renderTerminal(sampleReport([f]), { color: false });
    expect(t).toContain('threw: kaput');
    expect(t).toContain('ERROR');
    expect(t).toContain('1 threw');
  });

  it('marks a shard as partial', () => {
    expect(renderTerminal(sampleReport(undefined, { index: 1, count: 2 }), { color: false, partial: true })).toContain(
      '(shard 1/2, partial)',
    );
  });

  it('labels an expected leak (positive form) as such', () => {
    const f: FileReport = {
      path: 'p.test.ts',
      status: 'passed',
      records: [record('leaks on purpose', [metric('heap', 4096)], { negated: false })],
    };
    expect(renderTerminal(sampleReport([f]), { color: false })).toContain('leak (expected)');
  });
});

describe('shouldColor', () => {
  it('colours a TTY only', () => {
    expect(shouldColor({ isTTY: true }, {})).toBe(true);
    expect(shouldColor({ isTTY: false }, {})).toBe(false);
    expect(shouldColor({}, { CI: 'true' })).toBe(false);
  });
  it('follows FORCE_COLOR and NO_COLOR', () => {
    expect(shouldColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(shouldColor({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(true);
    expect(shouldColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(shouldColor({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });
});

describe('worst offenders', () => {
  it('never lists an expected leak (positive form)', () => {
    const f: FileReport = {
      path: 'p.test.ts',
      status: 'passed',
      records: [record('leaks on purpose', [metric('heap', 4096)], { negated: false })],
    };
    expect(renderTerminal(sampleReport([f]), { color: false })).not.toContain('Worst offenders');
  });
});

describe('rows that matter', () => {
  it('does not pick a non-leaking rss as the row to show', () => {
    const f: FileReport = {
      path: 'r.test.ts',
      status: 'passed',
      records: [record('rss noise', [metric('heap', 10), metric('rss', 1200)])],
    };
    const row = renderTerminal(sampleReport([f]), { color: false })
      .split('\n')
      .find((l) => l.includes('rss noise'))!;
    expect(row).toContain('heap');
    expect(row).not.toContain('rss │');
  });
});

describe('long test names', () => {
  it('wrap inside the test column instead of widening the table', () => {
    const name =
      'a describe block › with a nested describe › and a test whose name keeps going well past forty characters';
    const f: FileReport = { path: 'l.test.ts', status: 'passed', records: [record(name, [metric('heap', 1)])] };
    const lines = renderTerminal(sampleReport([f]), { color: false }).split('\n');
    const table = lines.filter((l) => l.startsWith('│') || l.startsWith('┌'));
    expect(table.length).toBeGreaterThan(3);
    expect(Math.max(...table.map((l) => l.length))).toBeLessThan(160);
    expect(lines.join(' ')).toContain('forty');
  });
});

describe('a heap decided on survival counts', () => {
  it('names the bytes its survivors still held, in the terminal, Markdown and HTML summaries alike', () => {
    // heapUsed fell (a release mid-run) while the survivors showed 86 KiB still held: the summaries must name the latter.
    const heap = metric('heap', -600, {
      leak: true,
      decision: 'leak',
      survival: {
        interval: 1024,
        decision: 'leak',
        postCount: 67,
        postBytes: 134_000,
        agedCount: 39,
        agedBytes: 78_000,
        agedCalls: 1475,
        retainedLow: 88_064,
        rateHigh: 74,
        holdsShare: true,
        setAside: 31_000,
      },
    });
    const f: FileReport = { path: 's.test.ts', status: 'failed', records: [record('kept per call', [heap])] };
    const report = sampleReport([f]);
    const expected = '≥ 86.0 KiB still held by calls after the first window (survival counts)';
    const terminal = renderTerminal(report, { color: false });
    expect(terminal).toContain(`kept per call (s.test.ts:12) heap ${expected}, 134% of threshold`);
    expect(renderMarkdown(report)).toContain(`heap ${expected} over`);
    expect(renderHtml(report)).toContain(`heap ${expected} over`);
  });
});
