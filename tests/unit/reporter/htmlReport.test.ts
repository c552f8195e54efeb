import { chartSpec, escapeHtml, renderHtml } from '../../../reporter/htmlReport';
import type { ChartSpec } from '../../../reporter/htmlReport';
import type { FileReport } from '../../../reporter/LeakReport';
import { leakyFile, metric, record, sampleReport } from '../../helpers/syntheticRecords';

function embeddedCharts(html: string): ChartSpec[] {
  const m = /<script type="application\/json" id="leakproof-data">([\s\S]*?)<\/script>/.exec(html);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]).charts;
}

describe('HTML report', () => {
  const html = renderHtml(sampleReport());

  it('is self-contained: uPlot and its CSS inlined, nothing loaded from the network', () => {
    expect(html).toContain('var uPlot=');
    expect(html).toContain('.uplot');
    // Booleans, not toMatch: a failure would otherwise print the whole 60 KB page.
    expect(/<script[^>]+src=/.test(html)).toBe(false);
    expect(/<link[^>]+href=/.test(html)).toBe(false);
    expect(/(src|href)\s*=\s*["']?(https?:)?\/\//.test(html)).toBe(false);
    expect(/url\(\s*["']?(https?:)?\/\//.test(html)).toBe(false);
    expect(/@import|fetch\(|XMLHttpRequest/.test(html)).toBe(false);
  });

  it('embeds one chart per measured series of every assertion', () => {
    const charts = embeddedCharts(html);
    // a.test.ts: 2 assertions × 2 metrics; b.test.ts: 1 × 1.
    expect(charts.map((c) => c.id)).toEqual(['a0-m0', 'a0-m1', 'a1-m0', 'a1-m1', 'a2-m0']);
    for (const c of charts) expect(html).toContain(`id="${c.id}"`);
    const heap = charts[0];
    expect(heap.leak).toBe(true);
    expect(heap.x).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45]);
    expect(heap.y[9]).toBe(45 * 10 * 1024);
  });

  it('has the summary and a table row per assertion', () => {
    expect(html).toContain('3 assertions · 1 leaking · 1 failed in 2 file(s)');
    expect(html).toMatch(
      /<a href="#a0">cache keeps every request<\/a><\/td><td>heap<\/td><td>\+10\.0 KiB\/iter \[9\.00 KiB … 11\.0 KiB\]<\/td><td class="num">\+500 KiB<\/td>/,
    );
  });

  it('escapes user text', () => {
    const f: FileReport = {
      path: 'x.test.ts',
      status: 'passed',
      records: [record('<img src=x onerror=alert(1)>', [metric('heap', 0)])],
    };
    const out = renderHtml(sampleReport([f]));
    expect(out).not.toContain('<img src=x');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeHtml(`"'&`)).toBe('&quot;&#39;&amp;');
  });

  it('lists the allocation sites of a JS-memory leak, escaped, and names the top one among the offenders', () => {
    const f = leakyFile();
    const site = {
      functionName: 'remember<T>',
      file: 'src/cache.ts',
      line: 41,
      column: 3,
      bytes: 20480,
      bytesPerIteration: 409.6,
      callers: ['handle (src/app.ts:9:1)'],
    };
    f.records[0] = { ...f.records[0], allocationSites: [site] };
    const out = renderHtml(sampleReport([f]));
    expect(out).toContain(
      '<li><b>+410 B</b> <code>remember&lt;T&gt; (src/cache.ts:41:3)</code> ← handle (src/app.ts:9:1)</li>',
    );
    expect(out).toMatch(
      /<h2>Worst offenders<\/h2><ul>\s*<li><b>cache keeps every request<\/b>[^\n]*, allocated in <code>remember&lt;T&gt; \(src\/cache\.ts:41:3\)<\/code><\/li>/,
    );
    expect(html).not.toContain('allocated in');
  });

  it('cannot be broken out of by a test name inside the embedded data', () => {
    const f: FileReport = {
      path: 'x.test.ts',
      status: 'passed',
      records: [record('</script><script>alert(1)</script>', [metric('heap', 0)])],
    };
    const out = renderHtml(sampleReport([f]));
    const charts = embeddedCharts(out);
    expect(charts).toHaveLength(1);
    expect(out.match(/<script>alert\(1\)/g)).toBeNull();
  });

  it('shows a file that failed to run with its message', () => {
    const crashed: FileReport = { ...leakyFile('c.test.ts'), status: 'crashed', failureMessage: 'worker crashed' };
    const out = renderHtml(sampleReport([crashed]));
    expect(out).toContain('<code>c.test.ts</code> <span class="badge bad">failed to run</span>');
    expect(out).toContain('<div class="crash">worker crashed</div>');
  });
});

describe('chartSpec', () => {
  it('draws samples relative to the first one, the fitted line through them, and the threshold above the start', () => {
    const m = metric('heap', 100, { n: 5, every: 2, start: 1000, threshold: 500 });
    m.samples[2] += 40; // an outlier must not move the robust intercept
    const spec = chartSpec('c', record('t', [m]), m);
    expect(spec.base).toBe(1000);
    expect(spec.y).toEqual([0, 200, 440, 600, 800]);
    expect(spec.intercept).toBe(0);
    expect(spec.thresholdLevel).toBe(500);
  });
});
