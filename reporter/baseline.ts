// Baselines: each assertion's growth and peak per metric, saved from a report, and the comparison that flags regressions.
import * as fs from 'fs';
import * as path from 'path';
import type { LeakRecord } from '../src/model';
import { writeFileAtomic } from './atomicWrite';
import type { BaselineComparison, LeakReport, Regression } from './LeakReport';
import { ReporterError } from './ReporterError';

export const BASELINE_SCHEMA = 'leakproof-baseline';
export const BASELINE_SCHEMA_VERSION = 1;

export interface BaselineMetric {
  unit: 'bytes' | 'count';
  growth: number;
  peak: number;
}

export interface BaselineEntry {
  file: string;
  testName: string;
  metrics: Record<string, BaselineMetric>;
}

export interface Baseline {
  schema: typeof BASELINE_SCHEMA;
  schemaVersion: typeof BASELINE_SCHEMA_VERSION;
  updatedAt: string;
  environment: { node: string; platform: string; arch: string };
  /** Keyed by `<file>::<test name>::<n>`, n counting assertions with the same test name in the same file from 0. */
  entries: Record<string, BaselineEntry>;
}

/** Stable key of each record of a file (the n-th toLeakMemory call of a test gets `::n`). */
export function assertionKeys(file: string, records: LeakRecord[]): string[] {
  const seen = new Map<string, number>();
  return records.map((r) => {
    const n = seen.get(r.testName) ?? 0;
    seen.set(r.testName, n + 1);
    return `${file}::${r.testName}::${n}`;
  });
}

/** Entries of a report: every assertion that produced a verdict (assertions whose fn threw have nothing to keep). */
export function baselineEntries(report: LeakReport): Record<string, BaselineEntry> {
  const entries: Record<string, BaselineEntry> = {};
  for (const f of report.files) {
    const keys = assertionKeys(f.path, f.records);
    f.records.forEach((r, i) => {
      if (r.error !== undefined || r.metrics.length === 0) return;
      const metrics: Record<string, BaselineMetric> = {};
      for (const m of r.metrics) metrics[m.metric] = { unit: m.unit, growth: m.growth, peak: m.peak };
      entries[keys[i]] = { file: f.path, testName: r.testName, metrics };
    });
  }
  return entries;
}

/** `save`: a new baseline holding exactly this report's assertions. */
export function baselineFromReport(report: LeakReport, now = new Date()): Baseline {
  return {
    schema: BASELINE_SCHEMA,
    schemaVersion: BASELINE_SCHEMA_VERSION,
    updatedAt: now.toISOString(),
    environment: {
      node: report.environment.node,
      platform: report.environment.platform,
      arch: report.environment.arch,
    },
    entries: sortKeys(baselineEntries(report)),
  };
}

/**
 * `update`: the report's assertions replace theirs in the baseline; assertions the report did not run (another shard,
 * a filtered run) are kept unless `prune` is set.
 */
export function updateBaseline(previous: Baseline, report: LeakReport, prune = false, now = new Date()): Baseline {
  const fresh = baselineEntries(report);
  const entries = prune ? fresh : { ...previous.entries, ...fresh };
  return { ...baselineFromReport(report, now), entries: sortKeys(entries) };
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k];
  return out;
}

export function renderBaseline(b: Baseline): string {
  return JSON.stringify(b, null, 2) + '\n';
}

/** Writes `b` to `file` atomically (a reader never sees half a baseline); returns the absolute path written. */
export function writeBaselineFile(file: string, b: Baseline): string {
  const abs = path.resolve(file);
  return writeFileAtomic(path.dirname(abs), path.basename(abs), renderBaseline(b));
}

export function parseBaseline(text: string, source: string): Baseline {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new ReporterError('ERR_BASELINE_PARSE', `${source} is not valid JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const o = v as Partial<Baseline> | null;
  if (!o || typeof o !== 'object' || o.schema !== BASELINE_SCHEMA || o.schemaVersion !== BASELINE_SCHEMA_VERSION) {
    throw new ReporterError(
      'ERR_BASELINE_PARSE',
      `${source} is not a ${BASELINE_SCHEMA} v${BASELINE_SCHEMA_VERSION} file (create one with \`leakproof baseline save\`)`,
    );
  }
  if (!o.entries || typeof o.entries !== 'object')
    throw new ReporterError('ERR_BASELINE_PARSE', `${source}: "entries" is missing`);
  for (const [k, e] of Object.entries(o.entries)) {
    if (!e || typeof e !== 'object' || typeof e.metrics !== 'object' || e.metrics === null)
      throw new ReporterError('ERR_BASELINE_PARSE', `${source}: entry ${k} has no metrics`);
    for (const [name, m] of Object.entries(e.metrics)) {
      if (typeof m?.growth !== 'number' || typeof m?.peak !== 'number')
        throw new ReporterError('ERR_BASELINE_PARSE', `${source}: entry ${k} metric ${name} lacks numeric growth/peak`);
    }
  }
  return o as Baseline;
}

export function readBaselineFile(file: string): Baseline {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ReporterError(
      'ERR_BASELINE_MISSING',
      `cannot read baseline ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}; create it with \`leakproof baseline save ${file}\``,
      { cause: err },
    );
  }
  return parseBaseline(text, file);
}

export interface CompareOptions {
  /** Name shown in reports. */
  file: string;
  /** Relative rise tolerated (0.25 = 25%). */
  tolerance: number;
  /** Absolute rise always tolerated for byte metrics. */
  toleranceBytes: number;
  /** Absolute rise always tolerated for count metrics (handles, fds). Default 1. */
  toleranceCount?: number;
}

/**
 * Flags every assertion whose growth or peak rose beyond the baseline by more than max(|baseline| × tolerance, floor),
 * whether or not it passed its threshold: a regression is a trend to look at, not a verdict.
 */
export function compareWithBaseline(report: LeakReport, baseline: Baseline, opts: CompareOptions): BaselineComparison {
  const current = baselineEntries(report);
  const regressions: Regression[] = [];
  const added: string[] = [];
  let compared = 0;
  for (const [key, entry] of Object.entries(current)) {
    const before = baseline.entries[key];
    if (!before) {
      added.push(key);
      continue;
    }
    compared++;
    for (const [metric, now] of Object.entries(entry.metrics)) {
      const was = before.metrics[metric];
      if (!was) continue;
      const floor = now.unit === 'bytes' ? opts.toleranceBytes : (opts.toleranceCount ?? 1);
      for (const figure of ['growth', 'peak'] as const) {
        const allowed = Math.max(Math.abs(was[figure]) * opts.tolerance, floor);
        if (now[figure] > was[figure] + allowed) {
          regressions.push({
            key,
            file: entry.file,
            testName: entry.testName,
            metric,
            unit: now.unit,
            figure,
            baseline: was[figure],
            current: now[figure],
            allowed,
          });
        }
      }
    }
  }
  const missing = Object.keys(baseline.entries).filter((k) => !(k in current));
  return { file: opts.file, tolerance: opts.tolerance, compared, added, missing, regressions };
}

/** The report with the comparison attached (summary.regressions updated); the input is not modified. */
export function withBaseline(report: LeakReport, comparison: BaselineComparison): LeakReport {
  return {
    ...report,
    baseline: comparison,
    summary: { ...report.summary, regressions: comparison.regressions.length },
  };
}

/**
 * Compares `report` with the baseline at `absolutePath` when it exists. A missing baseline is not an error (the first
 * CI run has none): the report says so in `problems` and goes on without a comparison. A corrupt one throws.
 */
export function applyBaselineFile(report: LeakReport, absolutePath: string, opts: CompareOptions): LeakReport {
  if (!fs.existsSync(absolutePath)) {
    return {
      ...report,
      problems: [
        ...report.problems,
        `baseline ${opts.file} not found: no comparison made (create it with \`leakproof baseline save ${opts.file}\`)`,
      ],
    };
  }
  return withBaseline(report, compareWithBaseline(report, readBaselineFile(absolutePath), opts));
}
