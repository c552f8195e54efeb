// Settling before a one-shot reading: full GCs until array-buffer memory stops moving, in sync and async forms.
import { setImmediate as realSetImmediate } from 'node:timers';
import type { GcHandle } from './gc';
import { pruneDestroyedTimers } from './unrefTimers';
import { finishCompiling } from './finishCompiling';
import { finishSweeping } from './finishSweeping';

/**
 * Used where one reading anchors a result: the sampler's baseline row and every profiler reading (a single difference).
 * Backing stores of dead ArrayBuffers are sometimes released only by a later collection (seen in Jest workers under
 * load: 5 MiB of garbage still counted after two GCs), so collect until two consecutive readings of `arrayBuffers` and
 * `external` agree, within a small cap. Per-sample settling stays the engine's one-GC `settle`, whose one-sample lag is
 * the same for every row and so adds no trend.
 */
const MAX_ROUNDS = 6;

/** True when array-buffer and external bytes both equal the previous reading (which it then replaces). */
function unchanged(last: { arrayBuffers: number; external: number }): boolean {
  const m = process.memoryUsage();
  const same = m.arrayBuffers === last.arrayBuffers && m.external === last.external;
  last.arrayBuffers = m.arrayBuffers;
  last.external = m.external;
  return same;
}

/** Synchronous: for sync code paths that must not yield (a sync function stays sync when profiled). */
export function settleMemorySync(gc: GcHandle): void {
  finishCompiling();
  pruneDestroyedTimers();
  gc.gc();
  finishSweeping();
  const last = { arrayBuffers: NaN, external: NaN };
  unchanged(last);
  for (let round = 1; round < MAX_ROUNDS; round++) {
    gc.gc();
    finishSweeping();
    if (unchanged(last)) return;
  }
}

/** Asynchronous: a macrotask turn between collections lets finalizers and deferred frees run. */
export async function settleMemory(gc: GcHandle): Promise<void> {
  finishCompiling();
  pruneDestroyedTimers();
  gc.gc();
  finishSweeping();
  const last = { arrayBuffers: NaN, external: NaN };
  unchanged(last);
  for (let round = 1; round < MAX_ROUNDS; round++) {
    await new Promise<void>((resolve) => realSetImmediate(resolve));
    finishCompiling();
    gc.gc();
    finishSweeping();
    if (unchanged(last)) return;
  }
}
