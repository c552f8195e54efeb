// `leakproof merge [dir]`: checks that every shard of a sharded run reported, then renders the combined report.
import * as path from 'path';
import type { Command } from 'commander';
import {
  finishReport,
  mergeShardFolder,
  ReporterError,
  resolveOptions,
  type OutputFormat,
} from '../../../reporter/api';
import { shouldColor } from '../../kernel/shouldColor';
import { CliError } from '../CliError';

/** Exit codes: 0 clean, 1 failing assertions / files that failed to run / regressions (with --fail-on-regression), 2 usage or unreadable input, 3 missing or inconsistent shards. */
export const MERGE_EXIT = { ok: 0, failures: 1, usage: 2, shards: 3 } as const;

interface MergeFlags {
  out?: string;
  formats?: string;
  baseline?: string;
  tolerance?: string;
  toleranceBytes?: string;
  failOnRegression?: boolean;
  github?: boolean;
  annotations?: boolean;
  silent?: boolean;
  verbose?: boolean;
}

/** Maps the reporter's typed errors to CLI exit codes. */
export function toCliError(err: unknown): unknown {
  if (!(err instanceof ReporterError)) return err;
  const shardProblem =
    err.code === 'ERR_SHARD_MISSING' || err.code === 'ERR_SHARD_INCONSISTENT' || err.code === 'ERR_NO_REPORTS';
  return new CliError(`${err.message} [${err.code}]`, shardProblem ? MERGE_EXIT.shards : MERGE_EXIT.usage, {
    cause: err,
  });
}

function runMerge(dir: string, flags: MergeFlags): void {
  const num = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new CliError(`--${name} must be a number ≥ 0, got ${JSON.stringify(v)}`);
    return n;
  };
  const options = resolveOptions({
    formats:
      flags.formats === undefined
        ? undefined
        : (flags.formats
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean) as OutputFormat[]),
    baseline: flags.baseline,
    tolerance: num('tolerance', flags.tolerance),
    toleranceBytes: num('tolerance-bytes', flags.toleranceBytes),
    failOnRegression: flags.failOnRegression,
    github: flags.github,
    silent: flags.silent,
    verbose: flags.verbose,
  });
  const inDir = path.resolve(dir);
  const { report, written, failsOnRegression } = finishReport(mergeShardFolder(inDir), {
    options,
    baseDir: process.cwd(),
    outDir: path.resolve(flags.out ?? inDir),
    color: shouldColor(process.stdout),
    // The shard jobs already annotated the failing lines; repeating them from the merge job would double every one.
    annotations: Boolean(flags.annotations) && options.github,
    write: (t) => process.stdout.write(t),
  });
  if (!options.silent) {
    process.stdout.write(`merged ${report.mergedFrom} shard(s) from ${inDir}\n`);
    for (const w of written) process.stdout.write(`wrote ${w}\n`);
  }
  const s = report.summary;
  const failed = s.failed > 0 || s.crashedFiles > 0 || failsOnRegression;
  process.exitCode = failed ? MERGE_EXIT.failures : MERGE_EXIT.ok;
}

export function register(program: Command): void {
  program
    .command('merge')
    .description('merge the shard-<i>-of-<n>.json files of a sharded Jest run and render the combined leak report')
    .argument('[dir]', 'folder holding the shard files', 'leak-report')
    .option('--out <dir>', 'folder for the merged report files (default: the shard folder)')
    .option('--formats <list>', 'comma-separated: json,junit,markdown,html (default: all)')
    .option('--baseline <file>', 'compare with this baseline file')
    .option('--tolerance <fraction>', 'relative rise over the baseline that is tolerated (default 0.25)')
    .option('--tolerance-bytes <bytes>', 'absolute rise always tolerated (default 65536)')
    .option('--fail-on-regression', 'exit 1 when a baseline regression is found')
    .option('--github', 'append the Markdown summary to $GITHUB_STEP_SUMMARY (default when GITHUB_ACTIONS=true)')
    .option('--no-github', 'no GitHub job summary nor annotations')
    .option('--annotations', 'also emit ::error annotations (the shard jobs normally did already)')
    .option('--silent', 'print nothing but errors')
    .option('--verbose', 'show every metric of every assertion')
    .action((dir: string, flags: MergeFlags) => {
      try {
        runMerge(dir, flags);
      } catch (err) {
        throw toCliError(err);
      }
    });
}
