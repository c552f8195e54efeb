// Which kinds of handle a run left open: live resources by type at the start and the end of a measurement.
import { liveUnrefTimersByType } from './unrefTimers';

export type HandleCensus = Map<string, number>;

/**
 * Live resources by type: what `process.getActiveResourcesInfo()` lists ('TCPWRAP', 'Timeout', 'FSReqCallback', ...)
 * plus the unref'd timers it leaves out, tracked while measuring, as "Timeout (unref'd)". Allocates: taken twice per
 * run, outside the sampled rows.
 */
export function handleCensus(): HandleCensus {
  const census: HandleCensus = new Map();
  const list = (process as { getActiveResourcesInfo?: () => string[] }).getActiveResourcesInfo;
  if (typeof list === 'function') for (const type of list.call(process)) census.set(type, (census.get(type) ?? 0) + 1);
  for (const [type, n] of liveUnrefTimersByType())
    census.set(`${type} (unref'd)`, (census.get(`${type} (unref'd)`) ?? 0) + n);
  return census;
}

/** Types whose count rose from `before` to `after`, largest rise first; empty when none rose. */
export function handleTypesGrown(before: HandleCensus, after: HandleCensus): { type: string; delta: number }[] {
  const grown: { type: string; delta: number }[] = [];
  for (const [type, n] of after) {
    const delta = n - (before.get(type) ?? 0);
    if (delta > 0) grown.push({ type, delta });
  }
  return grown.sort((a, b) => b.delta - a.delta || a.type.localeCompare(b.type));
}
