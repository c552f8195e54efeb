// The Vitest reporter: the same leak report files as the Jest reporter, from the same records (tests' meta, or the side channel).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyBaselineFile } from '../../reporter/baseline';
import { buildReport } from '../../reporter/buildReport';
import { collectFile, type TestResultLike } from '../../reporter/collectFile';
import type { FileReport, LeakReport } from '../../reporter/LeakReport';
import { resolveOptions, type LeakReporterOptions, type ResolvedOptions } from '../../reporter/options';
import { publishReport } from '../../reporter/outputFiles';
import { ensureRecordsDir, readRecordsFile, RECORDS_DIR_ENV, removeRecordsDir } from '../../reporter/recordsDir';
import { ReporterError } from '../../reporter/ReporterError';
import { shouldColor } from '../../reporter/terminalTable';
import type { LeakRecord } from '../model';
import { recordsFromMeta } from './meta';

/** The slices of Vitest's reporter API (4.1) this reporter reads; structural, so the compiled code never imports Vitest. */
export interface VitestLike {
  version?: string;
  config: { root: string; shard?: { index: number; count: number } | null };
}
export interface TestCaseLike {
  type: 'test';
  fullName: string;
  meta(): Record<string, unknown>;
  result(): { state: string; errors?: ReadonlyArray<{ message?: string }> };
}
export interface TestModuleLike {
  moduleId: string;
  state(): string;
  errors(): ReadonlyArray<{ message?: string; stack?: string; name?: string }>;
  children: { allTests(): Iterable<TestCaseLike> };
}

function vitestVersionFrom(root: string): string | null {
  try {
    const file = require.resolve('vitest/package.json', { paths: [root, __dirname] });
    const v = (JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown }).version;
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

/**
 * `reporters: ['default', new LeakproofVitestReporter(options)]` (or `'leakproof/vitest-reporter'`, or through
 * `withLeakproof`). Options as the Jest reporter's; `outputDir` and `baseline` are relative to Vitest's root. Under
 * `vitest --shard=i/n` it writes only `shard-i-of-n.json`, which `leakproof merge` combines.
 */
export class LeakproofVitestReporter {
  private readonly options: ResolvedOptions;
  private rootDir = process.cwd();
  private shard: { index: number; count: number } | null = null;
  private vitestVersion: string | null = null;
  private ownRecordsDir: string | undefined;
  private readonly files = new Map<string, FileReport>();
  private readonly problems: string[] = [];
  /** The report of the last completed run (for programmatic use and tests). */
  report: LeakReport | undefined;

  constructor(options?: LeakReporterOptions) {
    this.options = resolveOptions(options);
  }

  /** Vitest calls this in the main process before any worker starts, so the workers inherit the side-channel folder. */
  onInit(vitest: VitestLike): void {
    this.rootDir = vitest.config.root;
    this.shard = vitest.config.shard ? { index: vitest.config.shard.index, count: vitest.config.shard.count } : null;
    this.vitestVersion = vitest.version ?? vitestVersionFrom(this.rootDir);
    this.ownRecordsDir ??= ensureRecordsDir();
  }

  onTestRunStart(): void {
    // In watch mode the reporter outlives a run; the previous run removed its folder.
    if (!this.ownRecordsDir && !process.env[RECORDS_DIR_ENV]) this.ownRecordsDir = ensureRecordsDir();
    this.files.clear();
    this.problems.length = 0;
  }

  onTestModuleEnd(testModule: TestModuleLike): void {
    this.collect(testModule);
  }

  private collect(testModule: TestModuleLike): void {
    const result = toTestResult(testModule);
    const fromMeta = result.testResults.flatMap((t) => t.leak ?? []);
    const fromFiles = this.sideChannel(testModule.moduleId);
    // The side-channel file holds every assertion of the file in order, hooks included, and survives a killed worker;
    // the tests' meta is the channel that needs no shared folder.
    const records = fromFiles.length >= fromMeta.length ? fromFiles : fromMeta;
    const file = collectFile(this.rootDir, result, records);
    if (records.length > 0 || file.status === 'crashed') this.files.set(testModule.moduleId, file);
  }

  private sideChannel(testPath: string): LeakRecord[] {
    const dir = process.env[RECORDS_DIR_ENV];
    if (!dir) return [];
    const { records, problem } = readRecordsFile(dir, testPath);
    if (problem) this.problems.push(problem);
    return records;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModuleLike>): void {
    try {
      // A module that never reported its end (its worker died) is still collected, as crashed.
      for (const m of testModules) if (!this.files.has(m.moduleId)) this.collect(m);
      let report = buildReport({
        rootDir: this.rootDir,
        files: [...this.files.values()],
        shard: this.shard,
        problems: this.problems.slice(),
      });
      // The runner of this report is Vitest: a Jest found next to leakproof did not run it.
      report.environment = { ...report.environment, jest: null, vitest: this.vitestVersion };
      if (this.options.baseline) {
        const { tolerance, toleranceBytes } = this.options;
        report = applyBaselineFile(report, path.resolve(this.rootDir, this.options.baseline), {
          file: this.options.baseline,
          tolerance,
          toleranceBytes,
        });
      }
      this.report = report;
      publishReport(report, {
        outDir: path.resolve(this.rootDir, this.options.outputDir),
        formats: this.options.formats,
        silent: this.options.silent,
        verbose: this.options.verbose,
        color: shouldColor(process.stderr),
        github: this.options.github,
        write: (t) => process.stderr.write('\n' + t),
      });
      if (this.options.failOnRegression && report.summary.regressions > 0) {
        const err = new ReporterError(
          'ERR_BASELINE_REGRESSION',
          `${report.summary.regressions} memory regression(s) against the baseline ${this.options.baseline}`,
        );
        process.stderr.write(`leakproof reporter: ${err.message}\n`);
        process.exitCode = 1;
      }
    } catch (err) {
      process.stderr.write(`leakproof reporter: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    } finally {
      removeRecordsDir(this.ownRecordsDir);
      this.ownRecordsDir = undefined;
    }
  }
}

/** A Vitest module as the Jest-shaped result the shared collectFile reads. */
export function toTestResult(testModule: TestModuleLike): TestResultLike {
  const tests = [...testModule.children.allTests()];
  const errors = testModule.errors();
  const state = testModule.state();
  const failing = tests.filter((t) => t.result().state === 'failed').length;
  // Errors outside any test (syntax error, failing beforeAll/afterAll, a worker that died) mean the file did not run
  // as written; so does a module still pending or queued when the run ended.
  const execError =
    errors.length > 0
      ? { message: errors.map((e) => e.message || e.name || 'error').join('\n'), stack: errors[0].stack ?? null }
      : state === 'pending' || state === 'queued'
        ? { message: 'the test file did not finish running (its worker exited or the run was cancelled)' }
        : null;
  return {
    testFilePath: testModule.moduleId,
    testExecError: execError,
    numFailingTests: failing,
    testResults: tests.map((t) => ({
      fullName: t.fullName,
      status: t.result().state,
      leak: recordsFromMeta(t.meta()),
    })),
  };
}

export default LeakproofVitestReporter;
