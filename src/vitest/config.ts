// `withLeakproof(config)`: the one-line Vitest setup (setup file, pool, timeout, reporter), as the Jest preset is for Jest.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LeakReporterOptions } from '../../reporter/options';
import { LeakproofError } from '../errors';
import { LeakproofVitestReporter } from './reporter';

/** Options of `withLeakproof`; everything the config already sets wins over these defaults. */
export interface WithLeakproofOptions {
  /** Options of the leak reporter (as the Jest reporter's), or false to add no reporter. Default `{}`. */
  reporter?: LeakReporterOptions | false;
  /**
   * Pool when the config sets none. Default 'forks': one process per worker, so the process-wide metrics (native,
   * rss, fds) see only the file under test. 'threads' works too; see docs/vitest.md for what those metrics mean there.
   */
  pool?: 'forks' | 'threads';
  /** testTimeout (ms) when the config sets none. Default 30,000: one assertion takes 0.3–3 s of settled GCs. */
  testTimeout?: number;
}

/** The slice of a Vitest config this helper touches (kept structural: the helper must not import Vitest). */
export interface VitestConfigLike {
  test?: {
    setupFiles?: string | string[];
    pool?: string;
    testTimeout?: number;
    reporters?: unknown;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** The package's root: the nearest folder up from this file with leakproof's package.json (dist/ or the sources). */
function packageRoot(): string {
  for (let dir = __dirname, i = 0; i < 5; i++, dir = path.dirname(dir)) {
    try {
      if (
        (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === 'leakproof'
      )
        return dir;
    } catch {
      // no package.json at this level
    }
  }
  return path.resolve(__dirname, '..', '..', '..');
}

/** Absolute path of the setup file `leakproof/vitest` names (the package's vitest/setup.mjs). */
export const SETUP_FILE = path.join(packageRoot(), 'vitest', 'setup.mjs');

const KNOWN = new Set(['reporter', 'pool', 'testTimeout']);

function validate(options: unknown): WithLeakproofOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new LeakproofError(
      'LEAKPROOF_E_OPTIONS',
      `withLeakproof: options must be an object, got ${JSON.stringify(options)}`,
    );
  }
  const o = options as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!KNOWN.has(k))
      throw new LeakproofError(
        'LEAKPROOF_E_OPTIONS',
        `withLeakproof: unknown option "${k}"; known options: ${[...KNOWN].join(', ')}`,
      );
  }
  if (o.pool !== undefined && o.pool !== 'forks' && o.pool !== 'threads') {
    throw new LeakproofError(
      'LEAKPROOF_E_OPTIONS',
      `withLeakproof: option "pool" must be 'forks' or 'threads', got ${JSON.stringify(o.pool)}`,
    );
  }
  if (
    o.testTimeout !== undefined &&
    (typeof o.testTimeout !== 'number' || !Number.isFinite(o.testTimeout) || o.testTimeout <= 0)
  ) {
    throw new LeakproofError(
      'LEAKPROOF_E_OPTIONS',
      `withLeakproof: option "testTimeout" must be a positive number of ms, got ${JSON.stringify(o.testTimeout)}`,
    );
  }
  if (
    o.reporter !== undefined &&
    o.reporter !== false &&
    (typeof o.reporter !== 'object' || o.reporter === null || Array.isArray(o.reporter))
  ) {
    throw new LeakproofError(
      'LEAKPROOF_E_OPTIONS',
      `withLeakproof: option "reporter" must be the reporter's options object or false, got ${JSON.stringify(o.reporter)}`,
    );
  }
  return o as WithLeakproofOptions;
}

function isLeakproofSetup(file: string): boolean {
  return file === SETUP_FILE || file === 'leakproof/vitest';
}

function isLeakproofReporter(entry: unknown): boolean {
  const name = Array.isArray(entry) ? entry[0] : entry;
  return name instanceof LeakproofVitestReporter || name === 'leakproof/vitest-reporter';
}

function apply(config: VitestConfigLike, options: WithLeakproofOptions): VitestConfigLike {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new LeakproofError(
      'LEAKPROOF_E_OPTIONS',
      `withLeakproof: the config must be an object (or a function returning one), got ${JSON.stringify(config)}`,
    );
  }
  const test = { ...(config.test ?? {}) };
  const setupFiles =
    test.setupFiles === undefined ? [] : Array.isArray(test.setupFiles) ? [...test.setupFiles] : [test.setupFiles];
  // First, so the user's own setup files already see toLeakMemory.
  if (!setupFiles.some(isLeakproofSetup)) setupFiles.unshift(SETUP_FILE);
  test.setupFiles = setupFiles;
  test.pool ??= options.pool ?? 'forks';
  test.testTimeout ??= options.testTimeout ?? 30_000;
  if (options.reporter !== false) {
    const given = test.reporters;
    const reporters: unknown[] = given === undefined ? ['default'] : Array.isArray(given) ? [...given] : [given];
    if (!reporters.some(isLeakproofReporter)) reporters.push(new LeakproofVitestReporter(options.reporter ?? {}));
    test.reporters = reporters;
  }
  return { ...config, test };
}

/** The config env Vite passes a config function (structural: `command`, `mode`, …). */
export interface ConfigEnvLike {
  command: string;
  mode: string;
  isSsrBuild?: boolean;
  isPreview?: boolean;
}

/**
 * `export default defineConfig(withLeakproof({ test: { ... } }, options))`. Adds the `leakproof/vitest` setup file
 * (first), the `forks` pool and a 30 s testTimeout unless the config chose its own, and the leak reporter after the
 * config's reporters (`default` when it lists none). Takes a config object or a function of Vite's config env, and
 * returns the same kind with the type it was given, so `defineConfig` still checks it as Vitest's config.
 */
export function withLeakproof<C extends object>(
  config: (env: ConfigEnvLike) => C | Promise<C>,
  options?: WithLeakproofOptions,
): (env: ConfigEnvLike) => Promise<C>;
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export function withLeakproof<C extends object = {}>(config?: C, options?: WithLeakproofOptions): C;
export function withLeakproof(
  config: object | ((env: ConfigEnvLike) => object | Promise<object>) = {},
  options?: WithLeakproofOptions,
): object | ((env: ConfigEnvLike) => Promise<object>) {
  const opts = validate(options);
  if (typeof config === 'function')
    return async (env: ConfigEnvLike) => apply((await config(env)) as VitestConfigLike, opts);
  return apply(config as VitestConfigLike, opts);
}
