// The versioned JSON report schema (leak-report/leak-report.json, shard files, merged output): the reporter's data model.
import type { LeakRecord, UnmeasuredMetric } from '../src/model';

export const REPORT_SCHEMA = 'leakproof-report';
export const REPORT_SCHEMA_VERSION = 1;

/** Where the run happened; the merge checks that shards agree on node, jest, platform. */
export interface ReportEnvironment {
  node: string;
  /** Jest's version, null when it cannot be found (e.g. a report built outside Jest). */
  jest: string | null;
  /** Vitest's version when the Vitest reporter wrote the report; absent in Jest runs. */
  vitest?: string | null;
  platform: string;
  arch: string;
  /** Distinct `LeakRecord.gcMethod` values seen in the run ('unknown' when nothing was measured). */
  gcMethod: string;
  leakproof: string;
  /** Metrics some assertion could not read (one entry per metric, why and how to fix); absent when none. */
  unmeasured?: UnmeasuredMetric[];
}

/**
 * `passed`/`failed` follow Jest's verdict for the file; `crashed` means the file failed to run
 * (syntax error, worker killed, hook timeout...): its failureMessage says why and whatever was measured is kept.
 */
export type FileStatus = 'passed' | 'failed' | 'crashed';

/** A test file with at least one toLeakMemory assertion, or one that failed to run (it may have had some). */
export interface FileReport {
  /** Test file path relative to the run's rootDir, with forward slashes: stable across machines and shards. */
  path: string;
  status: FileStatus;
  failureMessage?: string;
  /** Every toLeakMemory assertion of the file, in execution order, exactly as the matcher recorded it. */
  records: LeakRecord[];
}

/** A per-assertion comparison against a stored baseline (see baseline.ts). */
export interface Regression {
  /** `<file path>::<test name>::<occurrence>` */
  key: string;
  file: string;
  testName: string;
  metric: string;
  unit: 'bytes' | 'count';
  /** Which figure rose: slope × iterations (`growth`) or highest-minus-first sample (`peak`). */
  figure: 'growth' | 'peak';
  baseline: number;
  current: number;
  /** Allowed rise: max(baseline × tolerance, absolute floor). */
  allowed: number;
}

export interface BaselineComparison {
  /** Path of the baseline file, as given in the options. */
  file: string;
  tolerance: number;
  /** Assertions compared (present in both), new ones (not in the baseline), and baseline entries not run this time. */
  compared: number;
  added: string[];
  missing: string[];
  regressions: Regression[];
}

export interface ReportSummary {
  files: number;
  crashedFiles: number;
  assertions: number;
  /** Assertions that passed / failed as Jest sees them (the positive form passes when it leaks). */
  passed: number;
  failed: number;
  /** Assertions where a leak was found in any metric. */
  leaks: number;
  /** Assertions whose fn threw (no verdict). */
  errors: number;
  regressions: number;
}

export interface LeakReport {
  schema: typeof REPORT_SCHEMA;
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  generatedAt: string;
  environment: ReportEnvironment;
  /** The `--shard=index/count` this report covers; null for a whole run (or a merged report). */
  shard: { index: number; count: number } | null;
  /** Set on reports produced by `leakproof merge`: how many shards were combined. */
  mergedFrom?: number;
  files: FileReport[];
  summary: ReportSummary;
  baseline?: BaselineComparison;
  /** Things that went wrong while collecting (unreadable side-channel file, ...), shown to the user. */
  problems: string[];
}
