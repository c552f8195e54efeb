// The reporter's options: their defaults, and validation at the boundary (a wrong option is a typed error naming it).
import { unknownKeyOf } from '../src/kernel/validate';
import { ReporterError } from './ReporterError';

export type OutputFormat = 'json' | 'junit' | 'markdown' | 'html';
export const ALL_FORMATS: readonly OutputFormat[] = ['json', 'junit', 'markdown', 'html'];

export interface LeakReporterOptions {
  /** Folder for every file the reporter writes, relative to Jest's rootDir. Default `leak-report`. */
  outputDir?: string;
  /** Files to write. Default: all four. `[]` writes nothing but the terminal table (and shard files when sharded). */
  formats?: OutputFormat[];
  /** Baseline file to compare with (relative to rootDir). Unset: no comparison. */
  baseline?: string;
  /** Relative rise of growth or peak over the baseline that is tolerated. Default 0.25 (25%). */
  tolerance?: number;
  /** Absolute rise (bytes) always tolerated, so tiny baselines do not flag noise. Default 64 KiB. */
  toleranceBytes?: number;
  /** When true, a baseline regression fails the run (Jest exits 1). Default false: regressions are flagged only. */
  failOnRegression?: boolean;
  /** No terminal output (files are still written). */
  silent?: boolean;
  /** Every metric of every assertion in the terminal table, not only those that matter. */
  verbose?: boolean;
  /** Write the Markdown summary to $GITHUB_STEP_SUMMARY and emit ::error annotations. Default: when GITHUB_ACTIONS=true. */
  github?: boolean;
}

export interface ResolvedOptions {
  outputDir: string;
  formats: OutputFormat[];
  baseline?: string;
  tolerance: number;
  toleranceBytes: number;
  failOnRegression: boolean;
  silent: boolean;
  verbose: boolean;
  github: boolean;
}

const KNOWN = new Set([
  'outputDir',
  'formats',
  'baseline',
  'tolerance',
  'toleranceBytes',
  'failOnRegression',
  'silent',
  'verbose',
  'github',
]);

function bad(name: string, expected: string, got: unknown): never {
  throw new ReporterError(
    'ERR_REPORTER_OPTION',
    `leakproof reporter option "${name}" must be ${expected}, got ${JSON.stringify(got)}`,
  );
}

function bool(o: Record<string, unknown>, name: string, dflt: boolean): boolean {
  const v = o[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') bad(name, 'a boolean', v);
  return v;
}

function nonNegative(o: Record<string, unknown>, name: string, dflt: number): number {
  const v = o[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) bad(name, 'a finite number ≥ 0', v);
  return v;
}

export function resolveOptions(raw: unknown, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  if (raw === undefined || raw === null) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) bad('(options)', 'an object', raw);
  const o = raw as Record<string, unknown>;
  const k = unknownKeyOf(o, KNOWN);
  if (k !== undefined)
    throw new ReporterError(
      'ERR_REPORTER_OPTION',
      `unknown leakproof reporter option "${k}"; known options: ${[...KNOWN].join(', ')}`,
    );
  let outputDir = 'leak-report';
  if (o.outputDir !== undefined) {
    if (typeof o.outputDir !== 'string' || o.outputDir.trim() === '')
      bad('outputDir', 'a non-empty string', o.outputDir);
    outputDir = o.outputDir;
  }
  let formats: OutputFormat[] = [...ALL_FORMATS];
  if (o.formats !== undefined) {
    if (!Array.isArray(o.formats)) bad('formats', `an array of ${ALL_FORMATS.join('/')}`, o.formats);
    for (const f of o.formats)
      if (!ALL_FORMATS.includes(f as OutputFormat)) bad('formats', `an array of ${ALL_FORMATS.join('/')}`, o.formats);
    formats = [...new Set(o.formats as OutputFormat[])];
  }
  let baseline: string | undefined;
  if (o.baseline !== undefined) {
    if (typeof o.baseline !== 'string' || o.baseline === '') bad('baseline', 'a file path', o.baseline);
    baseline = o.baseline;
  }
  return {
    outputDir,
    formats,
    baseline,
    tolerance: nonNegative(o, 'tolerance', 0.25),
    toleranceBytes: nonNegative(o, 'toleranceBytes', 64 * 1024),
    failOnRegression: bool(o, 'failOnRegression', false),
    silent: bool(o, 'silent', false),
    verbose: bool(o, 'verbose', false),
    github: bool(o, 'github', env.GITHUB_ACTIONS === 'true'),
  };
}
