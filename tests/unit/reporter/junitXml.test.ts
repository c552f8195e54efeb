import { escapeXml, renderJunit } from '../../../reporter/junitXml';
import type { FileReport } from '../../../reporter/LeakReport';
import { leakyFile, metric, record, sampleReport } from '../../helpers/syntheticRecords';

/** Minimal well-formedness check: every open tag is closed in order (enough for the flat XML the reporter writes). */
function assertBalanced(xml: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w-]*)([^>]*?)(\/?)>/g;
  let m: RegExpExecArray | null;
  while ((m = tag.exec(xml.replace(/<\?xml[^>]*\?>/, '')))) {
    if (m[4] === '/') continue;
    if (m[1] === '/') expect(stack.pop()).toBe(m[2]);
    else stack.push(m[2]);
  }
  expect(stack).toEqual([]);
}

function attr(xml: string, element: string, name: string): string[] {
  const re = new RegExp(`<${element}\\b[^>]*\\b${name}="([^"]*)"`, 'g');
  return [...xml.matchAll(re)].map((m) => m[1]);
}

describe('JUnit XML', () => {
  const xml = renderJunit(sampleReport());

  it('is balanced XML with a declaration', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    assertBalanced(xml);
  });

  it('has a testsuite per file and a testcase per assertion', () => {
    expect(attr(xml, 'testsuites', 'tests')).toEqual(['3']);
    expect(attr(xml, 'testsuites', 'failures')).toEqual(['1']);
    expect(attr(xml, 'testsuite', 'name')).toEqual(['tests/a.test.ts', 'tests/b.test.ts']);
    expect(attr(xml, 'testcase', 'name')).toEqual(['cache keeps every request', 'parser is clean', 'json round trip']);
    expect(attr(xml, 'testcase', 'line')).toEqual(['12', '20', '7']);
  });

  it('puts the figures in properties', () => {
    const leaking = xml.slice(xml.indexOf('name="cache keeps every request"'), xml.indexOf('name="parser is clean"'));
    expect(leaking).toContain('<property name="heap.slope" value="10240"/>');
    expect(leaking).toContain('<property name="heap.growth" value="512000"/>');
    expect(leaking).toContain('<property name="heap.threshold" value="65536"/>');
    expect(leaking).toContain('<property name="heap.classification" value="linear"/>');
    expect(leaking).toContain('<property name="heap.leak" value="true"/>');
    expect(leaking).toContain('<property name="native.leak" value="false"/>');
    expect(leaking).toContain('<property name="iterations" value="50"/>');
  });

  it('puts the allocation sites of a JS-memory leak in properties', () => {
    const f = leakyFile();
    f.records[0] = {
      ...f.records[0],
      allocationSites: [
        {
          functionName: 'remember',
          file: 'src/cache.ts',
          line: 41,
          column: 3,
          bytes: 20480,
          bytesPerIteration: 409.6,
          callers: [],
        },
      ],
    };
    const out = renderJunit(sampleReport([f]));
    assertBalanced(out);
    expect(out).toContain('<property name="allocationSite.0" value="remember (src/cache.ts:41:3) 410 B/iteration"/>');
    expect(xml).not.toContain('allocationSite');
  });

  it('fails the leaking assertion only, with the figures in the message', () => {
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(attr(xml, 'failure', 'message')[0]).toMatch(
      /^heap: \+10\.0 KiB\/iter .* growth \+500 KiB over 50 iterations vs threshold 64\.0 KiB \(linear\)$/,
    );
    expect(attr(xml, 'failure', 'type')).toEqual(['MemoryLeak']);
  });

  it('escapes test names', () => {
    const f: FileReport = {
      path: 'x.test.ts',
      status: 'passed',
      records: [record('a <b> & "c" \u0001', [metric('heap', 0)])],
    };
    const out = renderJunit(sampleReport([f]));
    expect(out).toContain('name="a &lt;b&gt; &amp; &quot;c&quot; "');
    assertBalanced(out);
    expect(escapeXml("'")).toBe('&apos;');
  });

  it('reports an error (fn threw) and a file that failed to run as errors', () => {
    const threw: FileReport = {
      path: 'e.test.ts',
      status: 'failed',
      records: [record('throws', [], { error: 'bad input', pass: false })],
    };
    const crashed: FileReport = { ...leakyFile('c.test.ts'), status: 'crashed', failureMessage: 'worker crashed' };
    const out = renderJunit(sampleReport([threw, crashed]));
    assertBalanced(out);
    expect(out).toContain('<error message="fn threw: bad input" type="LeakMeasurementError">');
    expect(out).toContain('name="test file failed to run"');
    expect(out).toContain('<error message="worker crashed" type="TestFileCrashed">');
    expect(attr(out, 'testsuites', 'errors')).toEqual(['2']);
    // The crashed file's measured assertions are still there.
    expect(out).toContain('name="cache keeps every request"');
  });
});
