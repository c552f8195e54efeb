// Side by side in the same fresh processes: 0.1's fixed rule, the current default (sequential verdict on heapUsed) and
// survival counts (option survivalCounts), through the real engine: false leaks and time on clean cases, caught / clean /
// undecided and time on leaks. Measures, never asserts.
//   npm run build && node bench/lab/compare.js --quick      # ≈5 min
//   node bench/lab/compare.js                                # ≈30 min
//   options: --env node|jest (jest: each process is one Jest worker through the leakproof preset), --processes N,
//            --busy (the other core spinning), --smallest-leak B (survival rule; default the engine's),
//            --out FILE (JSON; default bench/results/compare-<env>-<quiet|busy>.json)
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { LEAKS, CLEAN } = require('../detector/cases');
const { LAB_LEAKS, LAB_CLEAN } = require('./labCases');

const args = process.argv.slice(2);
const arg = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const quick = args.includes('--quick');
const busy = args.includes('--busy');
const processes = Number(arg('--processes', quick ? 4 : 20));
const env = arg('--env', 'node');
const smallestLeak = arg('--smallest-leak') ? Number(arg('--smallest-leak')) : undefined;
const out = arg(
  '--out',
  path.join(__dirname, '..', 'results', `compare-${env}-${busy ? 'busy' : 'quiet'}${quick ? '-quick' : ''}.json`),
);
const repoRoot = path.resolve(__dirname, '..', '..');
const dist = process.env.LEAKPROOF_BENCH_DIST || path.join(repoRoot, 'dist');

const CONFIGS = {
  fixed: { horizon: 'fixed' },
  default: {},
  survival: { survivalCounts: true, ...(smallestLeak ? { smallestLeak } : {}) },
};

/** Jobs of one process: every clean case and leak, each under every configuration, in an order rotated per process. */
function jobs(p) {
  const list = [];
  for (const name of Object.keys(CLEAN)) list.push({ type: 'clean', name });
  for (const name of Object.keys(LAB_CLEAN)) list.push({ type: 'clean', name, lab: true });
  for (const name of Object.keys(LEAKS)) {
    if (LEAKS[name].metric !== 'heap') continue;
    for (const size of quick ? [32, 256] : [32, 64, 256]) list.push({ type: 'leak', name, size });
  }
  for (const name of Object.keys(LAB_LEAKS)) list.push({ type: 'leak', name, size: 0, lab: true });
  const all = [];
  for (const j of list) for (const config of Object.keys(CONFIGS)) all.push({ ...j, config });
  const shift = (p * 5) % all.length;
  return [...all.slice(shift), ...all.slice(0, shift)];
}

async function worker(list, emit = (line) => process.stdout.write(line + '\n')) {
  const { detectLeak } = require(path.join(dist, 'src', 'engine', 'detectLeak'));
  for (const j of list) {
    let fn;
    let cleanup = () => undefined;
    if (j.type === 'clean') fn = j.lab ? LAB_CLEAN[j.name]() : CLEAN[j.name].make();
    else {
      const made = j.lab ? LAB_LEAKS[j.name]() : LEAKS[j.name].make(j.size);
      fn = made.fn;
      cleanup = made.cleanup;
    }
    try {
      const d = await detectLeak(fn, { allocationSites: false, ...CONFIGS[j.config] });
      if (d.error) throw d.error;
      const heap = d.metrics.find((m) => m.metric === 'heap');
      const undecided = d.metrics.filter((m) => m.decision === 'undecided' && m.metric !== 'rss').map((m) => m.metric);
      emit(
        JSON.stringify({
          ...j,
          leak: d.leak,
          verdict: d.leak ? 'leak' : undecided.length > 0 ? 'undecided' : 'clean',
          leaking: d.metrics.filter((m) => m.leak).map((m) => m.metric),
          undecided,
          heapBy: heap?.survival
            ? heap.survival.decision === 'leak'
              ? 'survival'
              : heap.leak
                ? 'heapUsed'
                : '-'
            : '-',
          ms: Math.round(d.durationMs - d.calibrationMs),
          iterations: d.iterations,
          rows: d.samples + 1,
        }),
      );
    } catch (err) {
      emit(JSON.stringify({ ...j, error: String(err) }));
    } finally {
      cleanup();
    }
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : NaN;
}
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

const nativeEnv = () => ({
  ...process.env,
  LEAKPROOF_NATIVE_DIR: process.env.LEAKPROOF_NATIVE_DIR ?? path.join(repoRoot, 'native', 'build', 'Release'),
});

function runNode(list) {
  const r = spawnSync(process.execPath, [__filename, '--worker', JSON.stringify(list)], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: nativeEnv(),
  });
  if (r.status !== 0) process.stderr.write(r.stderr.slice(-2000));
  return r.stdout.split('\n').filter(Boolean);
}

/** The same jobs in one Jest worker (-w 1) through the leakproof preset, the way users run assertions. */
function runJest(list) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-compare-'));
  try {
    const lines = path.join(dir, 'results.jsonl');
    fs.mkdirSync(path.join(dir, '__tests__'));
    fs.writeFileSync(
      path.join(dir, '__tests__', 'compare.test.js'),
      [
        `const fs = require('node:fs');`,
        `const { worker } = require(${JSON.stringify(path.join(__dirname, 'compare.js'))});`,
        `test('compare', async () => {`,
        `  await worker(${JSON.stringify(list)}, (line) => fs.appendFileSync(${JSON.stringify(lines)}, line + '\\n'));`,
        `});`,
      ].join('\n'),
    );
    const preset = require(path.join(repoRoot, 'jest-preset.js'));
    const config = {
      rootDir: dir,
      testEnvironment: preset.testEnvironment,
      testRunner: preset.testRunner,
      setupFilesAfterEnv: preset.setupFilesAfterEnv,
      testTimeout: 3_600_000,
      testMatch: ['**/__tests__/**/*.test.js'],
    };
    fs.writeFileSync(path.join(dir, 'jest.config.js'), `module.exports = ${JSON.stringify(config)};\n`);
    const jestBin = path.join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js');
    const r = spawnSync(process.execPath, [jestBin, '--config', path.join(dir, 'jest.config.js'), '-w', '1'], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      env: { ...nativeEnv(), CI: 'true' },
    });
    if (r.status !== 0) process.stderr.write(r.stderr.slice(-2000));
    return fs.existsSync(lines) ? fs.readFileSync(lines, 'utf8').split('\n').filter(Boolean) : [];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function main() {
  const started = Date.now();
  const spinner = busy
    ? spawn(process.execPath, [path.join(__dirname, '..', 'detector', 'busy.js')], { stdio: 'ignore' })
    : undefined;
  const results = [];
  try {
    for (let p = 0; p < processes; p++) {
      const lines = env === 'jest' ? runJest(jobs(p)) : runNode(jobs(p));
      for (const line of lines) results.push({ ...JSON.parse(line), process: p });
      process.stderr.write(
        `[lab:compare] process ${p + 1}/${processes}, ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
      );
    }
  } finally {
    spinner?.kill('SIGKILL');
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(
    out,
    JSON.stringify({ busy, processes, smallestLeak: smallestLeak ?? 'default', load: os.loadavg(), results }, null, 0),
  );
  // Tables: clean (false leaks, undecided, mean time, ratio to the fixed rule's mean) and leaks per kind.
  const rows = (filter) => results.filter((r) => !r.error && filter(r));
  const lines = [
    `# compare (${env}, ${busy ? 'other core busy' : 'quiet'}, ${processes} processes, ${((Date.now() - started) / 1000).toFixed(0)} s)`,
    '',
  ];
  lines.push('| clean | n | false leak | undecided | mean ms | ratio to fixed |', '|---|---|---|---|---|---|');
  const fixedMean = mean(rows((r) => r.type === 'clean' && r.config === 'fixed').map((r) => r.ms));
  for (const config of Object.keys(CONFIGS)) {
    const c = rows((r) => r.type === 'clean' && r.config === config);
    const m = mean(c.map((r) => r.ms));
    lines.push(
      `| ${config} | ${c.length} | ${c.filter((r) => r.leak).length} | ${c.filter((r) => r.verdict === 'undecided').length} | ${m.toFixed(0)} | ${(m / fixedMean).toFixed(2)}x |`,
    );
  }
  const falseLeaks = rows((r) => r.type === 'clean' && r.leak && r.config !== 'fixed');
  if (falseLeaks.length)
    lines.push(
      '',
      'false leaks: ' + falseLeaks.map((r) => `${r.config}/${r.name} (${r.leaking.join(',')})`).join('; '),
    );
  lines.push(
    '',
    '| leak | size | config | n | caught | clean | undecided | median ms (caught) |',
    '|---|---|---|---|---|---|---|---|',
  );
  const kinds = [...new Set(rows((r) => r.type === 'leak').map((r) => `${r.name}|${r.size}`))];
  for (const k of kinds) {
    const [name, size] = k.split('|');
    for (const config of Object.keys(CONFIGS)) {
      const c = rows((r) => r.type === 'leak' && r.name === name && String(r.size) === size && r.config === config);
      lines.push(
        `| ${name} | ${size === '0' ? '-' : size + ' B'} | ${config} | ${c.length} | ${c.filter((r) => r.leak).length} | ${c.filter((r) => r.verdict === 'clean').length} | ${c.filter((r) => r.verdict === 'undecided').length} | ${median(c.filter((r) => r.leak).map((r) => r.ms))} |`,
      );
    }
  }
  const errors = results.filter((r) => r.error);
  if (errors.length) lines.push('', `errors: ${errors.length} (${errors[0].error.slice(0, 200)})`);
  fs.writeFileSync(out.replace(/\.json$/, '.md'), lines.join('\n') + '\n');
  console.log(lines.join('\n'));
}

module.exports = { worker };

if (args[0] === '--worker') {
  worker(JSON.parse(args[1])).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else if (require.main === module) {
  main();
}
