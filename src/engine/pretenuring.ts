// V8's allocation-site pretenuring is switched off while a measurement runs, and back on after it.
import * as v8 from 'node:v8';

/**
 * Why: V8 watches how many objects from each allocation site survive a collection and, when most do, allocates that
 * site's objects directly in old space from then on ("pretenuring"). Memory a leak retains survives by definition, so
 * its site is pretenured a few samples into a run, and from then on its growth reached `heapUsed` in steps: a 150 B/call
 * leak in a Jest worker read −3 KiB per sample for up to 13 samples running, then jumped by 30–250 KiB (per-space
 * readings: old space only). With pretenuring off for the same loop the increments were regular (the same rate every
 * few samples) and the verdict came 2–8x sooner. Pretenuring is a speed heuristic; turning it off changes where
 * objects are placed, never what is alive. Sites V8 pretenured before the run stay as they were.
 *
 * The flag is process-wide; measurements run one at a time per process (exclusiveMeasurement.ts), so the previous
 * setting is restored when the run ends, unless the process was started with pretenuring off already.
 */
export function suspendPretenuring(): () => void {
  const startedOff = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) =>
    /^--no[-_]allocation[-_]site[-_]pretenuring$/.test(a),
  );
  if (startedOff) return () => undefined;
  try {
    v8.setFlagsFromString('--no-allocation-site-pretenuring');
  } catch {
    return () => undefined;
  }
  return () => {
    try {
      v8.setFlagsFromString('--allocation-site-pretenuring');
    } catch {
      // Best effort, as the call that turned it off.
    }
  };
}
