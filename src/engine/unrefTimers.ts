// Live unref'd timers: the handles that process.getActiveResourcesInfo() does not list, counted while a measurement runs.
import { createHook, type AsyncHook } from 'node:async_hooks';

/**
 * `getActiveResourcesInfo()` lists only resources that keep the event loop alive, so a `setInterval(...).unref()` made
 * per call and never cleared (a common leak: the timer and everything its callback captures stay alive forever) is
 * invisible to the `handles` metric. While armed, an async_hooks `init` hook keeps every Timeout and Immediate created
 * since; a timer counts while it is not destroyed (cleared, or a one-shot that fired) and not ref'd (ref'd ones are
 * already in `getActiveResourcesInfo()`, so none is counted twice).
 *
 * Why an init-only hook and a strong Set: with a `destroy` hook Node would register a weak callback for every promise,
 * which allocates per promise and changes what async code measures; an init hook costs a call per async resource
 * (about +30% on promise-heavy loops while armed, nothing when disarmed). Holding the timers strongly retains nothing
 * extra: a live timer is held by Node's timer list anyway, and destroyed ones are dropped by `pruneDestroyedTimers()`
 * before every settling GC, so a batch's cleared timers never survive into its sample (the batch size doubles between
 * looks, and anything retained per call until the sample would read as growth).
 *
 * `_destroyed` is the flag Node's timers set when a timer is cleared or done; it is not a documented API. If a future
 * Node does not set it, arming reports that and the tracker stays off (the metric then means what it meant before),
 * rather than counting every timer as live forever.
 */
interface TimerLike {
  _destroyed?: unknown;
  hasRef?: () => boolean;
}

const TRACKED_TYPES = new Set(['Timeout', 'Immediate']);

let hook: AsyncHook | undefined;
let armedCount = 0;
const timers = new Set<TimerLike>();
let supported: boolean | undefined;

/** Whether this Node marks cleared timers as destroyed the way the tracker relies on (checked once). */
export function unrefTimerTrackingSupported(): boolean {
  if (supported !== undefined) return supported;
  const t = setTimeout(() => undefined, 1_000_000) as unknown as TimerLike;
  const before = t._destroyed;
  clearTimeout(t as unknown as NodeJS.Timeout);
  supported = before === false && t._destroyed === true && typeof t.hasRef === 'function';
  return supported;
}

/**
 * Starts tracking (nested arms are counted; each returned disarm undoes one). Returns a no-op when unsupported.
 */
export function armUnrefTimers(): () => void {
  if (!unrefTimerTrackingSupported()) return () => undefined;
  if (armedCount++ === 0) {
    hook = createHook({
      init(_id: number, type: string, _trigger: number, resource: object) {
        if (TRACKED_TYPES.has(type)) timers.add(resource as TimerLike);
      },
    });
    hook.enable();
  }
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (--armedCount === 0) {
      hook?.disable();
      hook = undefined;
      timers.clear();
    }
  };
}

/** Drops cleared and finished timers. Called before each settling GC so their memory is collected by it. */
export function pruneDestroyedTimers(): void {
  if (timers.size === 0) return;
  for (const t of timers) if (t._destroyed === true) timers.delete(t);
}

/** Timers created since arming that are alive and unref'd; 0 when disarmed. Allocates nothing. */
export function liveUnrefTimers(): number {
  let live = 0;
  for (const t of timers) {
    if (t._destroyed === true) timers.delete(t);
    else if (t.hasRef && !t.hasRef()) live++;
  }
  return live;
}

/** Live unref'd timers by type ('Timeout', 'Immediate'), for naming what a handle leak holds. Allocates. */
export function liveUnrefTimersByType(): Map<string, number> {
  const byType = new Map<string, number>();
  for (const t of timers) {
    if (t._destroyed === true || !t.hasRef || t.hasRef()) continue;
    const type = (t as { constructor?: { name?: string } }).constructor?.name ?? 'Timeout';
    byType.set(type, (byType.get(type) ?? 0) + 1);
  }
  return byType;
}

/** Whether a measurement is tracking unref'd timers right now. */
export function unrefTimersArmed(): boolean {
  return armedCount > 0;
}
