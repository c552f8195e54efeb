// The terminal face: one heap-growth table per test file, then the run summary with the worst offenders first.
import Table from 'cli-table3';
import { createColors } from 'picocolors';
import type { LeakRecord, MetricResult } from '../src/model';
import { formatQuantity, sparkline } from './format';
import { growthFigure } from '../src/kernel/growthFigure';
import { formatSlope } from '../src/kernel/formatSlope';
import type { LeakReport } from './LeakReport';
import { metricsThatMatter, rowVerdict, topAllocationSite, worstOffenders } from './summarize';
import { unmeasuredWarning } from '../src/engine/unmeasured';

export interface TerminalOptions {
  color: boolean;
  /** Every metric of every assertion instead of only those that matter. */
  verbose?: boolean;
  /** Marks the summary as covering one shard only. */
  partial?: boolean;
}

type Colors = ReturnType<typeof createColors>;

/** The colour decision (FORCE_COLOR, NO_COLOR, TTY), kept in the kernel; re-exported for existing importers. */
export { shouldColor } from '../src/kernel/shouldColor';

function verdictCell(c: Colors, record: LeakRecord, metric: MetricResult | undefined): string {
  switch (rowVerdict(record, metric)) {
    case 'error':
      return c.red('ERROR');
    case 'leak':
      return c.red('LEAK');
    case 'fail':
      return c.red('FAIL');
    case 'expected-leak':
      return c.yellow('leak (expected)');
    case 'undecided':
      return c.yellow('ok, undecided');
    default:
      return c.green('ok');
  }
}

/** Test names longer than this wrap inside their cell, so a long `describe` chain does not stretch every row. */
const TEST_COLUMN_MAX = 40;

function newTable(head: string[], c: Colors, longestName: number): Table.Table {
  // cli-table3 colours its borders and header by itself; switch that off and colour through picocolors only.
  const options: Table.TableConstructorOptions = {
    head: head.map((h) => c.bold(h)),
    style: { head: [], border: [], compact: false },
    wordWrap: true,
  };
  if (longestName > TEST_COLUMN_MAX) options.colWidths = [TEST_COLUMN_MAX + 2];
  return new Table(options);
}

const HEAD = ['test', 'metric', 'slope (95% interval)', 'growth', 'threshold', 'iter', 'shape', 'verdict', 'trend'];

/** Rows of one file's table; exported for tests. */
export function fileRows(records: LeakRecord[], verbose: boolean, c: Colors): string[][] {
  const rows: string[][] = [];
  for (const r of records) {
    const metrics = metricsThatMatter(r, verbose);
    if (metrics.length === 0) {
      rows.push([
        r.testName,
        '-',
        r.error !== undefined ? `threw: ${r.error}` : 'no metrics',
        '-',
        '-',
        String(r.iterations),
        '-',
        verdictCell(c, r, undefined),
        '',
      ]);
      continue;
    }
    for (const m of metrics) {
      rows.push([
        r.testName,
        m.metric,
        formatSlope(m),
        formatQuantity(m.growth, m.unit, true),
        formatQuantity(m.threshold, m.unit),
        String(r.iterations),
        m.classification,
        verdictCell(c, r, m),
        sparkline(m),
      ]);
    }
  }
  return rows;
}

/** The whole terminal text for a report (files with no assertion are skipped, crashed files are always shown). */
export function renderTerminal(report: LeakReport, opts: TerminalOptions): string {
  const c = createColors(opts.color);
  const out: string[] = [];
  out.push(
    c.bold('leakproof: heap growth per toLeakMemory assertion') +
      (opts.partial && report.shard ? c.dim(` (shard ${report.shard.index}/${report.shard.count}, partial)`) : ''),
  );
  for (const f of report.files) {
    if (f.records.length === 0 && f.status !== 'crashed') continue;
    out.push('');
    const status = f.status === 'crashed' ? c.red(' [failed to run]') : '';
    out.push(c.underline(f.path) + status);
    if (f.status === 'crashed' && f.failureMessage) out.push(c.red(indent(firstLines(f.failureMessage, 6))));
    if (f.records.length > 0) {
      const t = newTable(HEAD, c, Math.max(...f.records.map((r) => r.testName.length)));
      for (const row of fileRows(f.records, Boolean(opts.verbose), c)) t.push(row);
      out.push(t.toString());
    } else {
      out.push(c.dim('  nothing was measured before the file stopped'));
    }
  }
  out.push('');
  out.push(renderSummary(report, c));
  return out.join('\n') + '\n';
}

function renderSummary(report: LeakReport, c: Colors): string {
  const s = report.summary;
  const lines: string[] = [];
  const parts = [
    `${s.assertions} assertion${s.assertions === 1 ? '' : 's'}`,
    s.leaks > 0 ? c.red(`${s.leaks} leaking`) : c.green('0 leaking'),
    s.failed > 0 ? c.red(`${s.failed} failed`) : `${s.failed} failed`,
  ];
  if (s.errors > 0) parts.push(c.red(`${s.errors} threw`));
  if (s.crashedFiles > 0) parts.push(c.red(`${s.crashedFiles} file${s.crashedFiles === 1 ? '' : 's'} failed to run`));
  if (report.baseline)
    parts.push(
      s.regressions > 0
        ? c.yellow(`${s.regressions} regression${s.regressions === 1 ? '' : 's'} vs baseline`)
        : 'no regression vs baseline',
    );
  lines.push(`${c.bold('Leak summary:')} ${parts.join(', ')} in ${s.files} file${s.files === 1 ? '' : 's'}`);
  const missing = unmeasuredWarning(report.environment.unmeasured ?? []);
  if (missing) lines.push(c.yellow(missing));
  const worst = worstOffenders(report.files, 3).filter((o) => o.metric.leak || o.ratio >= 0.5);
  if (worst.length > 0) {
    lines.push(c.bold('Worst offenders:'));
    for (const o of worst) {
      const pct = Number.isFinite(o.ratio) ? `${Math.round(o.ratio * 100)}% of threshold` : 'over a zero threshold';
      const growth = growthFigure(o.metric);
      lines.push(
        `  ${o.metric.leak ? c.red('●') : c.yellow('○')} ${o.record.testName} (${o.file}${o.record.line ? `:${o.record.line}` : ''}) ${o.metric.metric} ${growth}, ${pct}`,
      );
      const where = topAllocationSite(o.record);
      if (where) lines.push(`      allocated in ${where}`);
    }
  }
  if (report.baseline && report.baseline.regressions.length > 0) {
    lines.push(
      c.bold(`Regressions vs ${report.baseline.file} (tolerance ${Math.round(report.baseline.tolerance * 100)}%):`),
    );
    for (const g of report.baseline.regressions) {
      lines.push(
        `  ${c.yellow('▲')} ${g.testName} (${g.file}) ${g.metric} ${g.figure}: ${formatQuantity(g.baseline, g.unit)} → ${formatQuantity(g.current, g.unit)} (allowed +${formatQuantity(g.allowed, g.unit)})`,
      );
    }
  }
  for (const p of report.problems) lines.push(c.yellow(`  ! ${p}`));
  return lines.join('\n');
}

function firstLines(text: string, n: number): string {
  const lines = text.split('\n');
  return lines.slice(0, n).join('\n') + (lines.length > n ? '\n…' : '');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
