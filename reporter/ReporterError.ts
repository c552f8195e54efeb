// The typed error every reporter, baseline and merge module throws: a stable `code` plus a message saying what to do.

export type ReporterErrorCode =
  | 'ERR_REPORTER_OPTION'
  | 'ERR_REPORT_PATH'
  | 'ERR_REPORT_PARSE'
  | 'ERR_REPORT_SCHEMA'
  | 'ERR_BASELINE_PARSE'
  | 'ERR_BASELINE_MISSING'
  | 'ERR_BASELINE_REGRESSION'
  | 'ERR_SHARD_MISSING'
  | 'ERR_SHARD_INCONSISTENT'
  | 'ERR_NO_REPORTS';

export class ReporterError extends Error {
  constructor(
    readonly code: ReporterErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ReporterError';
  }
}
