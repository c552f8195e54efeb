// Describes where a run happened (Node, Jest, platform, GC method) for the JSON report and the shard consistency check.
import * as fs from 'fs';
import * as path from 'path';
import type { LeakRecord, UnmeasuredMetric } from '../src/model';
import type { ReportEnvironment } from './LeakReport';

function readVersion(pkg: string, from: string[]): string | null {
  try {
    const file = require.resolve(`${pkg}/package.json`, { paths: from });
    const v = (JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown }).version;
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** The `gcMethod` field: the distinct methods the records report, joined by ','; 'unknown' when there are none. */
export function gcMethodOf(records: Iterable<LeakRecord>): string {
  const seen = new Set<string>();
  for (const r of records) if (typeof r.gcMethod === 'string' && r.gcMethod) seen.add(r.gcMethod);
  return seen.size > 0 ? [...seen].sort().join(',') : 'unknown';
}

/** The metrics any record could not read, first explanation per metric; `{}` when none (an additive field). */
export function unmeasuredOf(records: Iterable<LeakRecord>): { unmeasured?: UnmeasuredMetric[] } {
  const seen = new Map<string, UnmeasuredMetric>();
  for (const r of records) for (const u of r.unmeasured ?? []) if (!seen.has(u.metric)) seen.set(u.metric, u);
  return seen.size > 0 ? { unmeasured: [...seen.values()] } : {};
}

export function reportEnvironment(rootDir: string, records: Iterable<LeakRecord>): ReportEnvironment {
  const from = [rootDir, __dirname];
  return {
    node: process.version,
    jest: readVersion('jest', from) ?? readVersion('@jest/core', from),
    platform: process.platform,
    arch: process.arch,
    gcMethod: gcMethodOf(records),
    leakproof: readVersion('leakproof', [path.join(__dirname, '..', '..')]) ?? ownVersion(),
    ...unmeasuredOf(records),
  };
}

/** This package's version, found by walking up from the compiled file (works from src and from dist). */
function ownVersion(): string {
  let dir = __dirname;
  for (let i = 0; i < 4; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'leakproof' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // no package.json at this level
    }
    dir = path.dirname(dir);
  }
  return 'unknown';
}
