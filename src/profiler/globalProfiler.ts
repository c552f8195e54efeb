// Process-wide profiling helpers: one shared MemoryProfiler started, stopped and reported from anywhere.
import { MemoryProfiler, type ProfilerOptions } from './MemoryProfiler';
import { ProfilerError } from './ProfilerError';
import type { MemoryGrowth } from './snapshotGrowth';
import { checkOptions } from './validate';

let current: MemoryProfiler | undefined;

/** Starts the shared profiler (its `start` baseline) and returns it, so callers can take snapshots. */
export function startProfiling(options?: ProfilerOptions): MemoryProfiler {
  if (current?.running)
    throw new ProfilerError('startProfiling() called while profiling is already running; call stopProfiling() first.');
  checkOptions('startProfiling', options, ['name', 'metrics', 'gc']);
  const profiler = new MemoryProfiler({ name: 'global profiler', ...options });
  profiler.start();
  current = profiler;
  return profiler;
}

/** Takes the final reading of the shared profiler; its report stays available through getProfilingReport(). */
export function stopProfiling(): { growth: MemoryGrowth; report: string } {
  if (!current?.running)
    throw new ProfilerError('stopProfiling() called while no profiling is running; call startProfiling() first.');
  return current.stop();
}

/** The report of the running profiler, or of the last stopped one. */
export function getProfilingReport(): string {
  if (!current) throw new ProfilerError('getProfilingReport() called before startProfiling().');
  return current.report();
}
