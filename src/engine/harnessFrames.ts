// Which JS stack frames are the harness's own, and which are user code: shared by allocation sites and survival counts.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A frame as V8's sampling heap profiler reports it (0-based line and column). */
export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

/**
 * The harness's own code (engine, Jest and Vitest glue, profiler API, CLI, matchers, reporter), compiled or not: it only
 * calls fn, so what it allocates is never fn's. The bundled codec (`leakproof/gpr`) is not harness: its frames can be
 * sites like any library's.
 */
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');
const HARNESS = [
  path.join('src', 'engine'),
  path.join('src', 'jest'),
  path.join('src', 'vitest'),
  path.join('src', 'profiler'),
  path.join('src', 'cli'),
  'matchers',
  'reporter',
];
const OWN_DIRS = [...HARNESS, ...HARNESS.map((d) => path.join('dist', d))].map(
  (d) => path.join(PACKAGE_ROOT, d) + path.sep,
);

/** A script URL as a file path when it is a file:// URL (the profiler names scripts by path, the debugger by URL). */
export function fileOf(url: string): string {
  if (url.startsWith('file://')) {
    try {
      return fileURLToPath(url);
    } catch {
      return url;
    }
  }
  return url;
}

/** Node's own code, V8 builtins and frames without a script (`(root)`, `(program)`, `(garbage collector)`). */
export function isInternalFrame(f: CallFrame): boolean {
  return !f.url || f.url.startsWith('node:') || f.url.startsWith('internal/');
}

/** A frame of this package's harness (see HARNESS). */
export function isHarnessFrame(f: CallFrame): boolean {
  if (isInternalFrame(f)) return false;
  const file = fileOf(f.url);
  return OWN_DIRS.some((d) => file.startsWith(d));
}

/** A frame of user code: a script with a location that is neither Node's own nor this package's harness. */
export function isUserFrame(f: CallFrame): boolean {
  return !isInternalFrame(f) && !isHarnessFrame(f);
}

/**
 * The harness functions that call fn (src/engine/sampler.ts: `callOnce`, and the run's `start` and `extend` loops).
 * Optimised code inlines fn into its caller, and V8's sampling heap profiler records the stack of physical frames, so an
 * allocation fn made can carry one of these as its innermost frame. Nothing else these functions allocate outlives the
 * call (promises of the await, the clock's numbers), so a sample alive later whose innermost frame is one of them is fn's.
 */
const FN_CALLERS = new Set(['callOnce', 'extend', 'start']);
const SAMPLER_FILES = new Set(['sampler.js', 'sampler.ts']);

export function isFnCallerFrame(f: CallFrame): boolean {
  return FN_CALLERS.has(f.functionName) && isHarnessFrame(f) && SAMPLER_FILES.has(path.basename(fileOf(f.url)));
}
