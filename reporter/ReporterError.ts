// The typed error every reporter, baseline and merge module throws: a stable `code` plus a message saying what to do.
import { LeakproofError } from '../src/errors';

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

/** A LeakproofError of the reporter (name 'ReporterError'); `cause` keeps the file-system or JSON error behind it. */
export class ReporterError extends LeakproofError<ReporterErrorCode> {
  constructor(code: ReporterErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'ReporterError';
  }
}
