// Publishes a report: its files in the report folder (atomically), the terminal table, and the GitHub Actions faces.
// The Jest reporter and `leakproof merge` both go through here, so a merged run looks exactly like a single one.
import { writeFileAtomic } from './atomicWrite';
import { appendStepSummary, githubAnnotations } from './githubActions';
import { renderHtml } from './htmlReport';
import { renderJson } from './jsonReport';
import { renderJunit } from './junitXml';
import type { LeakReport } from './LeakReport';
import { renderMarkdown } from './markdownSummary';
import type { OutputFormat } from './options';
import { renderTerminal } from './terminalTable';

/** File names inside the report folder. */
export const OUTPUT_FILES: Record<OutputFormat, string> = {
  json: 'leak-report.json',
  junit: 'leak-report.junit.xml',
  markdown: 'leak-report.md',
  html: 'leak-report.html',
};

const RENDERERS: Record<OutputFormat, (report: LeakReport) => string> = {
  json: renderJson,
  junit: renderJunit,
  markdown: renderMarkdown,
  html: renderHtml,
};

/** Name of a shard's file: `shard-<index>-of-<count>.json`. */
export function shardFileName(shard: { index: number; count: number }): string {
  return `shard-${shard.index}-of-${shard.count}.json`;
}

/** Writes each requested format into `dir`; returns the written paths. */
export function writeOutputs(dir: string, report: LeakReport, formats: readonly OutputFormat[]): string[] {
  return formats.map((f) => writeFileAtomic(dir, OUTPUT_FILES[f], RENDERERS[f](report)));
}

export interface PublishOptions {
  outDir: string;
  formats: readonly OutputFormat[];
  silent: boolean;
  verbose: boolean;
  color: boolean;
  /** Append the Markdown summary to $GITHUB_STEP_SUMMARY (when set). */
  github: boolean;
  /** Emit `::error`/`::warning` workflow commands; defaults to `github`. */
  annotations?: boolean;
  /** Where the table goes: Jest reporters write to stderr, the CLI to stdout. */
  write: (text: string) => void;
  /** Where workflow commands go (the Actions runner reads stdout). */
  writeCommand?: (text: string) => void;
  env?: NodeJS.ProcessEnv;
}

/**
 * A shard report writes only its shard file (other formats would collide between shards sharing a folder; the merge
 * renders them); a whole or merged report writes every requested format. Returns the paths written.
 */
export function publishReport(report: LeakReport, opts: PublishOptions): string[] {
  const env = opts.env ?? process.env;
  const written = report.shard
    ? [writeFileAtomic(opts.outDir, shardFileName(report.shard), renderJson(report))]
    : writeOutputs(opts.outDir, report, opts.formats);
  const anything = report.summary.assertions > 0 || report.summary.crashedFiles > 0;
  if (!opts.silent && anything) {
    opts.write(renderTerminal(report, { color: opts.color, verbose: opts.verbose, partial: Boolean(report.shard) }));
  }
  if ((opts.annotations ?? opts.github) && anything) {
    const cmd = opts.writeCommand ?? ((t: string) => process.stdout.write(t));
    for (const line of githubAnnotations(report, env.GITHUB_WORKSPACE)) cmd(line + '\n');
  }
  if (opts.github && anything) appendStepSummary(renderMarkdown(report), env);
  return written;
}
