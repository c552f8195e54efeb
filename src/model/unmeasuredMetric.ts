// A metric left out of a measurement because this process cannot read it, with why and how to fix that.
import type { MetricName } from './metric';

/** A metric the assertion would have measured but could not read here (addon missing, platform without it). */
export interface UnmeasuredMetric {
  metric: MetricName;
  /** Why it could not be read, one sentence. */
  reason: string;
  /** What would make it readable. */
  fix: string;
}
