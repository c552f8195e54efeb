// Writes a report's files into the report folder (atomically): the same code path for the Jest reporter and `leakproof merge`.
import type { LeakReport } from './LeakReport';
import type { OutputFormat } from './options';
import { writeFileAtomic } from './atomicWrite';
import { renderJson } from './jsonReport';

/** File names inside the report folder. */
export const OUTPUT_FILES: Record<OutputFormat, string> = {
  json: 'leak-report.json',
  junit: 'leak-report.junit.xml',
  markdown: 'leak-report.md',
  html: 'leak-report.html',
};

/** Name of a shard's file: `shard-<index>-of-<count>.json`. */
export function shardFileName(shard: { index: number; count: number }): string {
  return `shard-${shard.index}-of-${shard.count}.json`;
}

export type Renderer = (report: LeakReport) => string;

const renderers: Partial<Record<OutputFormat, Renderer>> = { json: renderJson };

/** Lets later format modules plug in without this file importing every renderer eagerly. */
export function registerRenderer(format: OutputFormat, render: Renderer): void {
  renderers[format] = render;
}

/** Writes each requested format; returns the written paths. */
export function writeOutputs(dir: string, report: LeakReport, formats: readonly OutputFormat[]): string[] {
  const written: string[] = [];
  for (const f of formats) {
    const render = renderers[f];
    if (!render) continue;
    written.push(writeFileAtomic(dir, OUTPUT_FILES[f], render(report)));
  }
  return written;
}
