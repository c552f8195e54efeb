// leakproof under Vitest 4.1, as a user gets it: the packed tarball installed without scripts into a throwaway project
// with a CommonJS half (vitest.config.cjs, require) run in `forks` as two --shard halves merged by `leakproof merge`,
// and an ESM half ("type": "module", TypeScript tests) run in `threads`. A JS heap leak, a native malloc leak (test
// addon) and an fd leak must fail with the message shape Jest gives; clean code passes; the reporter writes its files.
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
  type RunResult,
} from '../helpers/packedTarball';

// Pinned in tests/integration/fixtures/consumer-deps/package.json, so they are in package-lock.json and the npm cache.
const VITEST = consumerVersion('vitest');
const TYPESCRIPT = consumerVersion('typescript');
const TYPES_NODE = consumerVersion('@types/node');
const testingAddon = path.join(repoRoot, 'native', 'build', 'Release', 'leakproof_testing.node');

// Written by every consumer test file: how the worker got its gc, and which process/thread it is.
const PROBE = `
function writeProbe(name) {
  const fs = require('node:fs');
  const path = require('node:path');
  fs.writeFileSync(path.join(process.env.CONSUMER_PROBE_DIR, name + '.json'), JSON.stringify({
    gcType: typeof globalThis.gc,
    pid: process.pid,
    isMainThread: require('node:worker_threads').isMainThread,
    execArgv: process.execArgv,
    nodeOptions: process.env.NODE_OPTIONS || '',
  }));
}
`;

// CommonJS half: the code under test is required, Vitest's globals are on (as a Jest suite ported over would have them).
const CJS_CONFIG = `
const { withLeakproof } = require('leakproof/vitest-config');
module.exports = withLeakproof({
  test: { include: ['*.test.js'], globals: true, reporters: ['default', 'json'], outputFile: { json: 'results.json' } },
});
`;
const CJS_LIB = `
const kept = [];
exports.clean = () => JSON.parse(JSON.stringify({ list: [1, 2, 3], s: 'x'.repeat(64) }));
exports.retain = () => { kept.push(Array.from({ length: 2000 }, (_, i) => ({ i, tag: 'kept' }))); };
`;
const CJS_JS_TEST = `${PROBE}
const lib = require('./lib.cjs');
test('clean: JSON churn passes', async () => {
  writeProbe('cjs-js');
  await expect(lib.clean).not.toLeakMemory();
});
test('heap: retained objects fail', async () => {
  await expect(lib.retain).not.toLeakMemory({ iterations: 50 });
});
`;
const CJS_NATIVE_TEST = `${PROBE}
const fs = require('node:fs');
const addon = require(process.env.LEAKPROOF_TESTING_ADDON);
afterAll(() => addon.freeLeaked());
describe('native', () => {
  test('malloc never freed fails', async () => {
    writeProbe('cjs-native');
    await expect(() => addon.leakNative(64 * 1024)).not.toLeakMemory({ iterations: 50 });
  });
});
test('fds: descriptors never closed fail', async () => {
  await expect(() => void fs.openSync(__filename, 'r')).not.toLeakMemory({ iterations: 50 });
});
`;

// ESM half: TypeScript tests importing from vitest, the config as ESM, the threads pool.
const ESM_CONFIG = `
import { withLeakproof } from 'leakproof/vitest-config';
export default withLeakproof(
  { test: { include: ['*.test.ts'], reporters: ['default', 'json'], outputFile: { json: 'results.json' } } },
  { pool: 'threads' },
);
`;
const ESM_TEST = `
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { afterAll, expect, test } from 'vitest';
import type { LeakMatcherOptions } from 'leakproof/vitest';
import gpr from 'leakproof/gpr';
function writeProbe(name: string): void {
  fs.writeFileSync(\`\${process.env.CONSUMER_PROBE_DIR}/\${name}.json\`, JSON.stringify({
    gcType: typeof (globalThis as { gc?: unknown }).gc,
    pid: process.pid,
    isMainThread,
    execArgv: process.execArgv,
    nodeOptions: process.env.NODE_OPTIONS || '',
  }));
}
const addon = createRequire(import.meta.url)(process.env.LEAKPROOF_TESTING_ADDON as string) as { leakNative(n: number): void; freeLeaked(): void };
afterAll(() => addon.freeLeaked());
const kept: unknown[] = [];
const width = 64, height = 48, data = new Uint16Array(width * height);
for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 4096;
const file = gpr.encodeGpr({ data, width, height, cfaPattern: 'RGGB', bitDepth: 12 });
const options: LeakMatcherOptions = { threshold: 64 * 1024, iterations: 60 };

test('clean: leakproof/gpr open/close passes (async fn)', async () => {
  writeProbe('esm');
  await expect(async () => gpr.GprImage.open(file).close()).not.toLeakMemory(options);
});
test('positive form: a leak passes toLeakMemory(threshold)', async () => {
  await expect(() => void kept.push(new Array(4096).fill(7))).toLeakMemory(16 * 1024);
});
test('heap: retained objects fail', async () => {
  await expect(() => void kept.push(Array.from({ length: 2000 }, (_, i) => ({ i })))).not.toLeakMemory({ iterations: 50 });
});
test('native: malloc never freed fails', async () => {
  await expect(() => addon.leakNative(64 * 1024)).not.toLeakMemory({ iterations: 50 });
});
test('fds: descriptors never closed fail', async () => {
  await expect(() => void fs.openSync(new URL(import.meta.url), 'r')).not.toLeakMemory({ iterations: 50 });
});
// Type errors the augmentation must report (checked by tsc, never run).
export function typeErrors(): void {
  // @ts-expect-error a threshold is a number or an options object
  void expect(() => 0).not.toLeakMemory('64k');
  // @ts-expect-error unknown option
  void expect(() => 0).toLeakMemory({ treshold: 1 });
}
`;
const ESM_TSCONFIG = {
  compilerOptions: {
    strict: true,
    target: 'ES2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    noEmit: true,
    skipLibCheck: true,
    types: ['node', 'leakproof/vitest'],
  },
  include: ['*.test.ts'],
};

interface JsonAssertion {
  title: string;
  fullName: string;
  status: string;
  failureMessages: string[];
}
interface VitestJson {
  testResults: { name: string; assertionResults: JsonAssertion[] }[];
}
interface ReportRecord {
  testName: string;
  pass: boolean;
  leak: boolean;
  gcMethod: string;
  metrics: { metric: string; leak: boolean }[];
}
interface ReportJson {
  shard: { index: number; count: number } | null;
  mergedFrom?: number;
  environment: { vitest?: string | null; jest: string | null; gcMethod: string };
  files: { path: string; status: string; records: ReportRecord[] }[];
}
interface Probe {
  gcType: string;
  pid: number;
  isMainThread: boolean;
  execArgv: string[];
  nodeOptions: string;
}
interface HalfRun {
  runs: RunResult[];
  results: JsonAssertion[];
  report: ReportJson;
  shards: ReportJson[];
}

let work = '';
let consumer = '';
let setupError: Error | undefined;
const halves: Record<'cjs' | 'esm', HalfRun> = {} as Record<'cjs' | 'esm', HalfRun>;
let tsc: RunResult | undefined;
let merge: RunResult | undefined;

function readJson<T>(file: string, runs: RunResult[]): T {
  if (!fs.existsSync(file))
    throw new Error(
      `${file} was not written; vitest printed:\n${runs.map((r) => tail(r.stdout + r.stderr, 60)).join('\n----\n')}`,
    );
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

async function vitest(dir: string, args: string[]): Promise<RunResult> {
  const bin = path.join(consumer, 'node_modules', 'vitest', 'vitest.mjs');
  return run(
    process.execPath,
    [bin, 'run', ...args],
    dir,
    cleanEnv({ CONSUMER_PROBE_DIR: path.join(work, 'probes'), LEAKPROOF_TESTING_ADDON: testingAddon, CI: 'true' }),
  );
}

beforeAll(
  async () => {
    try {
      if (!fs.existsSync(testingAddon))
        throw new Error(`${testingAddon} is missing: run \`npm run build:native\` (npm ci does).`);
      const { tarball } = await packedTarball();
      work = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-vitest-'));
      consumer = path.join(work, 'consumer');
      const cjs = path.join(consumer, 'cjs');
      const esm = path.join(consumer, 'esm');
      for (const d of [cjs, esm, path.join(work, 'probes')]) fs.mkdirSync(d, { recursive: true });
      fs.writeFileSync(
        path.join(consumer, 'package.json'),
        JSON.stringify(
          {
            name: 'leakproof-vitest-consumer',
            version: '1.0.0',
            private: true,
            devDependencies: {
              vitest: VITEST,
              typescript: TYPESCRIPT,
              '@types/node': TYPES_NODE,
              leakproof: `file:${tarball}`,
            },
            // Same pin as the repo (package.json "overrides"), so the consumer resolves to the locked unrs-resolver.
            overrides: { 'unrs-resolver': '1.11.1' },
          },
          null,
          2,
        ),
      );
      fs.writeFileSync(path.join(cjs, 'vitest.config.cjs'), CJS_CONFIG);
      fs.writeFileSync(path.join(cjs, 'lib.cjs'), CJS_LIB);
      fs.writeFileSync(path.join(cjs, 'js.test.js'), CJS_JS_TEST);
      fs.writeFileSync(path.join(cjs, 'native.test.js'), CJS_NATIVE_TEST);
      fs.writeFileSync(path.join(esm, 'package.json'), JSON.stringify({ type: 'module' }));
      fs.writeFileSync(path.join(esm, 'vitest.config.js'), ESM_CONFIG);
      fs.writeFileSync(path.join(esm, 'leaks.test.ts'), ESM_TEST);
      fs.writeFileSync(path.join(esm, 'tsconfig.json'), JSON.stringify(ESM_TSCONFIG));
      const install = await installConsumer(consumer);
      if (install.code !== 0)
        throw new Error(`npm install failed (${install.code}):\n${tail(install.stdout)}\n${tail(install.stderr)}`);

      // CommonJS in forks as two shards, ESM + TypeScript in threads, and tsc on the types, all at once (the leaks are
      // far above their thresholds and the clean code retains nothing, so a loaded machine changes no verdict).
      const [cjsRuns, esmRun, tscRun] = await Promise.all([
        Promise.all(
          [1, 2].map((i) =>
            vitest(cjs, ['--config', 'vitest.config.cjs', `--shard=${i}/2`, `--outputFile.json=results-${i}.json`]),
          ),
        ),
        vitest(esm, ['--config', 'vitest.config.js']),
        run(
          process.execPath,
          [path.join(consumer, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
          esm,
          cleanEnv(),
        ),
      ]);
      tsc = tscRun;
      const shards = [1, 2].map((i) =>
        readJson<ReportJson>(path.join(cjs, 'leak-report', `shard-${i}-of-2.json`), cjsRuns),
      );
      merge = await run(
        path.join(consumer, 'node_modules', '.bin', 'leakproof'),
        ['merge', 'leak-report'],
        cjs,
        cleanEnv(),
      );
      halves.cjs = {
        runs: cjsRuns,
        results: [1, 2].flatMap((i) =>
          readJson<VitestJson>(path.join(cjs, `results-${i}.json`), cjsRuns).testResults.flatMap(
            (f) => f.assertionResults,
          ),
        ),
        report: readJson<ReportJson>(path.join(cjs, 'leak-report', 'leak-report.json'), [merge]),
        shards,
      };

      halves.esm = {
        runs: [esmRun],
        results: readJson<VitestJson>(path.join(esm, 'results.json'), [esmRun]).testResults.flatMap(
          (f) => f.assertionResults,
        ),
        report: readJson<ReportJson>(path.join(esm, 'leak-report', 'leak-report.json'), [esmRun]),
        shards: [],
      };
    } catch (err) {
      setupError = err as Error;
      throw err;
    }
  },
  10 * 60 * 1000,
);

afterAll(() => {
  if (work && !process.env.LEAKPROOF_KEEP_CONSUMER) fs.rmSync(work, { recursive: true, force: true });
});

function half(name: 'cjs' | 'esm'): HalfRun {
  if (setupError) throw setupError;
  return halves[name];
}

function result(h: HalfRun, title: string): JsonAssertion {
  const found = h.results.find((a) => a.title === title);
  if (!found) throw new Error(`no result for "${title}" in ${JSON.stringify(h.results.map((a) => a.title))}`);
  return found;
}

// eslint-disable-next-line no-control-regex
const strip = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');

/** The matcher's own message: the failure text up to Vitest's stack frames. */
function messageOf(a: JsonAssertion): string {
  const text = strip(a.failureMessages.join('\n'));
  const cut = text.search(/\n\s+at /);
  return (cut >= 0 ? text.slice(0, cut) : text).replace(/^Error: /, '');
}

/** A message's structure, numbers and units blanked: what must match between Jest and Vitest. */
function shape(message: string): string[] {
  return message
    .split('\n')
    .filter((l) => /^(expect\(|Expected:|Received:| {2}metric | {2}[a-zA-Z]+ +[-+0-9]|\d+ iterations measured)/.test(l))
    .map((l) =>
      l
        .replace(/[▁-█]+/g, '~')
        .replace(/[-+]?\d+(\.\d+)?( ?(B|KiB|MiB|GiB|ms))?/g, '#')
        .replace(/\s+/g, ' ')
        .replace(/\b(none|linear|step|plateau|noisy)\b/g, 'shape')
        .replace(/ ← (undecided|leak).*$/, '')
        .trim(),
    );
}

/** The same fd leak under this Jest (the leakproof environment), for the shape comparison. */
async function jestFdMessage(): Promise<string> {
  const opened: number[] = [];
  try {
    await expect(() => void opened.push(fs.openSync(__filename, 'r'))).not.toLeakMemory({ iterations: 50 });
  } catch (err) {
    return strip((err as Error).message);
  } finally {
    for (const fd of opened) fs.closeSync(fd);
  }
  throw new Error('the fd leak was not caught under Jest');
}

describe.each(['cjs', 'esm'] as const)('Vitest %s', (name) => {
  test('clean code passes; the heap, native and fd leaks fail naming their metric', () => {
    const h = half(name);
    const clean = name === 'cjs' ? 'clean: JSON churn passes' : 'clean: leakproof/gpr open/close passes (async fn)';
    expect(result(h, clean).status).toBe('passed');
    for (const [title, metric] of [
      ['heap: retained objects fail', 'heap'],
      ['fds: descriptors never closed fail', 'fds'],
    ] as const) {
      expect(result(h, title).status).toBe('failed');
      expect(messageOf(result(h, title))).toMatch(
        new RegExp(
          `^expect\\(received\\)\\.not\\.toLeakMemory\\(.*\\)\\n\\nExpected: no metric to grow[^\\n]*\\nReceived: ${metric} grew \\+`,
        ),
      );
    }
    const native = name === 'cjs' ? 'malloc never freed fails' : 'native: malloc never freed fails';
    expect(result(h, native).status).toBe('failed');
    expect(messageOf(result(h, native))).toMatch(/\nReceived: native grew \+/);
    if (name === 'esm') expect(result(h, 'positive form: a leak passes toLeakMemory(threshold)').status).toBe('passed');
  });

  test('the records reach the leak report with Jest-style names, and say how gc was obtained', () => {
    const h = half(name);
    const records = h.report.files.flatMap((f) => f.records);
    const leakingMetrics = (testName: string): string[] =>
      records
        .find((r) => r.testName === testName)
        ?.metrics.filter((m) => m.leak)
        .map((m) => m.metric) ?? [];
    const nativeName = name === 'cjs' ? 'native malloc never freed fails' : 'native: malloc never freed fails';
    expect(
      records
        .filter((r) => r.leak)
        .map((r) => r.testName)
        .sort(),
    ).toEqual(
      [
        nativeName,
        'fds: descriptors never closed fail',
        'heap: retained objects fail',
        ...(name === 'esm' ? ['positive form: a leak passes toLeakMemory(threshold)'] : []),
      ].sort(),
    );
    // (Retaining JS objects also grows the malloc heap V8 uses for them, so heap leaks may name native too.)
    expect(leakingMetrics('heap: retained objects fail')).toContain('heap');
    expect(leakingMetrics(nativeName)).toContain('native');
    expect(leakingMetrics('fds: descriptors never closed fail')).toEqual(['fds']);
    expect(h.report.environment).toMatchObject({ vitest: VITEST, jest: null, gcMethod: 'v8-flags' });
    expect(h.report.files.map((f) => f.status).sort()).toEqual(name === 'cjs' ? ['failed', 'failed'] : ['failed']);
  });
});

test('gc without flags in forks (child processes) and threads (worker threads)', () => {
  half('esm');
  const probes = Object.fromEntries(
    ['cjs-js', 'cjs-native', 'esm'].map((n) => [
      n,
      JSON.parse(fs.readFileSync(path.join(work, 'probes', `${n}.json`), 'utf8')) as Probe,
    ]),
  );
  for (const p of Object.values(probes)) {
    expect(p.gcType).toBe('function');
    expect(p.execArgv.join(' ') + p.nodeOptions).not.toMatch(/expose[-_]gc/);
  }
  const vitestPids = [...halves.cjs.runs, ...halves.esm.runs].map((r) => r.pid);
  expect(probes['cjs-js'].isMainThread).toBe(true);
  expect(vitestPids).not.toContain(probes['cjs-js'].pid);
  expect(probes.esm.isMainThread).toBe(false);
  expect(vitestPids).toContain(probes.esm.pid);
});

test('the fd leak message has the shape Jest gives for the same assertion', async () => {
  const vitestShape = shape(messageOf(result(half('cjs'), 'fds: descriptors never closed fail')));
  const jestShape = shape(await jestFdMessage());
  expect(vitestShape.length).toBeGreaterThanOrEqual(10); // hint, expected, received, header, seven metric rows, footer
  expect(vitestShape).toEqual(jestShape);
});

test('--shard halves write shard files that leakproof merge combines; the full report files are written', () => {
  const h = half('cjs');
  expect(h.shards.map((s) => s.shard)).toEqual([
    { index: 1, count: 2 },
    { index: 2, count: 2 },
  ]);
  const [a, b] = h.shards.map((s) => s.files.map((f) => f.path));
  expect([...a, ...b].sort()).toEqual(['js.test.js', 'native.test.js']);
  // merge exits 1: the run has failing assertions (docs/reporter.md, exit codes); 3 would be a missing/inconsistent shard.
  expect(merge?.code).toBe(1);
  expect(merge?.stdout).toMatch(/merged 2 shard/);
  expect(h.report.mergedFrom).toBe(2);
  expect(h.report.files.flatMap((f) => f.records)).toHaveLength(4);
  for (const dir of [path.join(consumer, 'cjs', 'leak-report'), path.join(consumer, 'esm', 'leak-report')]) {
    for (const f of ['leak-report.json', 'leak-report.junit.xml', 'leak-report.md', 'leak-report.html'])
      expect(fs.existsSync(path.join(dir, f))).toBe(true);
  }
  const junit = fs.readFileSync(path.join(consumer, 'esm', 'leak-report', 'leak-report.junit.xml'), 'utf8');
  expect(junit).toMatch(/<failure [^>]*type="MemoryLeak"/);
  expect(halves.esm.runs[0].stderr).toContain('leakproof: heap growth per toLeakMemory assertion');
});

test('the Vitest types: toLeakMemory type-checks on expect(fn).not, and wrong arguments are type errors', () => {
  half('esm');
  expect(`${tsc?.stdout}${tsc?.stderr}`).toBe('');
  expect(tsc?.code).toBe(0);
});
