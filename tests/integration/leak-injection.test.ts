// The injection proof: the bundled leak suites must notice a leak of known size in the codec. With the test-only
// injection build (native/build-inject, CMake LEAKPROOF_INJECT_LEAK=ON) every GPR binding entry point mallocs and
// never frees LEAKPROOF_INJECT_LEAK_BYTES; with LEAKPROOF_INJECT_RETAIN_BYTES the suites' `leakproof/gpr` shim retains a
// JS object of that size per public call. The same suites run off must pass and run on must fail, with the growth per
// iteration the injection adds (the injected run's slope minus the off run's) a whole multiple (the calls per
// iteration) of the injected size.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..');
const injectDir = path.join(repoRoot, 'native', 'build-inject', 'Release');
const injectAddon = path.join(injectDir, 'leakproof.node');
const INJECTED = 4096;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], extraEnv: Record<string, string>): Promise<Run> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // Our own worker's Jest/npm state must not reach the child Jest.
    if (
      /^npm_/i.test(k) ||
      /^NODE_(OPTIONS|CHANNEL_|UNIQUE_ID)/.test(k) ||
      k.startsWith('JEST_') ||
      k.startsWith('LEAKPROOF_INJECT')
    )
      continue;
    env[k] = v;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: repoRoot,
      env: { ...env, ...extraEnv, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Newest modification time of the native sources the addon is built from. */
function newestSource(): number {
  let newest = 0;
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(cc|h|txt)$/.test(e.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  for (const d of ['binding', 'gpr', 'probe']) walk(path.join(repoRoot, 'native', d));
  return Math.max(newest, fs.statSync(path.join(repoRoot, 'native', 'CMakeLists.txt')).mtimeMs);
}

/** The assertions run (a subset of every suite file), each with its codec calls per iteration: native entry points / public JS calls. */
const SUBSET: { name: string; native: number; js: number }[] = [
  { name: 'open + close open(Buffer) + close()', native: 1, js: 2 },
  { name: 'images dropped without close(): finalizers free native memory open, decode RAW, drop', native: 2, js: 2 },
  { name: 'RAW (resolution 1) decodeRaw()', native: 1, js: 1 },
  { name: 'RAW (resolution 1) decodeRawAsync()', native: 1, js: 1 },
  { name: 'quality fs1 encodeGpr, 12-bit RGGB', native: 1, js: 1 },
  { name: 'from GPR GPR -> dng', native: 1, js: 1 },
  { name: 'metadata (EXIF, colour matrices, noise profile)', native: 2, js: 3 },
  { name: 'calls after close() open, decode, close, then call again', native: 2, js: 4 },
];
const FILES = ['lifecycle', 'decode', 'encode', 'convert', 'metadata', 'errors'].map(
  (f) => `tests/leak/suites/${f}.leak.test.ts`,
);
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const namePattern = `^(${SUBSET.map((s) => escape(s.name)).join('|')})$`;

interface Metric {
  metric: string;
  slope: number;
  slopeLow: number;
  slopeHigh: number;
  growth: number;
  leak: boolean;
}
interface ReportRecord {
  testName: string;
  pass: boolean;
  leak: boolean;
  iterations: number;
  metrics: Metric[];
  error?: string;
  allocationSites?: { functionName: string; file: string; line: number }[];
}

/** Runs the subset through `jest --config tests/leak/jest.config.js` and returns the records of the JSON report. */
async function runSubset(
  label: string,
  env: Record<string, string>,
): Promise<{ run: Run; records: Map<string, ReportRecord> }> {
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), `leakproof-inject-${label}-`));
  const jestBin = path.join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js');
  const r = await run(
    process.execPath,
    [jestBin, '--config', 'tests/leak/jest.config.js', '--ci', '-t', namePattern, ...FILES],
    {
      ...env,
      LEAKPROOF_LEAK_REPORT_DIR: reportDir,
    },
  );
  const reportFile = path.join(reportDir, 'leak-report.json');
  if (!fs.existsSync(reportFile))
    throw new Error(`${label}: no report written (exit ${r.code})\n${r.stderr.slice(-4000)}`);
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as { files: { records: ReportRecord[] }[] };
  fs.rmSync(reportDir, { recursive: true, force: true });
  const records = new Map<string, ReportRecord>();
  for (const f of report.files) for (const rec of f.records) records.set(rec.testName, rec);
  return { run: r, records };
}

/** 1-based line of `function retain()` in the suites' injection shim. */
const retainLine =
  fs
    .readFileSync(path.join(repoRoot, 'tests', 'leak', 'support', 'gpr.ts'), 'utf8')
    .split('\n')
    .findIndex((l) => l.startsWith('function retain()')) + 1;

function metricOf(rec: ReportRecord, name: string): Metric {
  const m = rec.metrics.find((x) => x.metric === name);
  if (!m) throw new Error(`${rec.testName}: no ${name} metric in the record`);
  return m;
}

/**
 * The run with injection off, once per file: its own test checks it passes, and the injected runs subtract its slopes.
 * What the operations themselves add while V8 is still settling their code in the measured window (up to ~650 B/it of
 * heap for a conversion over its 60 iterations, flat over thousands of calls) is in both runs; the injection is the
 * difference.
 */
let offRun: Promise<{ run: Run; records: Map<string, ReportRecord> }> | undefined;
function runOff(): Promise<{ run: Run; records: Map<string, ReportRecord> }> {
  offRun ??= runSubset('off', {});
  return offRun;
}

/**
 * Checks that the slope per iteration of `metric` that the injection added (the injected run's minus the off run's) is
 * `expected` within the given relative tolerance (low, high) plus `slack` bytes, widened by the two measurements' own
 * 95% half-widths: a measurement cannot be held to more precision than its interval (a native series under load has
 * intervals of several hundred B/it). Returns a line naming the assertion and its figures, or 'ok'.
 */
async function injectedSlopeCheck(
  rec: ReportRecord,
  metric: string,
  expected: number,
  low: number,
  high: number,
  slack: number,
): Promise<string> {
  const offRec = (await runOff()).records.get(rec.testName);
  if (!offRec) throw new Error(`${rec.testName}: not in the run with injection off`);
  const on = metricOf(rec, metric);
  const off = metricOf(offRec, metric);
  const slope = on.slope - off.slope;
  const halfWidth = (on.slopeHigh - on.slopeLow) / 2 + (off.slopeHigh - off.slopeLow) / 2;
  const lo = low * expected - halfWidth;
  const hi = high * expected + slack + halfWidth;
  if (slope > lo && slope < hi) return 'ok';
  return `${rec.testName}: injected ${metric} slope ${slope.toFixed(0)} B/it (on ${on.slope.toFixed(0)} [${on.slopeLow.toFixed(0)}, ${on.slopeHigh.toFixed(0)}], off ${off.slope.toFixed(0)} [${off.slopeLow.toFixed(0)}, ${off.slopeHigh.toFixed(0)}]) outside (${lo.toFixed(0)}, ${hi.toFixed(0)}) for ${expected} B/it`;
}

beforeAll(async () => {
  if (!fs.existsSync(injectAddon) || fs.statSync(injectAddon).mtimeMs < newestSource()) {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const b = await run(npm, ['run', 'build:native:inject'], {});
    if (b.code !== 0)
      throw new Error(`building the injection addon failed:\n${b.stdout.slice(-3000)}\n${b.stderr.slice(-3000)}`);
  }
}, 900_000);

test('every GPR binding entry point calls InjectLeak() (else the injected build would not leak there)', () => {
  // The injection lives in one place: ExportCodec() (native/binding/entry.cc) calls InjectLeak() before the entry,
  // so every function registered through it leaks in the injected build, and only gprClose is registered without.
  const entryPoints: Record<string, string[]> = {
    'gpr_decode_binding.cc': [
      'gprOpen',
      'gprOpenAsync',
      'gprInfo',
      'gprMetadata',
      'gprDecodeRaw',
      'gprDecodeRawAsync',
      'gprDecodeRgb',
      'gprDecodeRgbAsync',
    ],
    'gpr_encode_binding.cc': [
      'gprEncode',
      'gprEncodeAsync',
      'gprWriteDng',
      'gprReadDng',
      'gprConvert',
      'gprConvertAsync',
    ],
  };
  const bindingDir = path.join(repoRoot, 'native', 'binding');
  const missing: string[] = [];
  for (const [file, names] of Object.entries(entryPoints)) {
    const src = fs.readFileSync(path.join(bindingDir, file), 'utf8');
    for (const name of names) {
      if (!new RegExp(`^ {2}ExportCodec\\(env, exports, "${name}", \\w+\\);$`, 'm').test(src))
        missing.push(`${file}: ${name}`);
    }
    // No other export form in the codec files, so a new entry cannot skip the injection unnoticed.
    const others = [...src.matchAll(/^ {2}Export(\w+)\(env, exports, "(\w+)"/gm)].filter(
      (m) => m[1] !== 'Codec' && m[2] !== 'gprClose',
    );
    for (const m of others) missing.push(`${file}: ${m[2]} is registered with Export${m[1]}`);
    if (/exports\.Set\(/.test(src)) missing.push(`${file}: exports.Set bypasses ExportCodec`);
  }
  const entry = fs.readFileSync(path.join(bindingDir, 'entry.cc'), 'utf8');
  const codec = entry.slice(entry.indexOf('void ExportCodec('), entry.indexOf('void ExportPlain('));
  if (!/\n\s+InjectLeak\(\);[^\n]*\n\s+return Guarded<true>\(info, fn, name\);/.test(codec))
    missing.push('entry.cc: ExportCodec does not call InjectLeak() before the entry');
  const callers = fs
    .readdirSync(bindingDir)
    .filter(
      (f) =>
        !f.startsWith('leak_injection.') && /InjectLeak\(\);/.test(fs.readFileSync(path.join(bindingDir, f), 'utf8')),
    );
  expect({ missing, callers }).toEqual({ missing: [], callers: ['entry.cc'] });
});

test('injection off (the shipped addon): the subset passes', async () => {
  const { run: r, records } = await runOff();
  expect(records.size).toBe(SUBSET.length);
  for (const rec of records.values())
    expect({ name: rec.testName, pass: rec.pass, leak: rec.leak }).toEqual({
      name: rec.testName,
      pass: true,
      leak: false,
    });
  expect(r.code).toBe(0);
}, 600_000);

test(`native injection on (${INJECTED} B per binding call): every assertion fails, native growth = calls x ${INJECTED} B`, async () => {
  const { run: r, records } = await runSubset('native', {
    LEAKPROOF_NATIVE_DIR: injectDir,
    LEAKPROOF_INJECT_LEAK_BYTES: String(INJECTED),
  });
  expect(r.code).toBe(1);
  expect(records.size).toBe(SUBSET.length);
  for (const s of SUBSET) {
    const rec = records.get(s.name)!;
    expect({ name: s.name, pass: rec.pass, leak: rec.leak, error: rec.error }).toEqual({
      name: s.name,
      pass: false,
      leak: true,
      error: undefined,
    });
    expect(metricOf(rec, 'native').leak).toBe(true);
    // malloc adds a 16-byte header per block; allow 10% either way for allocator and sampling noise.
    const expected = s.native * INJECTED;
    expect(await injectedSlopeCheck(rec, 'native', expected, 0.9, 1.1, 64)).toBe('ok');
  }
}, 600_000);

test(`JS retention on (${INJECTED} B per public call): every assertion fails, heap growth = calls x ${INJECTED} B`, async () => {
  const { run: r, records } = await runSubset('js', { LEAKPROOF_INJECT_RETAIN_BYTES: String(INJECTED) });
  expect(r.code).toBe(1);
  expect(records.size).toBe(SUBSET.length);
  for (const s of SUBSET) {
    const rec = records.get(s.name)!;
    expect({ name: s.name, pass: rec.pass, leak: rec.leak }).toEqual({ name: s.name, pass: false, leak: true });
    expect(metricOf(rec, 'heap').leak).toBe(true);
    // Each retained object is a JS array of INJECTED/8 small integers plus ~50 bytes of headers. Upper tolerance 1.5:
    // since the sampler finishes V8's sweeping before each reading (exact heapUsed), GPR -> dng read 1.42x the
    // injected bytes in one CI rehearsal (5,831 B/it for 4,096), not yet explained; the lower bound is what proves
    // the injection is seen, the upper one that the figure is of the right size.
    const expected = s.js * INJECTED;
    expect(await injectedSlopeCheck(rec, 'heap', expected, 0.9, 1.5, 256)).toBe('ok');
    // Where: the sampling heap profiler names the shim's retain(), at its line in the TypeScript source.
    expect({ name: s.name, site: rec.allocationSites?.[0] }).toMatchObject({
      name: s.name,
      site: { functionName: 'retain', file: 'tests/leak/support/gpr.ts', line: retainLine },
    });
  }
}, 600_000);
