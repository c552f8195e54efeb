// The reporter's one entry for the other faces (the CLI's `merge` and `baseline`): they import from here, never from
// the reporter's modules, so its files can move without touching them. (The package's own leakproof/reporter subpath is
// reporter/index.ts.)
export { finishReport, type FinishReportOptions, type FinishedReport } from './finishReport';
export { mergeShardFolder } from './mergeReports';
export { resolveOptions, type LeakReporterOptions, type OutputFormat, type ResolvedOptions } from './options';
export { ReporterError, type ReporterErrorCode } from './ReporterError';
export { readReportFile } from './jsonReport';
export { baselineFromReport, readBaselineFile, updateBaseline, writeBaselineFile, type Baseline } from './baseline';
export type { LeakReport } from './LeakReport';
