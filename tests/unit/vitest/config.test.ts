// withLeakproof: what it adds to a Vitest config, what it leaves alone, and the typed errors for bad input.
import * as fs from 'node:fs';
import {
  SETUP_FILE,
  withLeakproof as typedWithLeakproof,
  type VitestConfigLike,
  type WithLeakproofOptions,
} from '../../../src/vitest/config';
import { LeakproofVitestReporter } from '../../../src/vitest/reporter';
import { isLeakproofError } from '../../../src/errors';

// The helper returns the config's own type; these tests read what it added.
const withLeakproof = (config?: object, options?: WithLeakproofOptions): VitestConfigLike =>
  typedWithLeakproof(config, options) as VitestConfigLike;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isLeakproofError(err) ? `${err.code}: ${err.message}` : `untyped: ${String(err)}`;
  }
  return undefined;
}

test('an empty config gets the setup file, forks, a 30 s timeout and the reporter after default', () => {
  const out = withLeakproof({});
  expect(out.test?.setupFiles).toEqual([SETUP_FILE]);
  expect(fs.existsSync(SETUP_FILE)).toBe(true);
  expect(out.test?.pool).toBe('forks');
  expect(out.test?.testTimeout).toBe(30_000);
  const reporters = out.test?.reporters as unknown[];
  expect(reporters[0]).toBe('default');
  expect(reporters[1]).toBeInstanceOf(LeakproofVitestReporter);
  expect(reporters).toHaveLength(2);
});

test("the config's own choices win; its setup files and reporters are kept, ours added once", () => {
  const input = {
    plugins: ['p'],
    test: {
      setupFiles: './mine.ts',
      pool: 'threads',
      testTimeout: 5000,
      reporters: ['verbose', ['json', {}]],
      globals: true,
    },
  };
  const out = withLeakproof(input, { pool: 'forks', testTimeout: 1 });
  expect(out.plugins).toEqual(['p']);
  expect(out.test).toMatchObject({ pool: 'threads', testTimeout: 5000, globals: true });
  expect(out.test?.setupFiles).toEqual([SETUP_FILE, './mine.ts']);
  const reporters = out.test?.reporters as unknown[];
  expect(reporters.slice(0, 2)).toEqual(['verbose', ['json', {}]]);
  expect(reporters[2]).toBeInstanceOf(LeakproofVitestReporter);
  // The input is not mutated, and applying twice adds nothing more.
  expect(input.test.setupFiles).toBe('./mine.ts');
  const twice = withLeakproof(out);
  expect(twice.test?.setupFiles).toEqual([SETUP_FILE, './mine.ts']);
  expect(twice.test?.reporters).toHaveLength(3);
  // Named by package instead of by path: still recognised.
  expect(
    withLeakproof({ test: { setupFiles: ['leakproof/vitest'], reporters: ['leakproof/vitest-reporter'] } }).test,
  ).toMatchObject({
    setupFiles: ['leakproof/vitest'],
    reporters: ['leakproof/vitest-reporter'],
  });
});

test('options: threads pool, reporter options, no reporter', () => {
  expect(withLeakproof({}, { pool: 'threads' }).test?.pool).toBe('threads');
  expect(withLeakproof({}, { reporter: false }).test?.reporters).toBeUndefined();
  const withOpts = withLeakproof({}, { reporter: { outputDir: 'out', formats: ['json'] } }).test
    ?.reporters as unknown[];
  expect(withOpts[1]).toBeInstanceOf(LeakproofVitestReporter);
});

test('a config function stays a function of the env (sync or async result)', async () => {
  const fn = typedWithLeakproof((env) => ({ test: { name: env.mode } }));
  expect(typeof fn).toBe('function');
  await expect(fn({ command: 'serve', mode: 'm' })).resolves.toMatchObject({
    test: { name: 'm', pool: 'forks', setupFiles: [SETUP_FILE] },
  });
  const asyncFn = typedWithLeakproof(async () => ({ test: { pool: 'threads' } }));
  await expect(asyncFn({ command: 'build', mode: 'production' })).resolves.toMatchObject({ test: { pool: 'threads' } });
});

test('bad options and configs are typed errors naming the problem', () => {
  expect(codeOf(() => withLeakproof({}, { pools: 'forks' } as never))).toMatch(
    /^LEAKPROOF_E_OPTIONS: withLeakproof: unknown option "pools"; known options: reporter, pool, testTimeout$/,
  );
  expect(codeOf(() => withLeakproof({}, { pool: 'vmThreads' } as never))).toMatch(
    /^LEAKPROOF_E_OPTIONS: .*"pool" must be 'forks' or 'threads', got "vmThreads"/,
  );
  expect(codeOf(() => withLeakproof({}, { testTimeout: -1 }))).toMatch(
    /^LEAKPROOF_E_OPTIONS: .*"testTimeout" must be a positive number/,
  );
  expect(codeOf(() => withLeakproof({}, { reporter: 'json' } as never))).toMatch(
    /^LEAKPROOF_E_OPTIONS: .*"reporter" must be/,
  );
  expect(codeOf(() => withLeakproof({}, 3 as never))).toMatch(
    /^LEAKPROOF_E_OPTIONS: withLeakproof: options must be an object/,
  );
  expect(codeOf(() => withLeakproof([] as never))).toMatch(
    /^LEAKPROOF_E_OPTIONS: withLeakproof: the config must be an object/,
  );
  // The reporter validates its own options at construction, with its own typed error.
  expect(() => withLeakproof({}, { reporter: { outDir: 'x' } as never })).toThrow(
    /unknown leakproof reporter option "outDir"/,
  );
});
