// The error a MemoryProfiler raises when its methods are called in the wrong order (snapshot before start, start twice).
import { LeakproofError } from '../errors';

/** Stable code of every ProfilerError: the call sequence was wrong, not an argument. */
export type ProfilerErrorCode = 'LEAKPROOF_E_PROFILER_STATE';

/** A LeakproofError (name 'ProfilerError') whose code is always LEAKPROOF_E_PROFILER_STATE. */
export class ProfilerError extends LeakproofError<ProfilerErrorCode> {
  constructor(message: string, options?: { cause?: unknown }) {
    super('LEAKPROOF_E_PROFILER_STATE', message, options);
    this.name = 'ProfilerError';
  }
}
