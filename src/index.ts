// leakproof: the programmatic API. Re-exports only.
export type { LeakRecord, MetricResult, MetricName, GrowthClass } from './jest/record';
export * from './profiler';
