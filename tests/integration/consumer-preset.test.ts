// Proves the published package works for a user: pack the repo, install the tarball (not a symlink) with
// --ignore-scripts (what npm 12 does to dependencies) into a fresh consumer project with `"preset": "leakproof"`, and
// run that project's own Jest in worker mode and in band, with no CLI flags. The addon comes from the tarball's prebuild.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  cleanEnv,
  installConsumer,
  lockedVersion,
  packedTarball,
  run,
  tail,
  type RunResult,
} from '../helpers/packedTarball';

const repoRoot = path.resolve(__dirname, '..', '..');
const testingAddon = path.join(repoRoot, 'native', 'build', 'Release', 'leakproof_testing.node');
// The repo's own Jest 30, so the consumer's packages are in package-lock.json and the npm cache.
const JEST_VERSION = lockedVersion('jest');

// The consumer's test files: plain JS, exactly what a user would write.
const PROBE = `
const fs = require('fs');
const path = require('path');
function writeProbe(name) {
  const dir = process.env.CONSUMER_PROBE_DIR;
  if (!dir) return;
  let isMainThread = true;
  try { isMainThread = require('worker_threads').isMainThread; } catch (_) {}
  fs.writeFileSync(path.join(dir, name + '-' + process.env.CONSUMER_MODE + '.json'), JSON.stringify({
    gcType: typeof globalThis.gc,
    pid: process.pid,
    isMainThread,
    execArgv: process.execArgv,
    nodeOptions: process.env.NODE_OPTIONS || '',
  }));
}
`;

// Each assertion runs 220 iterations and 21 settled GCs: seconds on a loaded machine, so more than Jest's 5 s default.
const JS_TEST = `${PROBE}
const LONG = 120000;
const kept = [];
afterAll(() => { kept.length = 0; });

test('clean: buffer churn and JSON', async () => {
  writeProbe('js');
  await expect(() => {
    const b = Buffer.alloc(64 * 1024, 1);
    JSON.parse(JSON.stringify({ n: b.length, list: [1, 2, 3] }));
  }).not.toLeakMemory();
}, LONG);

test('leaky: retained objects', async () => {
  await expect(() => {
    kept.push(Array.from({ length: 2000 }, (_, i) => ({ i, tag: 'kept' })));
  }).not.toLeakMemory();
}, LONG);
`;

const NATIVE_TEST = `${PROBE}
const LONG = 120000;
const addon = require(process.env.LEAKPROOF_TESTING_ADDON);
afterAll(() => addon.freeLeaked());

test('clean: native malloc/free churn', async () => {
  writeProbe('native');
  await expect(() => addon.churnNative(256 * 1024)).not.toLeakMemory();
}, LONG);

test('leaky: native malloc never freed', async () => {
  await expect(() => addon.leakNative(64 * 1024)).not.toLeakMemory();
}, LONG);
`;

interface AssertionJson {
  title: string;
  status: string;
  failureMessages: string[];
}
interface JestJson {
  testResults: { name: string; assertionResults: AssertionJson[] }[];
}
interface Probe {
  gcType: string;
  pid: number;
  isMainThread: boolean;
  execArgv: string[];
  nodeOptions: string;
}

let work = '';
let consumer = '';
let packedFiles: string[] = [];
let packedSize = 0;
let installError: Error | undefined;

beforeAll(
  async () => {
    const distIndex = path.join(repoRoot, 'dist', 'src', 'index.js');
    if (!fs.existsSync(distIndex))
      throw new Error(`${distIndex} is missing: run \`npm run build\` first (npm test does).`);
    if (!fs.existsSync(path.join(repoRoot, 'jest-preset.js')))
      throw new Error('jest-preset.js is missing at the repo root.');
    if (!fs.existsSync(testingAddon))
      throw new Error(`${testingAddon} is missing: run \`npm run build:native\` (npm ci does).`);

    work = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-consumer-'));
    const packed = await packedTarball();
    const tarball = packed.tarball;
    packedFiles = packed.files;
    packedSize = packed.size;

    consumer = path.join(work, 'consumer');
    fs.mkdirSync(path.join(consumer, '__tests__'), { recursive: true });
    fs.writeFileSync(
      path.join(consumer, 'package.json'),
      JSON.stringify(
        {
          name: 'leakproof-consumer',
          version: '1.0.0',
          private: true,
          scripts: { test: 'jest' },
          devDependencies: { jest: JEST_VERSION, leakproof: `file:${tarball}` },
          // Same pin as the repo: the registry mirror lacks some platform binaries of newer unrs-resolver releases.
          overrides: { 'unrs-resolver': '1.11.1' },
          jest: { preset: 'leakproof' },
        },
        null,
        2,
      ),
    );
    fs.writeFileSync(path.join(consumer, '__tests__', 'js.test.js'), JS_TEST);
    fs.writeFileSync(path.join(consumer, '__tests__', 'native.test.js'), NATIVE_TEST);

    // --ignore-scripts: nothing may need an install script; the addon is the tarball's prebuild.
    const install = await installConsumer(consumer);
    if (install.code !== 0) {
      installError = new Error(
        `npm install of the tarball failed (${install.code}):\n${tail(install.stdout)}\n${tail(install.stderr)}`,
      );
      throw installError;
    }
  },
  25 * 60 * 1000,
);

afterAll(() => {
  if (work && !process.env.LEAKPROOF_KEEP_CONSUMER) fs.rmSync(work, { recursive: true, force: true });
});

interface LeakReportJson {
  environment: { gcMethod: string };
  files: { path: string; records: { testName: string; leak: boolean; pass: boolean; gcMethod: string }[] }[];
}

interface ModeRun {
  result: RunResult;
  json: JestJson;
  probes: Record<string, Probe>;
  /** The reporter's JSON file, when it wrote one. */
  report?: LeakReportJson;
}

async function runConsumerJest(mode: 'workers' | 'inband'): Promise<ModeRun> {
  if (installError) throw installError;
  const probeDir = path.join(work, `probe-${mode}`);
  fs.mkdirSync(probeDir, { recursive: true });
  const outFile = path.join(work, `jest-${mode}.json`);
  const reportDir = path.join(consumer, 'leak-report');
  fs.rmSync(reportDir, { recursive: true, force: true });
  const args = [
    path.join(consumer, 'node_modules', 'jest', 'bin', 'jest.js'),
    '--ci',
    '--json',
    `--outputFile=${outFile}`,
    // A fresh cache: with cached fast timings Jest silently runs in band, and this run must really use workers.
    `--cacheDirectory=${path.join(work, `cache-${mode}`)}`,
    ...(mode === 'workers' ? ['--maxWorkers=2'] : ['--runInBand']),
  ];
  const result = await run(
    process.execPath,
    args,
    consumer,
    cleanEnv({ CONSUMER_PROBE_DIR: probeDir, CONSUMER_MODE: mode, LEAKPROOF_TESTING_ADDON: testingAddon }),
  );
  if (!fs.existsSync(outFile))
    throw new Error(`consumer jest wrote no results (exit ${result.code}):\n${tail(result.stderr, 80)}`);
  const json = JSON.parse(fs.readFileSync(outFile, 'utf8')) as JestJson;
  const probes: Record<string, Probe> = {};
  for (const name of ['js', 'native']) {
    const file = path.join(probeDir, `${name}-${mode}.json`);
    if (fs.existsSync(file)) probes[name] = JSON.parse(fs.readFileSync(file, 'utf8')) as Probe;
  }
  const reportFile = path.join(reportDir, 'leak-report.json');
  const report = fs.existsSync(reportFile)
    ? (JSON.parse(fs.readFileSync(reportFile, 'utf8')) as LeakReportJson)
    : undefined;
  return { result, json, probes, report };
}

function assertion(json: JestJson, title: string): AssertionJson {
  for (const file of json.testResults) {
    const found = file.assertionResults.find((a) => a.title === title);
    if (found) return found;
  }
  throw new Error(
    `no result for test "${title}" in ${JSON.stringify(json.testResults.map((f) => f.assertionResults.map((a) => a.title)))}`,
  );
}

test('the tarball installs as real files without scripts, ships the prebuild and no tests, fixtures or build trees', () => {
  if (installError) throw installError;
  const installed = path.join(consumer, 'node_modules', 'leakproof');
  expect(fs.lstatSync(installed).isSymbolicLink()).toBe(false);
  const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  for (const hook of ['preinstall', 'install', 'postinstall']) expect(manifest.scripts?.[hook]).toBeUndefined();
  const glibc = (process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header.glibcVersionRuntime;
  const tag =
    process.platform === 'linux'
      ? `linux-${process.arch}-${glibc ? 'glibc' : 'musl'}`
      : `${process.platform}-${process.arch}`;
  expect(packedFiles.filter((f) => f.endsWith('.node'))).toEqual([`prebuilds/${tag}/leakproof.node`]);
  expect(fs.existsSync(path.join(installed, 'native', 'build'))).toBe(false);
  expect(packedFiles).toContain('jest-preset.js');
  // The leak-on-purpose addon's sources live under tests/native and must never reach users; no build tree either.
  expect(
    packedFiles.filter((f) => /^(tests|native\/build|native\/fuzz|bench|examples|src)\/|fixtures\//.test(f)),
  ).toEqual([]);
  // README states the size; keep it honest within a wide band (a prebuild of ~0.85 MB dominates).
  expect(packedSize).toBeGreaterThan(200 * 1024);
  expect(packedSize).toBeLessThan(2 * 1024 * 1024);
});

// leakproof/gpr and the `leakproof` command as a user gets them from the tarball: encode an image, write it to a file,
// read it back through the CLI and the API, and see a typed error for junk.
const GPR_SCRIPT = `
const fs = require('node:fs');
const { encodeGpr, GprImage, GprError, detectFormat } = require('leakproof/gpr');
const { runMemoryStressTest } = require('leakproof');
const width = 64, height = 48, data = new Uint16Array(width * height);
for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 4096;
const gpr = encodeGpr({ data, width, height, cfaPattern: 'RGGB', bitDepth: 12, quality: 'fs1' });
fs.writeFileSync('tiny.gpr', gpr);
const img = GprImage.open('tiny.gpr');
const raw = img.decodeRaw({ resolution: 1 });
img.close();
let code = 'none';
try { GprImage.open(Buffer.from('not an image')); } catch (e) { code = e instanceof GprError ? e.code : 'untyped'; }
runMemoryStressTest(() => GprImage.open(gpr).close(), { iterations: 60 }).then((r) => {
  console.log(JSON.stringify({ format: detectFormat(gpr), width: raw.width, height: raw.height, samples: raw.data.length, code, leak: r.leak }));
});
`;

test('leakproof/gpr, the programmatic API and the leakproof CLI work from the installed tarball', async () => {
  if (installError) throw installError;
  fs.writeFileSync(path.join(consumer, 'gpr-smoke.js'), GPR_SCRIPT);
  const smoke = await run(process.execPath, ['gpr-smoke.js'], consumer, cleanEnv());
  expect(smoke.stderr).toBe('');
  expect(JSON.parse(smoke.stdout.trim())).toEqual({
    format: 'gpr',
    width: 64,
    height: 48,
    samples: 64 * 48,
    code: 'GPR_E_FORMAT',
    leak: false,
  });
  const info = await run(
    path.join(consumer, 'node_modules', '.bin', 'leakproof'),
    ['gpr', 'info', 'tiny.gpr', '--json'],
    consumer,
    cleanEnv(),
  );
  expect(info.code).toBe(0);
  expect(JSON.parse(info.stdout)).toMatchObject({ format: 'gpr', info: { width: 64, height: 48, cfaPattern: 'RGGB' } });
}, 120_000);

// Never silent: with the addon gone (a platform without a prebuild), the codec says so with a typed code and
// `leakproof check` names the metrics it could not measure, once, with the fix.
test('without the addon: GprError GPR_E_ADDON_UNAVAILABLE, and leakproof check warns once which metrics were not measured', async () => {
  if (installError) throw installError;
  const env = cleanEnv({ LEAKPROOF_NATIVE_DIR: path.join(work, 'no-addon-here') });
  const gpr = await run(
    process.execPath,
    [
      '-e',
      "try { require('leakproof/gpr').GprImage.open(Buffer.alloc(8)); } catch (e) { console.log(e.name + ' ' + e.code); }",
    ],
    consumer,
    env,
  );
  expect(gpr.stdout.trim()).toBe('GprError GPR_E_ADDON_UNAVAILABLE');
  fs.writeFileSync(path.join(consumer, 'target.js'), "exports.parse = () => JSON.parse('[1,2,3]');\n");
  const check = await run(
    path.join(consumer, 'node_modules', '.bin', 'leakproof'),
    ['check', 'target.js#parse', '--iterations', '30'],
    consumer,
    env,
  );
  expect(check.code).toBe(0);
  const warnings = check.stdout.split('\n').filter((l) => l.includes('not measured'));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(
    /native, fds not measured: the native addon is not in LEAKPROOF_NATIVE_DIR=.*npx leakproof build-native/,
  );
}, 120_000);

describe.each(['workers', 'inband'] as const)('consumer project with preset "leakproof" (%s)', (mode) => {
  let res: ModeRun;
  beforeAll(
    async () => {
      res = await runConsumerJest(mode);
    },
    10 * 60 * 1000,
  );

  test('clean operations pass', () => {
    expect(assertion(res.json, 'clean: buffer churn and JSON').status).toBe('passed');
    expect(assertion(res.json, 'clean: native malloc/free churn').status).toBe('passed');
  });

  test('leaking operations fail with a leak message naming the metric', () => {
    const js = assertion(res.json, 'leaky: retained objects');
    expect(js.status).toBe('failed');
    expect(js.failureMessages.join('\n')).toMatch(/leak/i);
    expect(js.failureMessages.join('\n')).toMatch(/heap/);
    const native = assertion(res.json, 'leaky: native malloc never freed');
    expect(native.status).toBe('failed');
    expect(native.failureMessages.join('\n')).toMatch(/leak/i);
    expect(native.failureMessages.join('\n')).toMatch(/native/);
    // Exactly those two fail, so Jest exits 1.
    expect(res.result.code).toBe(1);
  });

  test('gc is available without any CLI flag, in the expected process mode', () => {
    for (const name of ['js', 'native']) {
      const probe = res.probes[name];
      expect(probe).toBeDefined();
      expect(probe.gcType).toBe('function');
      expect(probe.execArgv.join(' ')).not.toMatch(/expose[-_]gc/);
      expect(probe.nodeOptions).not.toMatch(/expose[-_]gc/);
      // In band the tests run in the Jest process we spawned; workers are its child processes. (process.send is no
      // evidence either way: Jest's sandboxed `process` has one even in band.)
      if (mode === 'inband') expect(probe.pid).toBe(res.result.pid);
      else expect(probe.pid).not.toBe(res.result.pid);
    }
    // The records say how gc was obtained: by the V8-flags trick, not a command-line flag.
    expect(res.report?.environment.gcMethod).toBe('v8-flags');
  });

  test('the leakproof reporter printed its table and wrote its JSON report', () => {
    expect(res.result.stderr).toContain('leakproof: heap growth per toLeakMemory assertion');
    expect(res.result.stderr).toMatch(/│ leaky: retained objects\s+│ heap\s+│.*LEAK/);
    expect(res.result.stderr).toMatch(/│ leaky: native malloc never freed\s+│ native\s+│.*LEAK/);
    const records = (res.report?.files ?? []).flatMap((f) => f.records);
    expect(records.map((r) => [r.testName, r.leak, r.pass]).sort()).toEqual([
      ['clean: buffer churn and JSON', false, true],
      ['clean: native malloc/free churn', false, true],
      ['leaky: native malloc never freed', true, false],
      ['leaky: retained objects', true, false],
    ]);
  });
});
