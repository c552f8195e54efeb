// The one error family: LeakproofError and its subclasses, each carrying a stable `code` callers can branch on.
//
// Every public error of the package is a LeakproofError (`instanceof LeakproofError`, or isLeakproofError() across
// realms) with a documented code, and keeps what caused it in `cause`:
// - LeakproofError itself: the LEAKPROOF_E_* codes below (engine, matcher, native addon);
// - MeasurementAbortedError (src/engine/measurementAborted.ts): LEAKPROOF_E_ABORTED with the reason as data;
// - NativeSitesUnavailableError (src/engine/nativeSites.ts): LEAKPROOF_E_NATIVE_SITES_UNAVAILABLE with the reason;
// - ProfilerError (src/profiler/ProfilerError.ts): LEAKPROOF_E_PROFILER_STATE;
// - ReporterError (reporter/ReporterError.ts): the ERR_REPORT*, ERR_BASELINE_*, ERR_SHARD_* and ERR_NO_REPORTS codes;
// - GprError (src/gpr/GprError.ts): the GPR_E_* codes of leakproof/gpr;
// - CliError (src/cli/CliError.ts, not exported): LEAKPROOF_E_CLI, printed as one line with an exit code.
// Subclasses keep their own `name` (ReporterError, GprError, ...); codes are never renamed or reused.

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
  /** The native addon (native metric, handles, fds) is not built here and no prebuild fits; `leakproof build-native`. */
  | 'LEAKPROOF_E_NATIVE_UNAVAILABLE'
  /** leakproof was set up in the wrong place: matchers/setup loaded where there is no global `expect`. */
  | 'LEAKPROOF_E_SETUP'
  /** The run was cancelled: its AbortSignal, or its test timed out, failed or ended (see MeasurementAbortedError). */
  | 'LEAKPROOF_E_ABORTED'
  /** A synchronous reading (MemoryProfiler) was asked for while another measurement of this process was running. */
  | 'LEAKPROOF_E_BUSY'
  /** Native allocation sites were asked for where the allocation tracker cannot run (no addon, not glibc Linux, ...). */
  | 'LEAKPROOF_E_NATIVE_SITES_UNAVAILABLE';

/** Marks every error of the family, also across realms (Symbol.for keys are shared by all realms of a process). */
const FAMILY = Symbol.for('leakproof.error');

/** The base of every leakproof error. `Code` is the subclass's code union (LeakproofErrorCode for this class). */
export class LeakproofError<Code extends string = LeakproofErrorCode> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LeakproofError';
    this.code = code;
  }
}
Object.defineProperty(LeakproofError.prototype, FAMILY, { value: true });

/**
 * True for an error of the family (LeakproofError or a subclass: ReporterError, ProfilerError, GprError, ...), also one
 * created in another realm (Jest runs tests in a vm context, which loads its own copy of this module).
 */
export function isLeakproofError(err: unknown): err is LeakproofError<string> {
  if (typeof err !== 'object' || err === null || typeof (err as { code?: unknown }).code !== 'string') return false;
  return (err as { [FAMILY]?: unknown })[FAMILY] === true || (err as { name?: unknown }).name === 'LeakproofError';
}
