// The JUnit XML format: one testsuite per test file, one testcase per assertion, the figures as properties.
import type { LeakRecord } from '../src/model';
import { formatSite } from '../src/kernel/formatSite';
import { formatQuantity } from './format';
import { formatSlope } from '../src/kernel/formatSlope';
import type { FileReport, LeakReport, Regression } from './LeakReport';
import { verdictOf } from './summarize';

// XML 1.0 forbids most control characters even when escaped; drop them.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(s: string): string {
  return s
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attrs(a: Record<string, string | number | undefined>): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
}

function property(name: string, value: string | number | boolean): string {
  return `<property${attrs({ name, value: String(value) })}/>`;
}

/** The failure text of an assertion: every leaking metric with its slope, growth and threshold. */
export function failureText(r: LeakRecord): string {
  if (r.error !== undefined) return `fn threw: ${r.error}`;
  const leaking = r.metrics.filter((m) => m.leak);
  const lines = (leaking.length > 0 ? leaking : r.metrics).map(
    (m) =>
      `${m.metric}: ${formatSlope(m)}, growth ${formatQuantity(m.growth, m.unit, true)} over ${r.iterations} iterations vs threshold ${formatQuantity(m.threshold, m.unit)} (${m.classification})`,
  );
  const head = r.negated
    ? 'expected no leak, but memory grew'
    : 'expected a leak, but growth stayed within the threshold';
  return [head, ...lines].join('\n');
}

function testcase(file: FileReport, r: LeakRecord, regressions: Regression[], indent: string): string {
  const props: string[] = [
    property('iterations', r.iterations),
    property('warmup', r.warmup),
    property('threshold', r.threshold),
    property('negated', r.negated),
    property('leak', r.leak),
    property('gcMethod', r.gcMethod),
  ];
  if (r.line !== undefined) props.push(property('line', r.line));
  for (const m of r.metrics) {
    const p = `${m.metric}.`;
    props.push(
      property(`${p}unit`, m.unit),
      property(`${p}slope`, m.slope),
      property(`${p}slopeLow`, m.slopeLow),
      property(`${p}slopeHigh`, m.slopeHigh),
      property(`${p}growth`, m.growth),
      property(`${p}growthLow`, m.growthLow),
      property(`${p}growthHigh`, m.growthHigh),
      property(`${p}threshold`, m.threshold),
      property(`${p}peak`, m.peak),
      property(`${p}classification`, m.classification),
      property(`${p}leak`, m.leak),
    );
  }
  (r.allocationSites ?? []).forEach((site, i) =>
    props.push(
      property(
        `allocationSite.${i}`,
        `${site.kind === 'native' ? 'native ' : ''}${formatSite(site)} ${Math.round(site.bytesPerIteration)} B/iteration`,
      ),
    ),
  );
  for (const g of regressions)
    props.push(property(`regression.${g.metric}.${g.figure}`, `${g.baseline} -> ${g.current} (allowed +${g.allowed})`));
  const open = `${indent}<testcase${attrs({ classname: file.path, name: r.testName, file: file.path, line: r.line, time: (r.durationMs / 1000).toFixed(3) })}>`;
  const body: string[] = [
    `${indent}  <properties>`,
    ...props.map((p) => `${indent}    ${p}`),
    `${indent}  </properties>`,
  ];
  const v = verdictOf(r);
  if (v === 'error') {
    body.push(
      `${indent}  <error${attrs({ message: `fn threw: ${r.error ?? ''}`, type: 'LeakMeasurementError' })}>${escapeXml(failureText(r))}</error>`,
    );
  } else if (!r.pass) {
    const first = failureText(r).split('\n')[1] ?? 'leak assertion failed';
    body.push(
      `${indent}  <failure${attrs({ message: first, type: r.negated ? 'MemoryLeak' : 'NoLeak' })}>${escapeXml(failureText(r))}</failure>`,
    );
  }
  return [open, ...body, `${indent}</testcase>`].join('\n');
}

export function renderJunit(report: LeakReport): string {
  const regressionsByKey = new Map<string, Regression[]>();
  for (const g of report.baseline?.regressions ?? []) {
    const k = `${g.file}::${g.testName}`;
    regressionsByKey.set(k, [...(regressionsByKey.get(k) ?? []), g]);
  }
  const s = report.summary;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const totalTime = report.files.reduce((t, f) => t + f.records.reduce((u, r) => u + r.durationMs, 0), 0) / 1000;
  out.push(
    `<testsuites${attrs({ name: 'leakproof', tests: s.assertions + s.crashedFiles, failures: s.failed - s.errors, errors: s.errors + s.crashedFiles, time: totalTime.toFixed(3) })}>`,
  );
  for (const f of report.files) {
    if (f.records.length === 0 && f.status !== 'crashed') continue;
    const failures = f.records.filter((r) => !r.pass && r.error === undefined).length;
    const errors = f.records.filter((r) => r.error !== undefined).length + (f.status === 'crashed' ? 1 : 0);
    const time = f.records.reduce((u, r) => u + r.durationMs, 0) / 1000;
    out.push(
      `  <testsuite${attrs({ name: f.path, tests: f.records.length + (f.status === 'crashed' ? 1 : 0), failures, errors, time: time.toFixed(3) })}>`,
    );
    out.push(
      `    <properties>${property('status', f.status)}${property('node', report.environment.node)}${property('jest', report.environment.jest ?? 'unknown')}${report.environment.vitest ? property('vitest', report.environment.vitest) : ''}${property('gcMethod', report.environment.gcMethod)}</properties>`,
    );
    for (const r of f.records) out.push(testcase(f, r, regressionsByKey.get(`${f.path}::${r.testName}`) ?? [], '    '));
    if (f.status === 'crashed') {
      out.push(
        `    <testcase${attrs({ classname: f.path, name: 'test file failed to run', file: f.path, time: '0.000' })}>`,
      );
      out.push(
        `      <error${attrs({ message: (f.failureMessage ?? '').split('\n')[0], type: 'TestFileCrashed' })}>${escapeXml(f.failureMessage ?? '')}</error>`,
      );
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
