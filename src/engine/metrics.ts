// Metric readers: a hot-path reader that writes into a caller's Float64Array, and an allocating snapshot for occasional use.
import type { MetricName } from '../model';
import { tryLoadNative } from '../native';
import { liveUnrefTimers } from './unrefTimers';

/**
 * Column order of every sample row. `native` and `fds` are adjacent because the native probe writes both in one call
 * (`readProbe(out, offset)` fills out[offset] and out[offset + 1]).
 */
export const METRIC_NAMES: readonly MetricName[] = [
  'heap',
  'external',
  'arrayBuffers',
  'native',
  'fds',
  'rss',
  'handles',
];
export const METRIC_COUNT = METRIC_NAMES.length;
export const COL_HEAP = 0;
export const COL_EXTERNAL = 1;
export const COL_ARRAY_BUFFERS = 2;
export const COL_NATIVE = 3;
export const COL_FDS = 4;
export const COL_RSS = 5;
export const COL_HANDLES = 6;

/** Unit of each metric. */
export function metricUnit(metric: MetricName): 'bytes' | 'count' {
  return metric === 'handles' || metric === 'fds' ? 'count' : 'bytes';
}

export type MetricSnapshot = Record<MetricName, number>;

type ReadProbe = (out: Float64Array, offset: number) => void;

let probe: ReadProbe | null | undefined;

function nativeProbe(): ReadProbe | null {
  if (probe !== undefined) return probe;
  const addon = tryLoadNative();
  const fn = addon?.readProbe as unknown;
  probe = typeof fn === 'function' ? (fn as ReadProbe) : null;
  return probe;
}

/** Which metrics this process can read (native and fds need the addon, handles need Node's resource API). */
export function availableMetrics(): MetricName[] {
  const row = new Float64Array(METRIC_COUNT);
  readMetricsInto(row, 0);
  return METRIC_NAMES.filter((_, i) => !Number.isNaN(row[i]));
}

/**
 * Writes one sample row at `out[offset .. offset + METRIC_COUNT)`; unavailable metrics become NaN.
 * Allocates only what Node's own APIs return (the memoryUsage object, the resources array), which is garbage by the next
 * forced GC and the same size every sample, so it adds noise to no trend.
 */
export function readMetricsInto(out: Float64Array, offset: number): void {
  const mem = process.memoryUsage();
  out[offset + COL_HEAP] = mem.heapUsed;
  out[offset + COL_EXTERNAL] = mem.external;
  out[offset + COL_ARRAY_BUFFERS] = mem.arrayBuffers;
  out[offset + COL_RSS] = mem.rss;
  const read = nativeProbe();
  if (read) {
    read(out, offset + COL_NATIVE);
    if (out[offset + COL_NATIVE] < 0) out[offset + COL_NATIVE] = NaN;
    if (out[offset + COL_FDS] < 0) out[offset + COL_FDS] = NaN;
  } else {
    out[offset + COL_NATIVE] = NaN;
    out[offset + COL_FDS] = NaN;
  }
  const resources = (process as { getActiveResourcesInfo?: () => string[] }).getActiveResourcesInfo;
  // Plus the unref'd timers a measurement tracks (src/engine/unrefTimers.ts), which the resource list leaves out.
  out[offset + COL_HANDLES] =
    typeof resources === 'function' ? resources.call(process).length + liveUnrefTimers() : NaN;
}

/** One reading of every metric (NaN where unavailable). Allocates: not for the measuring loop. */
export function readMetrics(): MetricSnapshot {
  const row = new Float64Array(METRIC_COUNT);
  readMetricsInto(row, 0);
  const snap = {} as MetricSnapshot;
  METRIC_NAMES.forEach((name, i) => {
    snap[name] = row[i];
  });
  return snap;
}
