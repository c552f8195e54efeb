// The last step of every report, the one entry both the Jest reporter and `leakproof merge` use: compare with the
// baseline (when configured), then publish (report files, terminal table, GitHub job summary and annotations).
import * as path from 'path';
import { applyBaselineFile } from './baseline';
import type { LeakReport } from './LeakReport';
import type { ResolvedOptions } from './options';
import { publishReport } from './outputFiles';

export interface FinishReportOptions {
  /** Resolved reporter options (reporter/options.ts resolveOptions): formats, baseline, tolerances, silent, ... */
  options: ResolvedOptions;
  /** Folder a relative `options.baseline` is resolved against (Jest's rootDir; the working directory for the CLI). */
  baseDir: string;
  /** Folder the report files go to (absolute). */
  outDir: string;
  /** Colour in the terminal table (kernel shouldColor of the stream `write` goes to). */
  color: boolean;
  /** Emit `::error`/`::warning` workflow commands; default `options.github`. */
  annotations?: boolean;
  /** Where the table goes: the Jest reporter writes to stderr, the CLI to stdout. */
  write: (text: string) => void;
  /** Called with the compared report before anything is written, so a caller keeps it even when a write fails. */
  onReport?: (report: LeakReport) => void;
  env?: NodeJS.ProcessEnv;
}

export interface FinishedReport {
  /** The report with its baseline comparison (when a baseline was configured). */
  report: LeakReport;
  /** Paths of the files written. */
  written: string[];
  /** True when `options.failOnRegression` is set and the comparison found regressions: the run must fail. */
  failsOnRegression: boolean;
}

/** Baseline comparison, then every output of the report. Throws ReporterError for an unreadable baseline or path. */
export function finishReport(built: LeakReport, opts: FinishReportOptions): FinishedReport {
  const { options } = opts;
  let report = built;
  if (options.baseline) {
    const { tolerance, toleranceBytes } = options;
    report = applyBaselineFile(report, path.resolve(opts.baseDir, options.baseline), {
      file: options.baseline,
      tolerance,
      toleranceBytes,
    });
  }
  opts.onReport?.(report);
  const written = publishReport(report, {
    outDir: opts.outDir,
    formats: options.formats,
    silent: options.silent,
    verbose: options.verbose,
    color: opts.color,
    github: options.github,
    annotations: opts.annotations,
    write: opts.write,
    env: opts.env,
  });
  return { report, written, failsOnRegression: options.failOnRegression && report.summary.regressions > 0 };
}
