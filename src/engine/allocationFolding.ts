// TurboFan's allocation folding is switched off for the rest of the process once survival counts are taken.
import * as v8 from 'node:v8';

/**
 * Why: optimised code folds the objects one function allocates close together into one allocation, and V8's sampling
 * heap profiler then records a sample for the group's first object only. When that first object is garbage and a later
 * one is kept (a promise of the harness's `await`, then the array fn keeps), the kept object's sample dies with the
 * garbage: measured on Node 20 and 22, a 45 B/call leak called through the sampler's async loop showed survivors for its first
 * ~4,000 calls and none after, once the loop was optimised; with folding off every batch kept its share (bench/lab
 * notes). Folding is a speed optimisation: turning it off changes how many allocations optimised code makes, never what
 * is alive.
 *
 * The flag applies to code optimised after it is set, so it is set before the first measured call and left off: code
 * optimised in between two measurements of the same process would otherwise fold again. Code optimised before the
 * first measurement keeps folding (a limitation the docs state).
 */
let done = false;

export function disableAllocationFolding(): void {
  if (done) return;
  done = true;
  try {
    v8.setFlagsFromString('--no-turbo-allocation-folding');
    // Maglev (V8 13 and later: Node 24, 26) folds too, under a flag older V8s do not know and would print an error for.
    if (v8MajorVersion() >= 13) v8.setFlagsFromString('--maglev-allocation-folding=0');
  } catch {
    // A runtime without the flag folds as before: survival counts can then miss kept objects, never invent them.
  }
}

function v8MajorVersion(): number {
  return Number.parseInt(process.versions.v8.split('.')[0], 10) || 0;
}
