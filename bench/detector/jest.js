// Detector benchmark inside Jest workers, the way users run it: `expect(fn).not.toLeakMemory()` at defaults through the
// `leakproof` preset, for the leak kinds of cases.js (64 and 256 B per call) and every clean case, quiet and with the other
// core busy; 0.1's fixed rule (`{ horizon: 'fixed' }`) side by side in the same run. Never asserts: it measures.
//   npm run build && node bench/detector/jest.js             # ≈10–20 min on 2 cores
//   node bench/detector/jest.js --quick                      # ≈3 min
//   options: --reps N (leak runs per size and rule, default 10), --clean-runs N (per case and condition, default 10)
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { LEAKS, CLEAN } = require('./cases');

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const argValue = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const repoRoot = path.resolve(__dirname, '..', '..');
const CONFIG = {
  reps: Number(argValue('--reps') ?? (quick ? 3 : 10)),
  fixedReps: quick ? 1 : 3,
  cleanRuns: Number(argValue('--clean-runs') ?? (quick ? 2 : 10)),
  fixedCleanRuns: quick ? 1 : 2,
  bytes: [64, 256],
  every: [1, 16],
};

function log(msg) {
  process.stderr.write(`[detector:jest] ${msg}\n`);
}

function median(xs) {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** One generated test file per leak kind or clean case; test titles carry what the parser needs. */
function writeProject(dir) {
  const casesPath = JSON.stringify(path.join(__dirname, 'cases.js'));
  const testsDir = path.join(dir, '__tests__');
  fs.mkdirSync(testsDir, { recursive: true });
  let n = 0;
  const header = `const { LEAKS, CLEAN } = require(${casesPath});\n`;
  for (const kind of Object.keys(LEAKS)) {
    const sizes = LEAKS[kind].unit === 'bytes' ? CONFIG.bytes : CONFIG.every;
    const lines = [header];
    for (const size of sizes) {
      for (const [rule, reps] of [
        ['adaptive', CONFIG.reps],
        ['fixed', CONFIG.fixedReps],
      ]) {
        for (let r = 0; r < reps; r++) {
          const opts = rule === 'fixed' ? "{ horizon: 'fixed' }" : '';
          lines.push(
            `test(${JSON.stringify(`leak|${kind}|${size}|${rule}|${r}`)}, async () => {`,
            `  const w = LEAKS[${JSON.stringify(kind)}].make(${size});`,
            `  try { await expect(w.fn).not.toLeakMemory(${opts}); } finally { w.cleanup(); }`,
            '});',
          );
        }
      }
    }
    fs.writeFileSync(path.join(testsDir, `leak-${n++}.test.js`), lines.join('\n') + '\n');
  }
  for (const name of Object.keys(CLEAN)) {
    const lines = [header, `const fn = CLEAN[${JSON.stringify(name)}].make();`];
    for (const [rule, runs] of [
      ['adaptive', CONFIG.cleanRuns],
      ['fixed', CONFIG.fixedCleanRuns],
    ]) {
      for (let r = 0; r < runs; r++) {
        const opts = rule === 'fixed' ? "{ horizon: 'fixed' }" : '';
        lines.push(
          `test(${JSON.stringify(`clean|${name}|0|${rule}|${r}`)}, async () => {`,
          `  await expect(fn).not.toLeakMemory(${opts});`,
          '});',
        );
      }
    }
    fs.writeFileSync(path.join(testsDir, `clean-${n++}.test.js`), lines.join('\n') + '\n');
  }
  const preset = require(path.join(repoRoot, 'jest-preset.js'));
  const config = {
    rootDir: dir,
    testEnvironment: preset.testEnvironment,
    testRunner: preset.testRunner,
    setupFilesAfterEnv: preset.setupFilesAfterEnv,
    testTimeout: 120_000,
    testMatch: ['**/__tests__/**/*.test.js'],
  };
  fs.writeFileSync(path.join(dir, 'jest.config.js'), `module.exports = ${JSON.stringify(config, null, 2)};\n`);
}

/** Runs the generated project in one Jest worker and returns its per-test outcomes. */
function runJest(dir, label) {
  const out = path.join(dir, `results-${label}.json`);
  const jestBin = path.join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js');
  log(`jest (${label})…`);
  const r = spawnSync(
    process.execPath,
    [jestBin, '--config', path.join(dir, 'jest.config.js'), '-w', '1', '--json', '--outputFile', out],
    {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        CI: 'true',
        LEAKPROOF_NATIVE_DIR: process.env.LEAKPROOF_NATIVE_DIR ?? path.join(repoRoot, 'native', 'build', 'Release'),
      },
      maxBuffer: 1 << 28,
    },
  );
  if (!fs.existsSync(out)) throw new Error(`jest wrote no results (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  const json = JSON.parse(fs.readFileSync(out, 'utf8'));
  return json.testResults.flatMap((file) =>
    file.assertionResults.map((a) => {
      const [type, name, size, rule] = a.title.split('|');
      const message = (a.failureMessages || []).join('\n');
      // A failure counts as a leak verdict only when the matcher said so; a timeout or a thrown fn is an error.
      const leak =
        a.status === 'failed' &&
        /toLeakMemory/.test(message) &&
        /grew|leak/i.test(message) &&
        !/Exceeded timeout/.test(message);
      return {
        type,
        name,
        size: Number(size),
        rule,
        status: a.status,
        leak,
        error: a.status === 'failed' && !leak ? message.split('\n')[0].slice(0, 160) : undefined,
        durationMs: a.duration,
      };
    }),
  );
}

function summarize(outcomes) {
  const key = (o) => `${o.type}|${o.name}|${o.size}|${o.rule}`;
  const groups = new Map();
  for (const o of outcomes) {
    if (!groups.has(key(o))) groups.set(key(o), []);
    groups.get(key(o)).push(o);
  }
  return [...groups.values()].map((g) => ({
    type: g[0].type,
    name: g[0].name,
    size: g[0].size,
    rule: g[0].rule,
    runs: g.length,
    leaks: g.filter((o) => o.leak).length,
    errors: g.filter((o) => o.error).map((o) => o.error),
    medianMs: median(g.map((o) => o.durationMs)),
  }));
}

function table(head, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

function render(results) {
  const out = [];
  const find = (cond, type, name, size, rule) =>
    results[cond].find((g) => g.type === type && g.name === name && g.size === size && g.rule === rule);
  const cell = (g, leakWanted) =>
    g ? `${g.leaks}/${g.runs}${g.errors.length ? ` (${g.errors.length} errors)` : ''}${leakWanted ? '' : ''}` : '–';
  out.push(`### In Jest workers through the preset: leaks caught at defaults (quiet)\n`);
  const rows = [];
  for (const kind of Object.keys(LEAKS)) {
    const sizes = LEAKS[kind].unit === 'bytes' ? results.config.bytes : results.config.every;
    for (const size of sizes) {
      const a = find('quiet', 'leak', kind, size, 'adaptive');
      const f = find('quiet', 'leak', kind, size, 'fixed');
      const label = LEAKS[kind].unit === 'bytes' ? `${size} B/call` : size === 1 ? '1 per call' : `1 per ${size} calls`;
      rows.push([kind, label, cell(a), a ? `${Math.round(a.medianMs)} ms` : '', cell(f)]);
    }
  }
  out.push(table(['leak kind', 'size', 'caught (sequential)', 'median test time', 'caught (fixed 200)'], rows));
  out.push(`\n### In Jest workers: false positives on clean code\n`);
  const crow = [];
  const totals = { qa: [0, 0], ba: [0, 0], qf: [0, 0], bf: [0, 0] };
  for (const name of Object.keys(CLEAN)) {
    const qa = find('quiet', 'clean', name, 0, 'adaptive');
    const ba = find('busy', 'clean', name, 0, 'adaptive');
    const qf = find('quiet', 'clean', name, 0, 'fixed');
    const bf = find('busy', 'clean', name, 0, 'fixed');
    for (const [k, g] of Object.entries({ qa, ba, qf, bf })) {
      if (!g) continue;
      totals[k][0] += g.leaks;
      totals[k][1] += g.runs;
    }
    crow.push([name, cell(qa), cell(ba), qa ? `${Math.round(qa.medianMs)} ms` : '', cell(qf), cell(bf)]);
  }
  crow.push([
    '**all**',
    ...['qa', 'ba'].map((k) => `**${totals[k][0]}/${totals[k][1]}**`),
    '',
    ...['qf', 'bf'].map((k) => `**${totals[k][0]}/${totals[k][1]}**`),
  ]);
  out.push(
    table(
      ['clean case', 'sequential, quiet', 'sequential, busy core', 'median test time', 'fixed, quiet', 'fixed, busy'],
      crow,
    ),
  );
  const errors = [...results.quiet, ...results.busy].flatMap((g) => g.errors.map((e) => `${g.name}: ${e}`));
  if (errors.length) out.push(`\nErrors (not verdicts): ${errors.length}; first: ${errors.slice(0, 3).join(' | ')}`);
  out.push(
    `\nNode ${results.env.node}, load average at start ${results.env.loadavgStart.map((l) => l.toFixed(2)).join('/')}; took ${results.durationS.toFixed(0)} s.`,
  );
  out.push(`Command: \`npm run build && node bench/detector/jest.js${quick ? ' --quick' : ''}\``);
  return out.join('\n');
}

async function main() {
  if (args.includes('--from')) {
    process.stdout.write(render(JSON.parse(fs.readFileSync(path.resolve(argValue('--from')), 'utf8'))) + '\n');
    return;
  }
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-bench-jest-'));
  writeProject(dir);
  const env = { node: process.version, cpus: os.cpus().length, loadavgStart: os.loadavg() };
  const quiet = summarize(runJest(dir, 'quiet'));
  const busyProc = spawn(process.execPath, [path.join(__dirname, 'busy.js')], { stdio: 'ignore' });
  let busy;
  try {
    busy = summarize(runJest(dir, 'busy'));
  } finally {
    busyProc.kill('SIGKILL');
  }
  const results = {
    kind: 'jest',
    generatedAt: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    config: CONFIG,
    env,
    quiet,
    busy,
    durationS: (Date.now() - started) / 1000,
  };
  const outDir = path.join(repoRoot, 'bench', 'results');
  fs.mkdirSync(outDir, { recursive: true });
  const outFile = path.join(outDir, `detector-jest-${results.mode}-${results.generatedAt.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(outFile, JSON.stringify(results, null, 2));
  fs.rmSync(dir, { recursive: true, force: true });
  process.stdout.write(render(results) + `\nJSON: ${path.relative(repoRoot, outFile)}\n`);
}

main().catch((err) => {
  process.stderr.write(`detector jest bench failed: ${err.stack || err}\n`);
  process.exitCode = 1;
});
