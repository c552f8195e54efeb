// The Jest glue's side of the record contract: the global the matcher pushes records into. The record and metric types
// live in src/model/ and are re-exported here for code that still imports them from this path.
export type {
  AllocationSite,
  GrowthClass,
  HorizonInfo,
  LeakRecord,
  MetricDecision,
  MetricName,
  MetricResult,
  StopReason,
  UnmeasuredMetric,
} from '../model';

/** Name of the global array in the test realm where matchers push records. */
export const RECORDS_GLOBAL = '__LEAKPROOF_RECORDS__';
