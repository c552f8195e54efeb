// Assembles a LeakReport from collected files: environment, summary and (optionally) the baseline comparison.
import type { BaselineComparison, FileReport, LeakReport } from './LeakReport';
import { REPORT_SCHEMA, REPORT_SCHEMA_VERSION } from './LeakReport';
import { reportEnvironment } from './reportEnvironment';
import { summarize } from './summarize';

export interface BuildReportInput {
  rootDir: string;
  files: FileReport[];
  shard?: { index: number; count: number } | null;
  problems?: string[];
  baseline?: BaselineComparison;
  now?: Date;
}

export function buildReport(input: BuildReportInput): LeakReport {
  const files = input.files.slice().sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const report: LeakReport = {
    schema: REPORT_SCHEMA,
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: (input.now ?? new Date()).toISOString(),
    environment: reportEnvironment(
      input.rootDir,
      files.flatMap((f) => f.records),
    ),
    shard: input.shard ?? null,
    files,
    summary: summarize(files, input.baseline?.regressions.length ?? 0),
    problems: input.problems ?? [],
  };
  if (input.baseline) report.baseline = input.baseline;
  return report;
}
