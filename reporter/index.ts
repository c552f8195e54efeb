// leakproof/reporter: the Jest reporter (default export) and the report types. Re-exports only.
export { LeakReporter, LeakReporter as default } from './LeakReporter';
export type { LeakReporterOptions, OutputFormat } from './options';
export type {
  LeakReport,
  FileReport,
  ReportSummary,
  ReportEnvironment,
  BaselineComparison,
  Regression,
} from './LeakReport';
