// One headline rule for every face: the failure message, `leakproof check` and the reporter name the same metric.
import { headlineMetric, thresholdRatio } from '../../../src/kernel/headlineMetric';
import type { MetricName, MetricResult } from '../../../src/model';
import type { LeakDetection } from '../../../src/engine/detectLeak';
import { formatLeakMessage } from '../../../matchers/formatLeakMessage';
import { checkText, type CheckOutcome } from '../../../src/cli/commands/check';
import { metricsThatMatter, worstOffenders } from '../../../reporter/summarize';
import { renderTerminal } from '../../../reporter/terminalTable';
import { buildReport } from '../../../reporter/buildReport';
import type { LeakRecord } from '../../../src/model';

const KIB = 1024;

/** A metric with the given point estimate and lower bound of growth over 100 iterations. */
function m(metric: MetricName, growth: number, growthLow: number, extra: Partial<MetricResult> = {}): MetricResult {
  const unit = metric === 'handles' || metric === 'fds' ? 'count' : 'bytes';
  const threshold = unit === 'bytes' ? 64 * KIB : 0;
  return {
    metric,
    unit,
    slope: growth / 100,
    slopeLow: growthLow / 100,
    slopeHigh: (2 * growth - growthLow) / 100,
    growth,
    growthLow,
    growthHigh: 2 * growth - growthLow,
    threshold,
    classification: 'noisy',
    leak: false,
    peak: growth,
    samples: [0, growth / 2, growth],
    sampleIterations: [0, 50, 100],
    ...extra,
  };
}

/**
 * No metric leaks. The three old rules disagreed on this result: the message's used the lower bound and could pick
 * rss, `leakproof check`'s used the point estimate (heap: +60 KiB, noisy), the reporter's the lower bound without
 * rss (external). The rule now says external on every face.
 */
const quiet: MetricResult[] = [
  m('heap', 60 * KIB, 5 * KIB),
  m('external', 40 * KIB, 30 * KIB),
  m('rss', 50 * KIB, 45 * KIB),
  m('handles', 0.4, 0.2),
];

function detection(metrics: MetricResult[]): LeakDetection {
  return {
    leak: metrics.some((x) => x.leak),
    metrics,
    iterations: 100,
    warmup: 10,
    samples: 2,
    threshold: 64 * KIB,
    horizon: { firstWindow: 100, looks: 1, stopReason: 'fixed-horizon', maxDurationMs: 60000, maxIterations: 100 },
    durationMs: 10,
    calibrationMs: 0,
    gcMethod: 'expose-gc-flag',
    unmeasured: [],
  } as unknown as LeakDetection;
}

const plain = (s: string): string => s;
const utils = { RECEIVED_COLOR: plain, EXPECTED_COLOR: plain } as unknown as Parameters<
  typeof formatLeakMessage
>[0]['utils'];

function record(metrics: MetricResult[]): LeakRecord {
  const leak = metrics.some((x) => x.leak);
  return {
    schemaVersion: 1,
    testName: 'the one result',
    testPath: '/project/tests/a.test.ts',
    negated: true,
    pass: !leak,
    leak,
    iterations: 100,
    warmup: 10,
    threshold: 64 * KIB,
    durationMs: 10,
    metrics,
    gcMethod: 'expose-gc-flag',
  };
}

/** The metric each face headlines for one result. */
function facesHeadline(metrics: MetricResult[]): {
  message: string;
  check: string;
  reporter: string;
  offender: string;
} {
  const message = formatLeakMessage({ detection: detection(metrics), hint: 'hint', isNot: true, utils });
  const received = /^Received: (?:no leak: largest growth )?(\w+)/m.exec(message)![1];

  const outcome: CheckOutcome = {
    name: 'one',
    leak: metrics.some((x) => x.leak),
    durationMs: 10,
    metrics,
    full: metrics,
    iterations: 100,
  };
  const text = checkText([outcome], { iterations: 100, warmup: 10, threshold: 64 * KIB }, false, false);
  const row = text.split('\n').find((l) => l.includes(' one '))!;
  const check = row.split('│').map((c) => c.trim())[3];

  const r = record(metrics);
  const [reporter] = metricsThatMatter(r);
  const report = buildReport({
    rootDir: '/project',
    files: [{ path: 'tests/a.test.ts', status: 'passed', records: [r] }],
    shard: null,
    now: new Date(0),
  });
  const table = renderTerminal(report, { color: false });
  expect(table).toContain(reporter.metric);
  const [offender] = worstOffenders(report.files);
  return { message: received, check, reporter: reporter.metric, offender: offender.metric.metric };
}

describe('headlineMetric', () => {
  test('a leaking metric wins, the one furthest past its threshold', () => {
    const metrics = [
      m('heap', 100 * KIB, 70 * KIB, { leak: true }),
      m('external', 400 * KIB, 300 * KIB, { leak: true }),
      quiet[2],
    ];
    expect(headlineMetric(metrics)?.metric).toBe('external');
  });

  test('a leaking rss is named; a quiet rss is not, even with the largest lower bound', () => {
    expect(headlineMetric([m('heap', 1, 0), m('rss', 900 * KIB, 800 * KIB, { leak: true })])?.metric).toBe('rss');
    expect(headlineMetric(quiet)?.metric).toBe('external');
    expect(headlineMetric([m('rss', 10, 5)])?.metric).toBe('rss');
  });

  test('an undecided metric comes before a quiet one; counts only when no memory metric was measured', () => {
    expect(headlineMetric([...quiet, m('heap', 1, 0, { decision: 'undecided' })].slice(1))?.metric).toBe('heap');
    expect(headlineMetric([m('handles', 0.4, 0.2), m('fds', 0, 0)])?.metric).toBe('handles');
    expect(headlineMetric([])).toBeUndefined();
  });

  test('thresholdRatio compares the lower bound with the threshold', () => {
    expect(thresholdRatio(m('heap', 200 * KIB, 128 * KIB))).toBe(2);
    expect(thresholdRatio(m('fds', 1, 0.5))).toBe(Infinity);
    expect(thresholdRatio(m('fds', 1, 0))).toBe(0);
  });
});

describe('one result headlines the same metric on every face', () => {
  test('no leak: the message, leakproof check, the reporter table and worst offenders all name external', () => {
    expect(facesHeadline(quiet)).toEqual({
      message: 'external',
      check: 'external',
      reporter: 'external',
      offender: 'external',
    });
  });

  test('two leaks: every face names the one furthest past its threshold first', () => {
    const metrics = [
      m('heap', 100 * KIB, 70 * KIB, { leak: true }),
      m('external', 400 * KIB, 300 * KIB, { leak: true }),
    ];
    const faces = facesHeadline(metrics);
    // The message lists every leak; its first is the record's order, so only check, offender and the rule are compared.
    expect(headlineMetric(metrics)?.metric).toBe('external');
    expect(faces.check).toBe('external');
    expect(faces.offender).toBe('external');
  });
});
