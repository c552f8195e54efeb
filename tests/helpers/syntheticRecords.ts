// Synthetic LeakRecords and reports for the reporter's unit tests: hand-built series with known slopes.
import type { LeakRecord, MetricName, MetricResult } from '../../src/model';
import { buildReport } from '../../reporter/buildReport';
import type { FileReport, LeakReport } from '../../reporter/LeakReport';

export const ROOT = '/project';

/** A metric whose samples rise by exactly `slope` per iteration from `start`, sampled every `every` iterations. */
export function metric(
  name: MetricName,
  slope: number,
  opts: Partial<MetricResult> & { n?: number; every?: number; start?: number } = {},
): MetricResult {
  const n = opts.n ?? 10;
  const every = opts.every ?? 5;
  const start = opts.start ?? 20_000_000;
  const sampleIterations = Array.from({ length: n }, (_, i) => i * every);
  const samples = sampleIterations.map((it) => start + slope * it);
  const iterations = n * every;
  const threshold = opts.threshold ?? 64 * 1024;
  const growth = slope * iterations;
  const { n: _n, every: _e, start: _s, ...rest } = opts;
  return {
    metric: name,
    unit: name === 'handles' || name === 'fds' ? 'count' : 'bytes',
    slope,
    slopeLow: slope * 0.9,
    slopeHigh: slope * 1.1,
    growth,
    growthLow: growth * 0.9,
    growthHigh: growth * 1.1,
    threshold,
    classification: slope > 0 ? 'linear' : 'none',
    leak: growth * 0.9 > threshold,
    peak: Math.max(...samples) - samples[0],
    samples,
    sampleIterations,
    ...rest,
  };
}

export function record(testName: string, metrics: MetricResult[], opts: Partial<LeakRecord> = {}): LeakRecord {
  const leak = metrics.some((m) => m.leak);
  const negated = opts.negated ?? true;
  return {
    schemaVersion: 1,
    testName,
    testPath: `${ROOT}/tests/a.test.ts`,
    line: 12,
    column: 5,
    negated,
    pass: negated ? !leak : leak,
    leak,
    iterations: 50,
    warmup: 5,
    threshold: 64 * 1024,
    durationMs: 250,
    metrics,
    gcMethod: 'v8-flags',
    ...opts,
  };
}

/** A leaking assertion (heap +10 KiB/iteration) and a clean one, in one file. */
export function leakyFile(path = 'tests/a.test.ts'): FileReport {
  const abs = `${ROOT}/${path}`;
  return {
    path,
    status: 'failed',
    records: [
      record('cache keeps every request', [metric('heap', 10 * 1024), metric('native', 3)], {
        testPath: abs,
        line: 12,
      }),
      record('parser is clean', [metric('heap', 2), metric('external', 0)], { testPath: abs, line: 20 }),
    ],
  };
}

export function cleanFile(path = 'tests/b.test.ts'): FileReport {
  return {
    path,
    status: 'passed',
    records: [record('json round trip', [metric('heap', 1)], { testPath: `${ROOT}/${path}`, line: 7 })],
  };
}

export function sampleReport(
  files: FileReport[] = [leakyFile(), cleanFile()],
  shard: LeakReport['shard'] = null,
): LeakReport {
  return buildReport({ rootDir: ROOT, files, shard, now: new Date('2026-01-02T03:04:05Z') });
}
