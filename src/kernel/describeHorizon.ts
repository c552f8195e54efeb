// The sequential verdict's horizon in words ("extended 3× from 200 while undecided"), for every face that prints one.
import type { HorizonInfo } from '../model';

/** Why the run measured as many iterations as it did; '' when the record predates the sequential verdict. */
export function describeHorizon(detection: { horizon?: HorizonInfo }): string {
  const h = detection.horizon;
  if (!h) return '';
  if (h.stopReason === 'fixed-horizon') return 'fixed horizon';
  const extended =
    h.looks > 1 ? `extended ${h.looks - 1}× from ${h.firstWindow} while undecided` : 'decided at the first window';
  const stop =
    h.stopReason === 'time-budget'
      ? `, stopped by the ${Math.round(h.maxDurationMs)} ms time budget${h.testTimeoutMs ? ` (what the test's ${Math.round(h.testTimeoutMs)} ms timeout left)` : ''}`
      : h.stopReason === 'max-iterations'
        ? `, stopped at the ${h.maxIterations}-iteration cap`
        : '';
  return extended + stop;
}
