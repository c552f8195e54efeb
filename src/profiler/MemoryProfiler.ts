// MemoryProfiler: labelled, GC-settled snapshots of every metric, growth since start, and a statistical leak check.
import type { MetricName, MetricResult } from '../model';
import { LeakproofError } from '../errors';
import { getGc, type GcHandle } from '../engine/gc';
import { METRIC_NAMES, metricUnit, readMetrics, type MetricSnapshot } from '../engine/metrics';
import { DEFAULT_DECIDING, DEFAULT_THRESHOLD } from '../engine/options';
import { workerState } from '../engine/workerState';
import { busyWith } from '../engine/measurementLock';
import { analyzeMetric, resolutionFor } from '../stats/analyzeMetric';
import { formatAmount } from './formatAmount';
import { formatGrowth } from './formatGrowth';
import { formatVerdict } from '../kernel/formatVerdict';
import { ProfilerError } from './ProfilerError';
import { settleMemorySync } from '../engine/settleMemory';
import { snapshotGrowth, type MemoryGrowth } from './snapshotGrowth';
import { checkLabel, checkMetrics, checkOptions, checkThreshold, invalid } from './validate';

export interface ProfilerOptions {
  /** Name used in reports. Default `MemoryProfiler`. */
  name?: string;
  /** Metrics to read. Default: every one this process can read; listed metrics all decide in checkForLeaks. */
  metrics?: MetricName[];
  /**
   * Force full GCs before each reading (default true; at least two, until array-buffer memory stops moving), so a
   * snapshot shows what is retained, not garbage.
   * With false, readings are raw and checkForLeaks sees garbage as growth.
   */
  gc?: boolean;
}

export interface ProfileSnapshot {
  label: string;
  /** Milliseconds since start(). */
  timeMs: number;
  /** Every metric's reading (NaN where unreadable). */
  metrics: MetricSnapshot;
}

export interface LeakCheck {
  leak: boolean;
  report: string;
  /** Per-metric statistics over the snapshots (the slope is per snapshot interval). */
  metrics: MetricResult[];
}

const WHERE = 'MemoryProfiler';
const OPTION_KEYS = ['name', 'metrics', 'gc'] as const;

export class MemoryProfiler {
  readonly name: string;
  private readonly metricList: MetricName[];
  private readonly explicitMetrics: boolean;
  private readonly useGc: boolean;
  private gcHandle: GcHandle | undefined;
  private readonly taken: ProfileSnapshot[] = [];
  private startedAt = 0;
  private state: 'idle' | 'running' | 'stopped' = 'idle';

  constructor(options?: ProfilerOptions) {
    const o = checkOptions(WHERE, options, OPTION_KEYS);
    this.name = o.name === undefined ? 'MemoryProfiler' : checkLabel(WHERE, 'name', o.name);
    this.explicitMetrics = o.metrics !== undefined;
    this.metricList = this.explicitMetrics ? checkMetrics(WHERE, o.metrics) : [...METRIC_NAMES];
    if (o.gc !== undefined && typeof o.gc !== 'boolean') invalid(WHERE, 'gc', 'a boolean', o.gc);
    this.useGc = o.gc !== false;
  }

  /** True between start() and stop(). */
  get running(): boolean {
    return this.state === 'running';
  }

  /** Every reading so far, the `start` baseline first (and `stop` last once stopped). */
  get snapshots(): readonly ProfileSnapshot[] {
    return this.taken;
  }

  /** Clears earlier readings and takes the `start` baseline. */
  start(): this {
    if (this.state === 'running')
      throw new ProfilerError(`${this.name}: start() called while already running; call stop() first.`);
    if (this.useGc) {
      const handle = getGc();
      if (handle.method === 'unavailable') {
        throw new LeakproofError(
          'LEAKPROOF_E_GC',
          `leakproof: ${this.name}: cannot force garbage collection in this process, so snapshots would count garbage as growth. ` +
            'Start node with --expose-gc, or pass { gc: false } to accept raw readings.',
        );
      }
      this.gcHandle = handle;
    }
    this.assertIdle('start()');
    this.taken.length = 0;
    this.state = 'running';
    this.read('start');
    return this;
  }

  /** Records a labelled reading (after a full GC unless `gc: false`). */
  snapshot(label: string): ProfileSnapshot {
    checkLabel(`${WHERE}.snapshot`, 'label', label);
    if (this.state !== 'running') {
      throw new ProfilerError(
        `${this.name}: snapshot("${label}") called ${this.state === 'idle' ? 'before start()' : 'after stop()'}.`,
      );
    }
    this.assertIdle(`snapshot("${label}")`);
    return this.read(label);
  }

  /** Change per metric from the `start` baseline to the latest reading. */
  growth(): MemoryGrowth {
    if (this.taken.length === 0) throw new ProfilerError(`${this.name}: growth() called before start().`);
    return snapshotGrowth(this.taken[0].metrics, this.taken[this.taken.length - 1].metrics, this.metricList);
  }

  /**
   * Whether memory grew beyond `threshold` bytes across the readings. Readings count as equally spaced steps of work.
   * With three or more readings this is the engine's verdict (growth's lower 95% bound above the threshold; handle and fd
   * counts that rise steadily); with only two there is no interval, and the raw difference is compared to the threshold.
   */
  checkForLeaks(threshold: number = DEFAULT_THRESHOLD): LeakCheck {
    checkThreshold(`${WHERE}.checkForLeaks`, threshold);
    const n = this.taken.length;
    if (n < 2)
      throw new ProfilerError(
        `${this.name}: checkForLeaks() needs start() and at least one snapshot(); it has ${n} reading(s).`,
      );
    const calibration = workerState().calibration;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const results: MetricResult[] = [];
    for (const metric of this.metricList) {
      const y = Float64Array.from(this.taken, (s) => s.metrics[metric]);
      if (y.some(Number.isNaN)) continue;
      const unit = metricUnit(metric);
      const deciding = this.explicitMetrics || DEFAULT_DECIDING.includes(metric);
      const metricThreshold = unit === 'bytes' ? threshold : 0;
      const sigma = calibration?.sigma[METRIC_NAMES.indexOf(metric)];
      if (n >= 3) {
        results.push(
          analyzeMetric({
            metric,
            unit,
            x,
            y,
            iterations: n - 1,
            threshold: metricThreshold,
            deciding,
            controlSigma: sigma !== undefined && Number.isFinite(sigma) ? sigma : 0,
          }),
        );
      } else {
        results.push(twoPointResult(metric, unit, y, metricThreshold, deciding));
      }
    }
    const leak = results.some((r) => r.leak);
    const report = formatVerdict({
      title: this.name,
      leak,
      metrics: results,
      iterations: n - 1,
      step: 'snapshot',
      threshold,
    });
    return { leak, report, metrics: results };
  }

  /** A table of every reading (the baseline in absolute terms, the rest as change since start) and the total growth. */
  report(): string {
    if (this.taken.length === 0) return `${this.name}: not started.`;
    const metrics = this.metricList.filter((m) => this.taken.every((s) => Number.isFinite(s.metrics[m])));
    const base = this.taken[0].metrics;
    const header = ['snapshot', 'time', ...metrics];
    const rows = this.taken.map((s, i) => [
      s.label,
      `${Math.round(s.timeMs)} ms`,
      ...metrics.map((m) =>
        i === 0 ? formatAmount(base[m], metricUnit(m), false) : formatAmount(s.metrics[m] - base[m], metricUnit(m)),
      ),
    ]);
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
    const line = (cells: string[]): string =>
      '  ' +
      cells
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd();
    const last = this.taken[this.taken.length - 1];
    return [
      `${this.name}: ${this.taken.length} reading(s) over ${(last.timeMs / 1000).toFixed(2)} s` +
        `${this.useGc ? ', full GC before each' : ', raw (no GC)'}${this.state === 'running' ? ', running' : ''}`,
      line(header),
      ...rows.map(line),
      `  growth since start: ${formatGrowth(this.growth(), metrics)}`,
    ].join('\n');
  }

  /** Takes the final `stop` reading and ends the session; returns the growth and the report. */
  stop(): { growth: MemoryGrowth; report: string } {
    if (this.state !== 'running')
      throw new ProfilerError(`${this.name}: stop() called ${this.state === 'idle' ? 'before start()' : 'twice'}.`);
    this.assertIdle('stop()');
    this.read('stop');
    this.state = 'stopped';
    return { growth: this.growth(), report: this.report() };
  }

  /**
   * Readings are synchronous, so they cannot wait their turn: one taken while another measurement of this process runs
   * (a concurrent test's assertion) would count that measurement's memory, and its GCs and readings would disturb it.
   * Such a call throws LEAKPROOF_E_BUSY and changes nothing; calls from inside that measurement (its fn) are allowed.
   */
  private assertIdle(call: string): void {
    const other = busyWith();
    if (other === undefined) return;
    throw new LeakproofError(
      'LEAKPROOF_E_BUSY',
      `leakproof: ${this.name}: ${call} was called while the measurement of "${other}" was running in this process; ` +
        'its memory would show in this reading. Await that assertion first, or keep profiled and measured tests out of ' +
        'test.concurrent / Promise.all together.',
    );
  }

  private read(label: string): ProfileSnapshot {
    if (this.gcHandle) settleMemorySync(this.gcHandle);
    const now = performance.now();
    // Time runs from the baseline reading, so the collections before it do not count as profiled time.
    if (this.taken.length === 0) this.startedAt = now;
    const snap: ProfileSnapshot = { label, timeMs: now - this.startedAt, metrics: readMetrics() };
    this.taken.push(snap);
    return snap;
  }
}

/** The verdict from two readings: no interval exists, so the raw difference stands for slope, growth and both bounds. */
function twoPointResult(
  metric: MetricName,
  unit: 'bytes' | 'count',
  y: Float64Array,
  threshold: number,
  deciding: boolean,
): MetricResult {
  const d = y[1] - y[0];
  return {
    metric,
    unit,
    slope: d,
    slopeLow: d,
    slopeHigh: d,
    growth: d,
    growthLow: d,
    growthHigh: d,
    threshold,
    classification: Math.abs(d) < resolutionFor(unit) ? 'none' : 'step',
    leak: deciding && (unit === 'bytes' ? d > threshold : d >= 1),
    peak: Math.max(0, d),
    samples: [y[0], y[1]],
    sampleIterations: [0, 1],
  };
}
