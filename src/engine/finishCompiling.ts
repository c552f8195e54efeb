// Before a reading, make V8 finish its background (concurrent) optimizing compiles, so their zone memory is not read
// as native growth.
import * as v8 from 'node:v8';

/**
 * Why: V8 optimizes hot functions on a background thread, and each compile job works in a zone that it mallocs (often
 * hundreds of KiB to a few MiB) and frees only when the main thread installs the result. A reading taken while a job is
 * in flight counts its zone in the native (malloc) heap. Measured in plain node on clean code (an async function, a
 * WeakMap set, a cleared timer): the native series rose by 0.3–2 MiB in episodes several samples long and fell back to
 * its baseline exactly, and runs ending inside an episode were called leaks (12 of 58 runs of one case); with
 * `node --no-concurrent-recompilation` the same case gave 0 of 40 and decided 4x sooner. That flag is read when the
 * isolate starts (setting it at run time has no effect, and a Jest worker's start-up flags are not ours to set), so
 * instead each reading waits for the jobs in flight and installs them: V8's `%FinalizeOptimization()`, reached through
 * a function compiled while `--allow-natives-syntax` is on for that one compile and switched off again at once.
 *
 * Cost: the wait for a job already running (its CPU was spent anyway, on another thread); nothing when none is in flight.
 * It changes when optimized code is installed, never what is alive. Where the function cannot be made (flags frozen, a
 * V8 without it), this is a no-op and `compileWaitAvailable()` says so.
 */
let finalize: (() => void) | null | undefined;

/** Runs `body` with `--allow-natives-syntax` on, and always switches it off again. */
function withNativesSyntax<T>(body: () => T): T {
  v8.setFlagsFromString('--allow-natives-syntax');
  try {
    return body();
  } finally {
    v8.setFlagsFromString('--no-allow-natives-syntax');
  }
}

function make(): (() => void) | null {
  try {
    return withNativesSyntax(() => new Function('%FinalizeOptimization();') as () => void);
  } catch {
    return null;
  }
}

/** Waits for V8's concurrent compile jobs and installs them (frees their zones). A no-op where unavailable. */
export function finishCompiling(): void {
  if (finalize === undefined) finalize = make();
  if (finalize === null) return;
  try {
    finalize();
    return;
  } catch {
    // V8 flushes the bytecode of a function left uncalled over some collections (measured: 8 s of allocation in plain
    // node, e.g. a Jest worker between two measurements) and recompiles it from source at the next call, where the
    // natives syntax is a SyntaxError with the flag off. Recompiling under the flag restores it.
  }
  try {
    withNativesSyntax(() => finalize!());
  } catch {
    finalize = null;
  }
}

/** Whether readings can wait for V8's background compiles here. */
export function compileWaitAvailable(): boolean {
  if (finalize === undefined) finalize = make();
  return finalize !== null;
}
