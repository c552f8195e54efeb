// Compatibility matrix on a throwaway consumer made from the packed tarball, installed with --ignore-scripts: Jest 29.7
// (consumer-preset covers Jest 30), a `projects` config with a CommonJS, an ESM ("type": "module", @jest/globals) and a
// TypeScript (ts-jest, type-checked) project, run as two --shard halves, and a tsc check of the matcher's types on
// both kinds of `expect`. The addon is the tarball's prebuild.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  cleanEnv,
  consumerVersion,
  installConsumer,
  packedTarball,
  repoRoot,
  run,
  tail,
} from '../helpers/packedTarball';

// Pinned in tests/integration/fixtures/consumer-deps/package.json, so they are in package-lock.json and the npm cache.
const JEST = consumerVersion('jest');
const TS_JEST = consumerVersion('ts-jest');
const TYPESCRIPT = consumerVersion('typescript');
const TYPES_JEST = consumerVersion('@types/jest');
const testingAddon = path.join(repoRoot, 'native', 'build', 'Release', 'leakproof_testing.node');

const CJS_TEST = `
const addon = require(process.env.LEAKPROOF_TESTING_ADDON);
afterAll(() => addon.freeLeaked());
test('cjs: a native malloc leak is caught', async () => {
  await expect(() => addon.leakNative(64 * 1024)).toLeakMemory();
}, 120000);
`;

const ESM_TEST = `
import { expect, test } from '@jest/globals';
import gpr from 'leakproof/gpr';
const { encodeGpr, GprImage } = gpr;
const width = 64, height = 48, data = new Uint16Array(width * height);
for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 4096;
const file = encodeGpr({ data, width, height, cfaPattern: 'RGGB', bitDepth: 12 });
test('esm: leakproof/gpr decodes and open/close does not leak', async () => {
  const img = GprImage.open(file);
  expect(img.decodeRaw().data.length).toBe(width * height);
  img.close();
  await expect(() => GprImage.open(file).close()).not.toLeakMemory({ iterations: 60 });
}, 120000);
`;

// Global \`expect\` typed by @types/jest.
const TS_TEST = `
import 'leakproof/matchers';
import type { LeakMatcherOptions } from 'leakproof';
const options: LeakMatcherOptions = { threshold: 64 * 1024, iterations: 60 };
test('ts: the matcher type-checks and passes on clean code', async () => {
  await expect((): number => JSON.stringify({ a: 1 }).length).not.toLeakMemory(options);
}, 120000);
`;

// Type-check only (tsc --noEmit): the matcher's type on \`expect\` from @jest/globals (Jest 29's expect@29: leakproof's
// optional peer on 'expect' makes its \`declare module 'expect'\` bind to the consumer's copy, not to a nested expect@30
// of jest-circus@30) and on the global \`expect\` of @types/jest. The @ts-expect-error lines fail the check if the
// matcher were untyped or missing.
const TYPES_GLOBALS = `
import { expect, test } from '@jest/globals';
import 'leakproof/matchers';
import type { LeakMatcherOptions } from 'leakproof';
const options: LeakMatcherOptions = { iterations: 60 };
test('typed on @jest/globals', async () => {
  await expect(() => 1).not.toLeakMemory(options);
  await expect(() => 1).toLeakMemory(1024);
  // @ts-expect-error: unknown option
  await expect(() => 1).not.toLeakMemory({ iterationz: 60 });
});
`;
const TYPES_GLOBAL = `
import 'leakproof/matchers';
test('typed on the global expect', async () => {
  await expect(() => 1).not.toLeakMemory({ threshold: 4096 });
  // @ts-expect-error: a string is not a threshold
  await expect(() => 1).not.toLeakMemory('big');
});
`;

const CONFIG = `
const base = { preset: 'leakproof' };
module.exports = {
  reporters: ['default', 'leakproof/reporter'],
  projects: [
    { ...base, displayName: 'cjs', testMatch: ['<rootDir>/cjs/**/*.test.js'] },
    { ...base, displayName: 'esm', testMatch: ['<rootDir>/esm/**/*.test.js'], transform: {} },
    { ...base, displayName: 'ts', testMatch: ['<rootDir>/ts/**/*.test.ts'], transform: { '^.+\\\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] } },
  ],
};
`;

interface ShardRecord {
  testName: string;
  pass: boolean;
  leak: boolean;
  metrics: { metric: string; leak: boolean }[];
}
interface ShardReport {
  shard: { index: number; count: number };
  environment: { jest: string | null };
  files: { path: string; records: ShardRecord[] }[];
}

let work = '';
let consumer = '';
let setupError: Error | undefined;
let typeCheck: { code: number | null; output: string } | undefined;
const shards: ShardReport[] = [];
const outputs: string[] = [];

beforeAll(
  async () => {
    try {
      if (!fs.existsSync(testingAddon))
        throw new Error(`${testingAddon} is missing: run \`npm run build:native\` (npm ci does).`);
      const { tarball } = await packedTarball();
      work = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-matrix-'));
      consumer = path.join(work, 'consumer');
      for (const d of ['cjs', 'esm', 'ts']) fs.mkdirSync(path.join(consumer, d), { recursive: true });
      fs.writeFileSync(
        path.join(consumer, 'package.json'),
        JSON.stringify(
          {
            name: 'leakproof-matrix',
            version: '1.0.0',
            private: true,
            devDependencies: {
              jest: JEST,
              'ts-jest': TS_JEST,
              typescript: TYPESCRIPT,
              '@types/jest': TYPES_JEST,
              leakproof: `file:${tarball}`,
            },
            overrides: { 'unrs-resolver': '1.11.1' },
          },
          null,
          2,
        ),
      );
      fs.writeFileSync(path.join(consumer, 'jest.config.js'), CONFIG);
      fs.writeFileSync(
        path.join(consumer, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            target: 'ES2022',
            module: 'commonjs',
            moduleResolution: 'node10',
            esModuleInterop: true,
            skipLibCheck: true,
            types: ['jest'],
          },
        }),
      );
      fs.writeFileSync(path.join(consumer, 'cjs', 'native.test.js'), CJS_TEST);
      fs.writeFileSync(path.join(consumer, 'esm', 'package.json'), JSON.stringify({ type: 'module' }));
      fs.writeFileSync(path.join(consumer, 'esm', 'gpr.test.js'), ESM_TEST);
      fs.writeFileSync(path.join(consumer, 'ts', 'matcher.test.ts'), TS_TEST);
      fs.mkdirSync(path.join(consumer, 'types'));
      fs.writeFileSync(path.join(consumer, 'types', 'globals.ts'), TYPES_GLOBALS);
      fs.writeFileSync(path.join(consumer, 'types', 'global.ts'), TYPES_GLOBAL);
      fs.writeFileSync(
        path.join(consumer, 'types', 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            target: 'ES2022',
            module: 'commonjs',
            moduleResolution: 'node10',
            types: ['jest'],
          },
          include: ['*.ts'],
        }),
      );
      const install = await installConsumer(consumer);
      if (install.code !== 0)
        throw new Error(`npm install failed (${install.code}):\n${tail(install.stdout)}\n${tail(install.stderr)}`);
      const tsc = await run(
        process.execPath,
        [
          path.join(consumer, 'node_modules', 'typescript', 'bin', 'tsc'),
          '-p',
          path.join(consumer, 'types', 'tsconfig.json'),
        ],
        consumer,
        cleanEnv(),
      );
      typeCheck = { code: tsc.code, output: `${tsc.stdout}${tsc.stderr}` };
      const jestBin = path.join(consumer, 'node_modules', 'jest', 'bin', 'jest.js');
      for (const i of [1, 2]) {
        const r = await run(
          process.execPath,
          [jestBin, '--ci', `--shard=${i}/2`, '--maxWorkers=2', `--cacheDirectory=${path.join(work, 'cache')}`],
          consumer,
          // ESM test files need Node's VM modules in Jest (its documented switch), for every Jest version.
          cleanEnv({ NODE_OPTIONS: '--experimental-vm-modules', LEAKPROOF_TESTING_ADDON: testingAddon }),
        );
        outputs.push(r.stderr);
        const file = path.join(consumer, 'leak-report', `shard-${i}-of-2.json`);
        if (!fs.existsSync(file))
          throw new Error(`shard ${i} wrote no report (exit ${r.code}):\n${tail(r.stderr, 80)}`);
        shards.push(JSON.parse(fs.readFileSync(file, 'utf8')) as ShardReport);
      }
    } catch (err) {
      setupError = err as Error;
      throw err;
    }
  },
  15 * 60 * 1000,
);

afterAll(() => {
  if (work && !process.env.LEAKPROOF_KEEP_CONSUMER) fs.rmSync(work, { recursive: true, force: true });
});

function records(): ShardRecord[] {
  return shards.flatMap((s) => s.files.flatMap((f) => f.records));
}

test('Jest 29.7 ran the preset from a tarball installed without scripts', () => {
  if (setupError) throw setupError;
  expect(shards.map((s) => s.environment.jest)).toEqual([JEST, JEST]);
  expect(fs.existsSync(path.join(consumer, 'node_modules', 'leakproof', 'native', 'build'))).toBe(false);
});

test("the two shards split the three projects' files without overlap", () => {
  if (setupError) throw setupError;
  const [a, b] = shards.map((s) => s.files.map((f) => f.path));
  expect(a.filter((p) => b.includes(p))).toEqual([]);
  expect([...a, ...b].sort()).toEqual(['cjs/native.test.js', 'esm/gpr.test.js', 'ts/matcher.test.ts']);
});

test('CommonJS: the native malloc leak of the test addon is caught and named native', () => {
  if (setupError) throw setupError;
  const r = records().find((x) => x.testName.startsWith('cjs:'));
  expect(r).toMatchObject({ pass: true, leak: true });
  expect(r?.metrics.filter((m) => m.leak).map((m) => m.metric)).toContain('native');
});

test('ESM and TypeScript: the matcher runs (and compiles under ts-jest), leakproof/gpr decodes', () => {
  if (setupError) throw setupError;
  for (const prefix of ['esm:', 'ts:']) {
    const r = records().find((x) => x.testName.startsWith(prefix));
    if (!r)
      throw new Error(
        `no record for the ${prefix} test; the shards printed:\n${outputs.map((o) => tail(o, 60)).join('\n----\n')}`,
      );
    expect(r).toMatchObject({ pass: true, leak: false });
  }
  expect(outputs.join('\n')).not.toMatch(/not measured/);
});

test("TypeScript: toLeakMemory is typed on Jest 29's @jest/globals expect and on the @types/jest global expect", () => {
  if (setupError) throw setupError;
  expect(typeCheck).toEqual({ code: 0, output: '' });
  expect(
    fs
      .readdirSync(path.join(consumer, 'types'))
      .filter((f) => f.endsWith('.ts'))
      .sort(),
  ).toEqual(['global.ts', 'globals.ts']);
});
