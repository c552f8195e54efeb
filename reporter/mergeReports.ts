// Combines the shard files of one sharded run into one report, after checking that all n shards are there and agree.
import * as fs from 'fs';
import * as path from 'path';
import type { FileReport, LeakReport } from './LeakReport';
import { REPORT_SCHEMA, REPORT_SCHEMA_VERSION } from './LeakReport';
import { readReportFile } from './jsonReport';
import { gcMethodOf, unmeasuredOf } from './reportEnvironment';
import { ReporterError } from './ReporterError';
import { summarize } from './summarize';

const SHARD_FILE = /^shard-(\d+)-of-(\d+)\.json$/;

/**
 * Shard files found in a folder and its immediate subfolders (CI artefact downloads often put each shard in a folder
 * of its own), with the index/count their names claim.
 */
export function findShardFiles(dir: string): Array<{ file: string; index: number; count: number }> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new ReporterError(
      'ERR_NO_REPORTS',
      `cannot read report folder ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      { cause: err },
    );
  }
  const out: Array<{ file: string; index: number; count: number }> = [];
  const consider = (folder: string, name: string): void => {
    const m = SHARD_FILE.exec(name);
    if (m) out.push({ file: path.join(folder, name), index: Number(m[1]), count: Number(m[2]) });
  };
  for (const e of entries) {
    if (e.isFile()) consider(dir, e.name);
    else if (e.isDirectory()) {
      const sub = path.join(dir, e.name);
      for (const f of fs.readdirSync(sub, { withFileTypes: true })) if (f.isFile()) consider(sub, f.name);
    }
  }
  return out.sort((a, b) => a.index - b.index || a.file.localeCompare(b.file));
}

/**
 * Checks and merges parsed shard reports. Throws ERR_SHARD_MISSING when an index in 1..n has no report and
 * ERR_SHARD_INCONSISTENT when shards disagree (count, duplicate index, environment, or the same test file in two shards).
 */
export function mergeShardReports(shards: Array<{ source: string; report: LeakReport }>, now = new Date()): LeakReport {
  if (shards.length === 0)
    throw new ReporterError('ERR_NO_REPORTS', 'no shard reports to merge (expected files named shard-<i>-of-<n>.json)');
  for (const s of shards) {
    if (!s.report.shard)
      throw new ReporterError(
        'ERR_SHARD_INCONSISTENT',
        `${s.source} is not a shard report (its "shard" is null); run Jest with --shard=i/n`,
      );
  }
  const counts = new Set(shards.map((s) => s.report.shard!.count));
  if (counts.size > 1) {
    throw new ReporterError(
      'ERR_SHARD_INCONSISTENT',
      `shard reports disagree on the shard count: ${shards.map((s) => `${path.basename(s.source)} says ${s.report.shard!.count}`).join(', ')}`,
    );
  }
  const count = [...counts][0];
  const byIndex = new Map<number, string>();
  for (const s of shards) {
    const i = s.report.shard!.index;
    if (i < 1 || i > count)
      throw new ReporterError('ERR_SHARD_INCONSISTENT', `${s.source} claims shard ${i} of ${count}`);
    if (byIndex.has(i))
      throw new ReporterError(
        'ERR_SHARD_INCONSISTENT',
        `shard ${i}/${count} appears twice: ${byIndex.get(i)} and ${s.source}`,
      );
    byIndex.set(i, s.source);
  }
  const missing: number[] = [];
  for (let i = 1; i <= count; i++) if (!byIndex.has(i)) missing.push(i);
  if (missing.length > 0) {
    throw new ReporterError(
      'ERR_SHARD_MISSING',
      `missing shard report(s) ${missing.map((i) => `${i}/${count}`).join(', ')} (found ${[...byIndex.keys()]
        .sort((a, b) => a - b)
        .map((i) => `${i}/${count}`)
        .join(', ')}); did a shard job fail before writing shard-${missing[0]}-of-${count}.json?`,
    );
  }
  const ref = shards[0];
  for (const s of shards.slice(1)) {
    for (const k of ['node', 'jest', 'vitest', 'platform', 'arch', 'leakproof'] as const) {
      if (s.report.environment[k] !== ref.report.environment[k]) {
        throw new ReporterError(
          'ERR_SHARD_INCONSISTENT',
          `shards ran in different environments: ${path.basename(ref.source)} has ${k} ${ref.report.environment[k]}, ${path.basename(s.source)} has ${k} ${s.report.environment[k]}`,
        );
      }
    }
  }
  const files = new Map<string, { file: FileReport; source: string }>();
  const problems: string[] = [];
  for (const s of [...shards].sort((a, b) => a.report.shard!.index - b.report.shard!.index)) {
    for (const f of s.report.files) {
      const seen = files.get(f.path);
      if (seen)
        throw new ReporterError(
          'ERR_SHARD_INCONSISTENT',
          `test file ${f.path} appears in two shards (${path.basename(seen.source)} and ${path.basename(s.source)}): were they from different runs?`,
        );
      files.set(f.path, { file: f, source: s.source });
    }
    for (const p of s.report.problems) problems.push(`shard ${s.report.shard!.index}/${count}: ${p}`);
  }
  const merged = [...files.values()]
    .map((v) => v.file)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    schema: REPORT_SCHEMA,
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: now.toISOString(),
    environment: {
      ...ref.report.environment,
      gcMethod: gcMethodOf(merged.flatMap((f) => f.records)),
      unmeasured: undefined,
      ...unmeasuredOf(merged.flatMap((f) => f.records)),
    },
    shard: null,
    mergedFrom: count,
    files: merged,
    summary: summarize(merged),
    problems,
  };
}

/** Reads every shard file in `dir` and merges them. */
export function mergeShardFolder(dir: string, now = new Date()): LeakReport {
  const found = findShardFiles(dir);
  if (found.length === 0)
    throw new ReporterError(
      'ERR_NO_REPORTS',
      `no shard-<i>-of-<n>.json files in ${dir}; run jest --shard=i/n with the leakproof reporter first`,
    );
  const shards = found.map((f) => {
    const report = readReportFile(f.file);
    if (!report.shard || report.shard.index !== f.index || report.shard.count !== f.count) {
      throw new ReporterError(
        'ERR_SHARD_INCONSISTENT',
        `${f.file} is named shard ${f.index}/${f.count} but contains ${report.shard ? `${report.shard.index}/${report.shard.count}` : 'a non-shard report'}`,
      );
    }
    return { source: f.file, report };
  });
  return mergeShardReports(shards, now);
}
