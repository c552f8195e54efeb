// The domain model: the record and metric types every layer shares. Types only; it imports nothing outside itself.
export type { GrowthClass, MetricDecision, MetricName, MetricResult } from './metric';
export type { HorizonInfo, StopReason } from './horizon';
export type { AllocationSite } from './allocationSite';
export type { UnmeasuredMetric } from './unmeasuredMetric';
export type { LeakRecord } from './leakRecord';
export type { SurvivalReading, SurvivalSummary } from './survival';
