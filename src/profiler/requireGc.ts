// The process GC for the one-shot measurements, or the typed error saying how to get one.
import { LeakproofError } from '../errors';
import { getGc, type GcHandle } from '../engine/gc';

export function requireGc(where: string): GcHandle {
  const handle = getGc();
  if (handle.method === 'unavailable') {
    throw new LeakproofError(
      'LEAKPROOF_E_GC',
      `leakproof: ${where}: cannot force garbage collection in this process, so retained memory cannot be told from garbage. ` +
        'Start node with --expose-gc or run under the leakproof Jest preset.',
    );
  }
  return handle;
}
