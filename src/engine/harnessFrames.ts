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
 * The harness's own code: everything this package runs around fn, compiled or not (the engine, the statistics and
 * kernel it calls at every look, the model, the Jest and Vitest glue, the profiler API, the CLI, matchers, reporter).
 * It only calls fn, so what it allocates is never fn's. The bundled codec (`leakproof/gpr`, src/gpr) and the addon
 * loader it uses (src/native.ts) are not harness: their frames can be sites like any library's. Measured before the
 * statistics and kernel were in this list: their code and feedback, allocated as V8 optimised them during a run's
 * looks, were counted as fn's survivors (two false leaks of the codec suites with survival counts on).
 */
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');
const OWN_ROOTS = [
  'src',
  path.join('dist', 'src'),
  'matchers',
  path.join('dist', 'matchers'),
  'reporter',
  path.join('dist', 'reporter'),
].map((d) => path.join(PACKAGE_ROOT, d) + path.sep);
const NOT_HARNESS = [path.join('src', 'gpr'), path.join('dist', 'src', 'gpr')].map(
  (d) => path.join(PACKAGE_ROOT, d) + path.sep,
);
const NOT_HARNESS_FILES = new Set(
  [path.join('src', 'native.ts'), path.join('dist', 'src', 'native.js')].map((f) => path.join(PACKAGE_ROOT, f)),
);

/**
 * The test runner's own packages: Jest's and Vitest's code runs beside a measurement (the status line's timers, the
 * console buffer, the reporter) and is never the code under test. Measured in a Jest worker: Jest's status printing
 * left samples alive from inside a run. A frame in node_modules of one of these packages is harness.
 */
const RUNNER_PACKAGE =
  /[\\/]node_modules[\\/](?:jest|jest-[^\\/]+|@jest[\\/][^\\/]+|expect|pretty-format|vitest|@vitest[\\/][^\\/]+|tinypool|tinyspy)[\\/]/;

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

/** A frame of the test runner's packages (RUNNER_PACKAGE). */
export function isRunnerFrame(f: CallFrame): boolean {
  return !isInternalFrame(f) && RUNNER_PACKAGE.test(fileOf(f.url));
}

/** A frame of this package's own harness code (OWN_ROOTS, less the codec). */
export function isOwnHarnessFrame(f: CallFrame): boolean {
  if (isInternalFrame(f)) return false;
  const file = fileOf(f.url);
  if (!OWN_ROOTS.some((d) => file.startsWith(d))) return false;
  return !NOT_HARNESS.some((d) => file.startsWith(d)) && !NOT_HARNESS_FILES.has(file);
}

/** A frame of this package's harness or of the test runner: never user code. */
export function isHarnessFrame(f: CallFrame): boolean {
  return isOwnHarnessFrame(f) || isRunnerFrame(f);
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
