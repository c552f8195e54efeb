// The Markdown summary (leak-report.md, and the GitHub job summary): what to act on first, then a table per file.
import type { LeakRecord, MetricResult } from '../src/model';
import { formatQuantity, sparkline } from './format';
import { growthFigure } from '../src/kernel/growthFigure';
import { formatSlope } from '../src/kernel/formatSlope';
import type { LeakReport } from './LeakReport';
import type { RowVerdict } from './summarize';
import { metricsThatMatter, rowVerdict, topAllocationSite, worstOffenders } from './summarize';
import { unmeasuredWarning } from '../src/engine/unmeasured';

/** Makes text safe inside a Markdown table cell (pipes, newlines, HTML). */
export function mdCell(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, ' ');
}

const MARKS: Record<RowVerdict, string> = {
  error: '💥 error',
  leak: '❌ leak',
  fail: '❌ fail',
  'expected-leak': '⚠️ leak (expected)',
  undecided: '⚠️ ok, undecided',
  ok: '✅ ok',
};

function verdictMark(r: LeakRecord, m: MetricResult | undefined): string {
  return MARKS[rowVerdict(r, m)];
}

export function renderMarkdown(report: LeakReport): string {
  const s = report.summary;
  const out: string[] = [];
  const scope = report.shard
    ? ` (shard ${report.shard.index}/${report.shard.count})`
    : report.mergedFrom
      ? ` (${report.mergedFrom} shards merged)`
      : '';
  out.push(`## leakproof: heap growth${scope}`, '');
  const status = s.failed > 0 || s.crashedFiles > 0 ? '❌' : '✅';
  const bits = [`**${s.assertions}** assertions`, `**${s.leaks}** leaking`, `**${s.failed}** failed`];
  if (s.errors > 0) bits.push(`**${s.errors}** threw`);
  if (s.crashedFiles > 0) bits.push(`**${s.crashedFiles}** test file(s) failed to run`);
  if (report.baseline) bits.push(`**${s.regressions}** regression(s) vs baseline`);
  out.push(`${status} ${bits.join(' · ')} in ${s.files} file(s)`, '');
  const missing = unmeasuredWarning(report.environment.unmeasured ?? []);
  if (missing) out.push(`> ⚠️ ${mdCell(missing)}`, '');

  const worst = worstOffenders(report.files, 5).filter((o) => o.metric.leak);
  if (worst.length > 0) {
    out.push('### Worst offenders', '');
    for (const o of worst) {
      const where = topAllocationSite(o.record);
      out.push(
        `- \`${mdCell(o.file)}${o.record.line ? `:${o.record.line}` : ''}\` **${mdCell(o.record.testName)}**: ${o.metric.metric} ${o.metric.survival?.decision === 'leak' ? growthFigure(o.metric) : formatQuantity(o.metric.growth, o.metric.unit, true)} over ${o.record.iterations} iterations (threshold ${formatQuantity(o.metric.threshold, o.metric.unit)})` +
          (where ? `, allocated in \`${mdCell(where)}\`` : ''),
      );
    }
    out.push('');
  }

  const crashed = report.files.filter((f) => f.status === 'crashed');
  if (crashed.length > 0) {
    out.push('### Test files that failed to run', '');
    for (const f of crashed) {
      out.push(
        `- \`${mdCell(f.path)}\`: ${mdCell((f.failureMessage ?? '').split('\n')[0])} (${f.records.length} assertion(s) measured before it stopped)`,
      );
    }
    out.push('');
  }

  if (report.baseline && report.baseline.regressions.length > 0) {
    out.push(
      `### Regressions vs baseline \`${mdCell(report.baseline.file)}\` (tolerance ${Math.round(report.baseline.tolerance * 100)}%)`,
      '',
    );
    out.push(
      '| test | file | metric | figure | baseline | current | allowed rise |',
      '|---|---|---|---|---:|---:|---:|',
    );
    for (const g of report.baseline.regressions) {
      out.push(
        `| ${mdCell(g.testName)} | \`${mdCell(g.file)}\` | ${g.metric} | ${g.figure} | ${formatQuantity(g.baseline, g.unit)} | ${formatQuantity(g.current, g.unit)} | +${formatQuantity(g.allowed, g.unit)} |`,
      );
    }
    out.push('');
  }

  for (const f of report.files) {
    if (f.records.length === 0) continue;
    out.push(`### \`${mdCell(f.path)}\``, '');
    out.push(
      '| | test | metric | slope / iteration (95% interval) | growth | threshold | iterations | shape | trend |',
      '|---|---|---|---|---:|---:|---:|---|---|',
    );
    for (const r of f.records) {
      const metrics = metricsThatMatter(r);
      if (metrics.length === 0) {
        out.push(
          `| ${verdictMark(r, undefined)} | ${mdCell(r.testName)} | – | ${mdCell(r.error !== undefined ? `threw: ${r.error}` : 'no metrics')} | | | ${r.iterations} | | |`,
        );
        continue;
      }
      for (const m of metrics) {
        out.push(
          `| ${verdictMark(r, m)} | ${mdCell(r.testName)} | ${m.metric} | ${mdCell(formatSlope(m))} | ${formatQuantity(m.growth, m.unit, true)} | ${formatQuantity(m.threshold, m.unit)} | ${r.iterations} | ${m.classification} | ${sparkline(m)} |`,
        );
      }
    }
    out.push('');
  }
  if (report.problems.length > 0) {
    out.push('### Problems while collecting', '');
    for (const p of report.problems) out.push(`- ${mdCell(p)}`);
    out.push('');
  }
  out.push(
    `<sub>Node ${report.environment.node} · ${report.environment.vitest ? `Vitest ${report.environment.vitest}` : `Jest ${report.environment.jest ?? 'unknown'}`} · ${report.environment.platform}/${report.environment.arch} · GC: ${report.environment.gcMethod} · leakproof ${report.environment.leakproof}</sub>`,
    '',
  );
  return out.join('\n');
}
