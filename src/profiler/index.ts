// The programmatic profiler API (usable outside Jest). Re-exports only.
export { MemoryProfiler, type ProfilerOptions, type ProfileSnapshot, type LeakCheck } from './MemoryProfiler';
export { memoryProfile, type MemoryProfileOptions, type ProfiledCall } from './memoryProfile';
export { profileMemory } from './profileMemory';
export { measureMemoryUsage, type MeasureOptions, type MemoryUsageResult } from './measureMemoryUsage';
export { runMemoryStressTest, type StressTestOptions, type StressTestResult } from './runMemoryStressTest';
export { startProfiling, stopProfiling, getProfilingReport } from './globalProfiler';
export { ProfilerError, type ProfilerErrorCode } from './ProfilerError';
export type { MemoryGrowth } from './snapshotGrowth';
