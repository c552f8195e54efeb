import { parseReport, renderJson } from '../../../reporter/jsonReport';
import { REPORT_SCHEMA, REPORT_SCHEMA_VERSION } from '../../../reporter/LeakReport';
import { sampleReport } from '../../helpers/syntheticRecords';

describe('JSON report', () => {
  const report = sampleReport();
  const text = renderJson(report);
  const json = JSON.parse(text);

  it('carries the schema name and version', () => {
    expect(json.schema).toBe(REPORT_SCHEMA);
    expect(json.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(json.generatedAt).toBe('2026-01-02T03:04:05.000Z');
  });

  it('records the environment: node, jest, platform, gc method', () => {
    expect(json.environment.node).toBe(process.version);
    expect(json.environment.jest).toMatch(/^\d+\.\d+\.\d+/);
    expect(json.environment.platform).toBe(process.platform);
    expect(json.environment.gcMethod).toBe('v8-flags');
  });

  it('includes every sample series of every metric', () => {
    const heap = json.files[0].records[0].metrics[0];
    expect(heap.metric).toBe('heap');
    expect(heap.samples).toHaveLength(10);
    expect(heap.samples[1] - heap.samples[0]).toBe(5 * 10 * 1024);
    expect(heap.sampleIterations).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45]);
    expect(json.files[0].records[0].metrics[1].metric).toBe('native');
  });

  it('summarizes', () => {
    expect(json.summary).toEqual({
      files: 2,
      crashedFiles: 0,
      assertions: 3,
      passed: 2,
      failed: 1,
      leaks: 1,
      errors: 0,
      regressions: 0,
    });
  });

  it('round-trips through parseReport', () => {
    expect(parseReport(text, 'x.json')).toEqual(report);
  });

  it.each([
    ['not json', 'ERR_REPORT_PARSE', /not valid JSON/],
    ['{"schema":"other"}', 'ERR_REPORT_SCHEMA', /"schema" is "other"/],
    [JSON.stringify({ ...sampleReport(), schemaVersion: 99 }), 'ERR_REPORT_SCHEMA', /"schemaVersion" is 99/],
    [
      JSON.stringify({ ...sampleReport(), files: [{ path: 'a', status: 'weird', records: [] }] }),
      'ERR_REPORT_SCHEMA',
      /files\[0\]\.status/,
    ],
    [
      JSON.stringify({
        ...sampleReport(),
        files: [
          {
            path: 'a',
            status: 'passed',
            records: [{ testName: 't', pass: true, leak: false, metrics: [{ metric: 'heap', slope: 'x' }] }],
          },
        ],
      }),
      'ERR_REPORT_SCHEMA',
      /records\[0\]\.metrics\[0\]\.slope/,
    ],
  ])('rejects bad input %#', (input, code, message) => {
    expect(() => parseReport(input, 'bad.json')).toThrow(
      expect.objectContaining({ code, message: expect.stringMatching(message) }),
    );
  });
});
