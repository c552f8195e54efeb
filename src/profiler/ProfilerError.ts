// The error a MemoryProfiler raises when its methods are called in the wrong order (snapshot before start, start twice).

/** Stable code of every ProfilerError: the call sequence was wrong, not an argument. */
export type ProfilerErrorCode = 'LEAKPROOF_E_PROFILER_STATE';

export class ProfilerError extends Error {
  readonly code: ProfilerErrorCode = 'LEAKPROOF_E_PROFILER_STATE';

  constructor(message: string) {
    super(message);
    this.name = 'ProfilerError';
  }
}
