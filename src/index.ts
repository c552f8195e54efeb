// leakproof: the programmatic API. Re-exports only.
export type { LeakRecord, MetricResult, MetricName, GrowthClass } from './model';
export * from './profiler';
// The matcher's options type; importing it (or anything from 'leakproof') also brings in the `toLeakMemory` augmentation of both `expect`s.
export type { LeakMatcherOptions } from '../matchers/types';
export { LeakproofError, isLeakproofError, type LeakproofErrorCode } from './errors';
