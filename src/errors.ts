// Typed errors of the leak engine and its faces: each carries a stable `code` callers can branch on.

/** Stable error codes. Never renumber or reuse: users match on them. */
export type LeakproofErrorCode =
  /** An option had the wrong type or an impossible value. */
  | 'LEAKPROOF_E_OPTIONS'
  /** No way to force a full garbage collection in this process. */
  | 'LEAKPROOF_E_GC'
  /** The function under test threw or rejected; no verdict was made. */
  | 'LEAKPROOF_E_FN_THREW'
  /** A metric was asked for explicitly but cannot be read on this platform/build. */
  | 'LEAKPROOF_E_METRIC_UNAVAILABLE'
  /** The run was cancelled through its AbortSignal. */
  | 'LEAKPROOF_E_ABORTED';

export class LeakproofError extends Error {
  readonly code: LeakproofErrorCode;

  constructor(code: LeakproofErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LeakproofError';
    this.code = code;
  }
}

/** True for a LeakproofError, also one created in another realm (Jest runs tests in a vm context). */
export function isLeakproofError(err: unknown): err is LeakproofError {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { name?: unknown }).name === 'LeakproofError' &&
    typeof (err as { code?: unknown }).code === 'string'
  );
}
