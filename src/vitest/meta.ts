// Where a Vitest test carries its leak records to the main process: a key of the test's `meta`, serialized by Vitest.
import type { LeakRecord } from '../model';

/** `testCase.meta().leakproof` in a Vitest reporter: the records of that test's toLeakMemory assertions, in order. */
export const META_KEY = 'leakproof';

/** Appends a record to a task's meta (creating the list). */
export function addRecordToMeta(meta: Record<string, unknown> | undefined, record: LeakRecord): void {
  if (!meta) return;
  const list = meta[META_KEY];
  if (Array.isArray(list)) list.push(record);
  else meta[META_KEY] = [record];
}

/** The records a test's meta holds; [] when none (or when something else used the key). */
export function recordsFromMeta(meta: Record<string, unknown> | undefined): LeakRecord[] {
  const list = meta?.[META_KEY];
  return Array.isArray(list)
    ? list.filter((r): r is LeakRecord => typeof r === 'object' && r !== null && (r as LeakRecord).schemaVersion === 1)
    : [];
}
