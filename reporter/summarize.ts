// Pure helpers that condense records into what the faces show: the summary counts, the rows that matter, the worst offenders.
import type { LeakRecord, MetricResult } from '../src/model';
import { formatSite } from '../src/kernel/formatSite';
import { headlineMetric, thresholdRatio } from '../src/kernel/headlineMetric';
import type { FileReport, ReportSummary } from './LeakReport';

/**
 * How close a metric came to a leak verdict (growthLow over the threshold), so "worst offenders" never shows a passing
 * assertion at several times its threshold. Defined in the kernel beside headlineMetric; re-exported here.
 */
export { thresholdRatio };

/**
 * The metrics worth a row: every leaking metric; when none leaks, every undecided one (rss aside); otherwise the
 * headline metric alone (kernel/headlineMetric: the rule the failure message and `leakproof check` use too);
 * all of them when `all` is set. Records with no metrics (fn threw) give none.
 */
export function metricsThatMatter(record: LeakRecord, all = false): MetricResult[] {
  if (all) return record.metrics.slice();
  const leaking = record.metrics.filter((m) => m.leak);
  if (leaking.length > 0) return leaking;
  const undecided = record.metrics.filter((m) => m.decision === 'undecided' && m.metric !== 'rss');
  if (undecided.length > 0) return undecided;
  const headline = headlineMetric(record.metrics);
  return headline ? [headline] : [];
}

/** Verdict word for an assertion, as shown in every format. */
export function verdictOf(record: LeakRecord): 'error' | 'leak' | 'ok' {
  if (record.error !== undefined) return 'error';
  return record.leak ? 'leak' : 'ok';
}

/** What one row (an assertion, or one of its metrics) says; the same in the table, Markdown and HTML. */
export type RowVerdict = 'error' | 'leak' | 'fail' | 'expected-leak' | 'undecided' | 'ok';

/**
 * `.not` form: a leaking metric is a `leak`, one left undecided when the run stopped `undecided`
 * (the assertion passed), a quiet one `ok`. Positive form: a leaking metric is the `expected-leak`;
 * when nothing leaked the assertion (and each quiet metric of it) is a `fail`.
 */
export function rowVerdict(record: LeakRecord, metric?: MetricResult): RowVerdict {
  if (record.error !== undefined) return 'error';
  const leaking = metric ? metric.leak : record.leak;
  if (record.negated) {
    if (leaking) return 'leak';
    // Passing, but a metric was still growing below the threshold when the run had to stop: shown, never silent.
    const undecided = metric
      ? metric.decision === 'undecided'
      : record.metrics.some((m) => m.decision === 'undecided' && m.metric !== 'rss');
    return undecided ? 'undecided' : 'ok';
  }
  if (leaking) return 'expected-leak';
  return record.pass ? 'ok' : 'fail';
}

export function summarize(files: FileReport[], regressions = 0): ReportSummary {
  const s: ReportSummary = {
    files: files.length,
    crashedFiles: 0,
    assertions: 0,
    passed: 0,
    failed: 0,
    leaks: 0,
    errors: 0,
    regressions,
  };
  for (const f of files) {
    if (f.status === 'crashed') s.crashedFiles++;
    for (const r of f.records) {
      s.assertions++;
      if (r.pass) s.passed++;
      else s.failed++;
      if (r.error !== undefined) s.errors++;
      else if (r.leak) s.leaks++;
    }
  }
  return s;
}

export interface Offender {
  file: string;
  record: LeakRecord;
  metric: MetricResult;
  ratio: number;
}

/**
 * Assertions ranked by how far their worst metric went past (or toward) its threshold; leaks first. The positive form
 * (`toLeakMemory`, a leak the user expects) is never an offender.
 */
export function worstOffenders(files: FileReport[], limit = 5): Offender[] {
  const all: Offender[] = [];
  for (const f of files) {
    for (const r of f.records) {
      if (!r.negated) continue;
      const m = headlineMetric(r.metrics);
      if (m && (m.leak || thresholdRatio(m) > 0))
        all.push({ file: f.path, record: r, metric: m, ratio: thresholdRatio(m) });
    }
  }
  all.sort((a, b) => Number(b.metric.leak) - Number(a.metric.leak) || b.ratio - a.ratio);
  return all.slice(0, limit);
}

/** "fn (file:line:column)" of the largest allocation site the matcher found for a JS-memory leak, if any. */
export function topAllocationSite(record: LeakRecord): string | undefined {
  const site = record.allocationSites?.[0];
  return site ? formatSite(site) : undefined;
}
