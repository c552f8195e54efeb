import { renderHtml } from '../../../reporter/htmlReport';
import type { FileReport } from '../../../reporter/LeakReport';
import { renderMarkdown } from '../../../reporter/markdownSummary';
import { rowVerdict } from '../../../reporter/summarize';
import { renderTerminal } from '../../../reporter/terminalTable';
import { metric, record, sampleReport } from '../../helpers/syntheticRecords';

describe('rowVerdict', () => {
  const heapLeak = metric('heap', 10 * 1024);
  const quiet = metric('native', 1);

  it('.not form: the leaking metric is the leak, the quiet one is ok', () => {
    const r = record('n', [heapLeak, quiet]);
    expect(r.pass).toBe(false);
    expect([rowVerdict(r), rowVerdict(r, heapLeak), rowVerdict(r, quiet)]).toEqual(['leak', 'leak', 'ok']);
  });

  it('positive form: a leak is expected; finding none is a failure', () => {
    const found = record('p', [heapLeak, quiet], { negated: false });
    expect([rowVerdict(found), rowVerdict(found, heapLeak), rowVerdict(found, quiet)]).toEqual([
      'expected-leak',
      'expected-leak',
      'ok',
    ]);
    const none = record('p', [quiet], { negated: false });
    expect(none.pass).toBe(false);
    expect([rowVerdict(none), rowVerdict(none, quiet)]).toEqual(['fail', 'fail']);
  });

  it('an error wins', () => {
    expect(rowVerdict(record('e', [], { error: 'x', pass: false }))).toBe('error');
  });

  it('reads the same in every format', () => {
    const f: FileReport = {
      path: 'v.test.ts',
      status: 'failed',
      records: [record('leaks twice', [heapLeak, quiet]), record('should have leaked', [quiet], { negated: false })],
    };
    const report = sampleReport([f]);
    const term = renderTerminal(report, { color: false, verbose: true }).split('\n');
    expect(term.find((l) => l.includes('leaks twice') && l.includes('native'))).toMatch(/│ ok\s+│/);
    expect(term.find((l) => l.includes('leaks twice') && l.includes('heap'))).toMatch(/│ LEAK\s+│/);
    expect(term.find((l) => l.includes('should have leaked'))).toMatch(/│ FAIL\s+│/);
    expect(renderMarkdown(report)).toContain('| ❌ fail | should have leaked | native |');
    expect(renderHtml(report)).toContain('<span class="badge bad">fail</span> should have leaked');
  });
});
