// Never silent: a metric the run could not read is named, with why and how to fix, once in every report format.
import type { UnmeasuredMetric } from '../../../src/model';
import { unmeasuredMetrics, unmeasuredWarning } from '../../../src/engine/unmeasured';
import { renderHtml } from '../../../reporter/htmlReport';
import { renderJson, parseReport } from '../../../reporter/jsonReport';
import { renderMarkdown } from '../../../reporter/markdownSummary';
import { renderTerminal } from '../../../reporter/terminalTable';
import { cleanFile, leakyFile, sampleReport } from '../../helpers/syntheticRecords';

const ADDON_MISSING: UnmeasuredMetric[] = [
  {
    metric: 'native',
    reason: 'the native addon is not built and the package has no prebuild for linux-x64-musl',
    fix: 'run `npx leakproof build-native`',
  },
  {
    metric: 'fds',
    reason: 'the native addon is not built and the package has no prebuild for linux-x64-musl',
    fix: 'run `npx leakproof build-native`',
  },
];
const EXPECTED =
  'leakproof warning: native, fds not measured: the native addon is not built and the package has no prebuild for ' +
  'linux-x64-musl; to fix, run `npx leakproof build-native`.';

function reportWithUnmeasured() {
  const a = leakyFile();
  const b = cleanFile();
  // Two records report the same missing metrics: the report still warns once.
  a.records[0] = { ...a.records[0], unmeasured: ADDON_MISSING };
  b.records[0] = { ...b.records[0], unmeasured: ADDON_MISSING };
  return sampleReport([a, b]);
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe('unmeasured metrics', () => {
  it('groups metrics that share a reason into one sentence', () => {
    expect(unmeasuredWarning(ADDON_MISSING)).toBe(EXPECTED);
    expect(unmeasuredWarning([])).toBe('');
  });

  it('explains a metric the loaded addon cannot read on this C library', () => {
    const snapshot = { heap: 1, external: 1, arrayBuffers: 1, native: NaN, fds: 3, rss: 1, handles: 1 };
    const [u, ...rest] = unmeasuredMetrics(['heap', 'native', 'fds'], snapshot);
    expect(rest).toEqual([]);
    expect(u.metric).toBe('native');
    expect(u.reason).toMatch(/mallinfo2.*glibc/);
    expect(u.fix).toMatch(/glibc Linux/);
  });

  it('is listed once in the JSON environment and survives a round trip', () => {
    const report = reportWithUnmeasured();
    expect(report.environment.unmeasured).toEqual(ADDON_MISSING);
    const parsed = parseReport(renderJson(report), 'leak-report.json');
    expect(parsed.environment.unmeasured).toEqual(ADDON_MISSING);
  });

  it('is one warning in the terminal, Markdown and HTML reports', () => {
    const report = reportWithUnmeasured();
    expect(count(renderTerminal(report, { color: false }), EXPECTED)).toBe(1);
    expect(count(renderMarkdown(report), EXPECTED)).toBe(1);
    expect(count(renderHtml(report), '<div class="unmeasured">leakproof warning: native, fds not measured')).toBe(1);
  });

  it('is absent when every metric was read', () => {
    const report = sampleReport();
    expect(report.environment.unmeasured).toBeUndefined();
    expect(renderTerminal(report, { color: false })).not.toContain('not measured');
    expect(renderMarkdown(report)).not.toContain('not measured');
    expect(renderHtml(report)).not.toContain('class="unmeasured"');
  });
});
