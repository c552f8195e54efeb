// The typed error of a measurement that ended without a verdict: why (test timeout, failure, end, time limit, signal).
import { LeakproofError } from '../errors';
import type { ScopeEndKind } from './testScope';

/** What ended a measurement early: its test (timed out, failed, ended), the time its test had left, or the caller's signal. */
export type AbortKind = ScopeEndKind | 'time-limit' | 'signal';

/** LEAKPROOF_E_ABORTED with the reason as data: a record can say `aborted` and why without parsing the message. */
export class MeasurementAbortedError extends LeakproofError {
  readonly abortReason: AbortKind;
  /** Milliseconds the measurement waited for earlier ones before it started (or until it was aborted in the queue). */
  readonly queuedMs: number;

  constructor(abortReason: AbortKind, message: string, queuedMs: number) {
    super('LEAKPROOF_E_ABORTED', message);
    this.abortReason = abortReason;
    this.queuedMs = queuedMs;
  }
}

/** The abort reason of a LEAKPROOF_E_ABORTED error, also one from another realm; undefined for anything else. */
export function abortReasonOf(err: unknown): AbortKind | undefined {
  if (typeof err !== 'object' || err === null || (err as { code?: unknown }).code !== 'LEAKPROOF_E_ABORTED')
    return undefined;
  const kind = (err as { abortReason?: unknown }).abortReason;
  return kind === 'test-timeout' ||
    kind === 'test-failed' ||
    kind === 'test-ended' ||
    kind === 'time-limit' ||
    kind === 'signal'
    ? kind
    : 'signal';
}

/** The record fields of an assertion that ended in `err`: `aborted`, why, and the time it queued (empty otherwise). */
export function abortedRecordFields(err: unknown): { aborted?: true; abortReason?: AbortKind; queuedMs?: number } {
  const abortReason = abortReasonOf(err);
  if (abortReason === undefined) return {};
  const queuedMs = (err as { queuedMs?: unknown }).queuedMs;
  return { aborted: true, abortReason, ...(typeof queuedMs === 'number' && queuedMs >= 1 ? { queuedMs } : {}) };
}
