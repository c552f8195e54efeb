// The Jest reporter: gathers every toLeakMemory record of the run (runner field, or side-channel files), then hands the report to the formats.
import * as path from 'path';
import type { LeakRecord } from '../src/model';
import { buildReport } from './buildReport';
import type { TestResultLike } from './collectFile';
import { collectFile, recordsOf } from './collectFile';
import type { FileReport, LeakReport } from './LeakReport';
import type { LeakReporterOptions, ResolvedOptions } from './options';
import { resolveOptions } from './options';
import { finishReport } from './finishReport';
import { ReporterError } from './ReporterError';
import { ensureRecordsDir, readRecordsFile, RECORDS_DIR_ENV, removeRecordsDir } from './recordsDir';
import { shouldColor } from '../src/kernel/shouldColor';

/** The slice of Jest's GlobalConfig the reporter reads. */
interface GlobalConfigLike {
  rootDir: string;
  shard?: { shardIndex: number; shardCount: number } | null;
}

export class LeakReporter {
  private readonly options: ResolvedOptions;
  private readonly rootDir: string;
  private readonly shard: { index: number; count: number } | null;
  private ownRecordsDir: string | undefined;
  private readonly files = new Map<string, FileReport>();
  private readonly problems: string[] = [];
  private lastError: Error | undefined;
  /** The report of the last completed run (for programmatic use and tests). */
  report: LeakReport | undefined;

  constructor(globalConfig: GlobalConfigLike, options?: LeakReporterOptions) {
    this.options = resolveOptions(options);
    this.rootDir = globalConfig.rootDir;
    this.shard = globalConfig.shard
      ? { index: globalConfig.shard.shardIndex, count: globalConfig.shard.shardCount }
      : null;
    // Runs in the main process before workers start, so workers inherit the folder (mechanism B).
    this.ownRecordsDir = ensureRecordsDir();
  }

  onRunStart(): void {
    // In watch mode the reporter outlives a run; the previous run removed its folder.
    if (!this.ownRecordsDir && !process.env[RECORDS_DIR_ENV]) this.ownRecordsDir = ensureRecordsDir();
    this.files.clear();
    this.problems.length = 0;
    this.lastError = undefined;
  }

  onTestResult(_test: unknown, result: TestResultLike): void {
    const records = recordsOf(result, () => this.sideChannel(result.testFilePath));
    const file = collectFile(this.rootDir, result, records);
    // Files without a toLeakMemory assertion are not part of the leak report; a file that failed to run might have
    // had some, so it always is.
    if (records.length > 0 || file.status === 'crashed') this.files.set(result.testFilePath, file);
  }

  private sideChannel(testPath: string): LeakRecord[] {
    const dir = process.env[RECORDS_DIR_ENV];
    if (!dir) return [];
    const { records, problem } = readRecordsFile(dir, testPath);
    if (problem) this.problems.push(problem);
    return records;
  }

  onRunComplete(): void {
    try {
      const built = buildReport({
        rootDir: this.rootDir,
        files: [...this.files.values()],
        shard: this.shard,
        problems: this.problems.slice(),
      });
      const { report, failsOnRegression } = finishReport(built, {
        options: this.options,
        baseDir: this.rootDir,
        outDir: path.resolve(this.rootDir, this.options.outputDir),
        color: shouldColor(process.stderr),
        write: (t) => process.stderr.write('\n' + t),
        onReport: (r) => (this.report = r),
      });
      if (failsOnRegression) {
        this.lastError = new ReporterError(
          'ERR_BASELINE_REGRESSION',
          `${report.summary.regressions} memory regression(s) against the baseline ${this.options.baseline}`,
        );
      }
    } catch (err) {
      this.lastError = err instanceof Error ? err : new Error(String(err));
      process.stderr.write(`leakproof reporter: ${this.lastError.message}\n`);
    } finally {
      removeRecordsDir(this.ownRecordsDir);
      this.ownRecordsDir = undefined;
    }
  }

  getLastError(): Error | undefined {
    return this.lastError;
  }
}
