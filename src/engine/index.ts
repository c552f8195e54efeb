// The leak engine: GC, metric readers, sampler, control calibration and detectLeak. Re-exports only.
export { getGc, forceFullGc, type GcHandle, type GcMethod } from './gc';
export { readMetrics, readMetricsInto, availableMetrics, metricUnit, METRIC_NAMES, METRIC_COUNT, type MetricSnapshot } from './metrics';
export {
  resolveOptions,
  DEFAULT_THRESHOLD,
  DEFAULT_ITERATIONS,
  DEFAULT_WARMUP,
  DEFAULT_SAMPLES,
  DEFAULT_DECIDING,
  type DetectOptions,
  type ResolvedOptions,
} from './options';
export { runSampler, settle, column, type SamplePlan, type SampleSeries } from './sampler';
export { settleMemory, settleMemorySync } from './settleMemory';
export { getCalibration, measureCalibration } from './calibration';
export { detectLeak, type LeakDetection } from './detectLeak';
export { profileAllocationSites, type AllocationProfile, type AllocationSite, type ProfileOptions } from './allocationSites';
export { workerState, WORKER_STATE_GLOBAL, type WorkerState, type Calibration } from './workerState';
