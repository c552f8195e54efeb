// The Jest reporter: gathers every toLeakMemory record of the run (runner field, or side-channel files), then hands the report to the formats.
import * as path from 'path';
import type { LeakRecord } from '../src/jest/record';
import { buildReport } from './buildReport';
import type { TestResultLike } from './collectFile';
import { collectFile, recordsOf } from './collectFile';
import type { FileReport, LeakReport } from './LeakReport';
import type { LeakReporterOptions, ResolvedOptions } from './options';
import { resolveOptions } from './options';
import { shardFileName, writeOutputs } from './outputFiles';
import { writeFileAtomic } from './atomicWrite';
import { renderJson } from './jsonReport';
import { ensureRecordsDir, readRecordsFile, RECORDS_DIR_ENV, removeRecordsDir } from './recordsDir';
import { renderTerminal, shouldColor } from './terminalTable';

/** The slice of Jest's GlobalConfig the reporter reads. */
interface GlobalConfigLike {
  rootDir: string;
  shard?: { shardIndex: number; shardCount: number } | null;
}

export class LeakReporter {
  private readonly options: ResolvedOptions;
  private readonly rootDir: string;
  private ownRecordsDir: string | undefined;
  private readonly files = new Map<string, FileReport>();
  private readonly problems: string[] = [];
  private lastError: Error | undefined;
  /** The report of the last completed run (for programmatic use and tests). */
  report: LeakReport | undefined;

  constructor(globalConfig: GlobalConfigLike, options?: LeakReporterOptions) {
    this.options = resolveOptions(options);
    this.rootDir = globalConfig.rootDir;
    this.shard = globalConfig.shard ? { index: globalConfig.shard.shardIndex, count: globalConfig.shard.shardCount } : null;
    // Runs in the main process before workers start, so workers inherit the folder (mechanism B).
    this.ownRecordsDir = ensureRecordsDir();
  }

  private readonly shard: { index: number; count: number } | null;

  onRunStart(): void {
    // In watch mode the reporter outlives a run; the previous run removed its folder.
    if (!this.ownRecordsDir && !process.env[RECORDS_DIR_ENV]) this.ownRecordsDir = ensureRecordsDir();
    this.files.clear();
    this.problems.length = 0;
    this.lastError = undefined;
  }

  onTestResult(_test: unknown, result: TestResultLike): void {
    const records = recordsOf(result, () => this.sideChannel(result.testFilePath));
    this.files.set(result.testFilePath, collectFile(this.rootDir, result, records));
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
      const report = buildReport({ rootDir: this.rootDir, files: [...this.files.values()], shard: this.shard, problems: this.problems.slice() });
      this.report = report;
      const outDir = path.resolve(this.rootDir, this.options.outputDir);
      if (this.shard) {
        // Shards share a folder in many setups: only the shard file is written here; `leakproof merge` renders the rest.
        writeFileAtomic(outDir, shardFileName(this.shard), renderJson(report));
      } else if (report.summary.assertions > 0 || report.summary.crashedFiles > 0) {
        writeOutputs(outDir, report, this.options.formats);
      }
      if (!this.options.silent && (report.summary.assertions > 0 || report.summary.crashedFiles > 0)) {
        process.stderr.write('\n' + renderTerminal(report, { color: shouldColor(process.stderr), verbose: this.options.verbose, partial: Boolean(this.shard) }));
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
