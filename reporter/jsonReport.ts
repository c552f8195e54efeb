// The JSON format: serializes a LeakReport, and reads one back with validation (merge and baseline read these files).
import * as fs from 'fs';
import type { LeakRecord } from '../src/model';
import type { FileReport, LeakReport } from './LeakReport';
import { REPORT_SCHEMA, REPORT_SCHEMA_VERSION } from './LeakReport';
import { ReporterError } from './ReporterError';

export function renderJson(report: LeakReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

function fail(source: string, what: string): never {
  throw new ReporterError(
    'ERR_REPORT_SCHEMA',
    `${source}: ${what} (expected a ${REPORT_SCHEMA} v${REPORT_SCHEMA_VERSION} file written by the leakproof reporter)`,
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkRecord(source: string, where: string, r: unknown): asserts r is LeakRecord {
  if (!isObject(r)) fail(source, `${where} is not an object`);
  if (typeof r.testName !== 'string') fail(source, `${where}.testName is not a string`);
  if (typeof r.pass !== 'boolean' || typeof r.leak !== 'boolean') fail(source, `${where}.pass/leak are not booleans`);
  if (!Array.isArray(r.metrics)) fail(source, `${where}.metrics is not an array`);
  r.metrics.forEach((m: unknown, i: number) => {
    if (!isObject(m)) fail(source, `${where}.metrics[${i}] is not an object`);
    for (const k of ['slope', 'growth', 'threshold', 'peak'])
      if (typeof m[k] !== 'number') fail(source, `${where}.metrics[${i}].${k} is not a number`);
    if (typeof m.metric !== 'string') fail(source, `${where}.metrics[${i}].metric is not a string`);
    if (!Array.isArray(m.samples) || !Array.isArray(m.sampleIterations))
      fail(source, `${where}.metrics[${i}] has no samples/sampleIterations arrays`);
  });
}

/** Parses and validates a report; `source` names the file in error messages. Throws ReporterError (ERR_REPORT_PARSE / ERR_REPORT_SCHEMA). */
export function parseReport(text: string, source: string): LeakReport {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new ReporterError('ERR_REPORT_PARSE', `${source} is not valid JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (!isObject(v)) fail(source, 'the top level is not an object');
  if (v.schema !== REPORT_SCHEMA) fail(source, `"schema" is ${JSON.stringify(v.schema)}`);
  if (v.schemaVersion !== REPORT_SCHEMA_VERSION)
    fail(
      source,
      `"schemaVersion" is ${JSON.stringify(v.schemaVersion)}, this leakproof reads ${REPORT_SCHEMA_VERSION}`,
    );
  if (!isObject(v.environment)) fail(source, '"environment" is missing');
  if (v.shard !== null && !(isObject(v.shard) && Number.isInteger(v.shard.index) && Number.isInteger(v.shard.count)))
    fail(source, '"shard" is neither null nor {index, count}');
  if (!Array.isArray(v.files)) fail(source, '"files" is not an array');
  v.files.forEach((f: unknown, i: number) => {
    if (!isObject(f)) fail(source, `files[${i}] is not an object`);
    if (typeof f.path !== 'string') fail(source, `files[${i}].path is not a string`);
    if (f.status !== 'passed' && f.status !== 'failed' && f.status !== 'crashed')
      fail(source, `files[${i}].status is ${JSON.stringify(f.status)}`);
    if (!Array.isArray(f.records)) fail(source, `files[${i}].records is not an array`);
    (f as unknown as FileReport).records.forEach((r, j) => checkRecord(source, `files[${i}].records[${j}]`, r));
  });
  if (!Array.isArray(v.problems)) v.problems = [];
  return v as unknown as LeakReport;
}

export function readReportFile(file: string): LeakReport {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ReporterError('ERR_REPORT_PARSE', `cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  return parseReport(text, file);
}
