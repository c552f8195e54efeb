// Records the verdict lab's corpus: raw runs of the detector cases in fresh processes, plain node or a Jest worker
// through the preset, quiet or with the other core busy. Writes gzipped JSON lines, one run each; measures, never decides.
//   npm run build && node bench/lab/record.js --env node --condition quiet      # ≈5 min
//   node bench/lab/record.js --quick ...                                        # ≈1 min
//   options: --env node|jest, --condition quiet|busy, --processes N, --max-horizon N (default 6400),
//            --cases detector|lab (bench/detector's cases, or labCases.js), --interval B (survival sampling interval, default 1024), --out FILE (default bench/lab/corpus/<env>-<condition>.jsonl.gz)
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { LEAKS, CLEAN } = require('../detector/cases');
const { LAB_LEAKS, LAB_CLEAN } = require('./labCases');

const args = process.argv.slice(2);
const arg = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const quick = args.includes('--quick');
const env = arg('--env', 'node');
const condition = arg('--condition', 'quiet');
const processes = Number(arg('--processes', quick ? 2 : 10));
const maxHorizon = Number(arg('--max-horizon', 6400));
const interval = Number(arg('--interval', 1024));
const caseSet = arg('--cases', 'detector');
const out = arg(
  '--out',
  path.join(
    __dirname,
    'corpus',
    `${env}-${condition}${caseSet === 'lab' ? '-lab' : ''}${quick ? '-quick' : ''}.jsonl.gz`,
  ),
);
if (!['node', 'jest'].includes(env)) throw new Error('--env must be node or jest');
if (!['quiet', 'busy'].includes(condition)) throw new Error('--condition must be quiet or busy');
const repoRoot = path.resolve(__dirname, '..', '..');

/**
 * Every clean case, and the JS-heap leak kinds at 64 B/call (the recorded leaks check that synthetic leaks added to clean
 * runs in the replay look like real ones). GPR decode needs the vectors and is left out when they are missing.
 */
function cases() {
  if (caseSet === 'lab') {
    return [
      ...Object.keys(LAB_CLEAN).map((name) => ({ type: 'clean', name, lab: true })),
      ...Object.keys(LAB_LEAKS).map((name) => ({ type: 'leak', name, size: 0, lab: true })),
    ];
  }
  const list = Object.keys(CLEAN).map((name) => ({ type: 'clean', name }));
  for (const name of Object.keys(LEAKS)) if (LEAKS[name].metric === 'heap') list.push({ type: 'leak', name, size: 64 });
  return list;
}

function log(msg) {
  process.stderr.write(`[lab:record] ${msg}\n`);
}

function runNode(job) {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'recordWorker.js'), JSON.stringify(job)], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: {
      ...process.env,
      LEAKPROOF_NATIVE_DIR: process.env.LEAKPROOF_NATIVE_DIR ?? path.join(repoRoot, 'native', 'build', 'Release'),
    },
  });
  if (r.status !== 0) log(`process ${job.process} exited ${r.status}: ${r.stderr.slice(-1500)}`);
  return r.stdout.split('\n').filter(Boolean);
}

/** One Jest run with one worker (-w 1): the job's cases in one test file, in a worker through the leakproof preset. */
function runJest(job) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-lab-'));
  try {
    const lines = path.join(dir, 'runs.jsonl');
    fs.mkdirSync(path.join(dir, '__tests__'));
    fs.writeFileSync(
      path.join(dir, '__tests__', 'record.test.js'),
      [
        `const fs = require('node:fs');`,
        `const { runJob } = require(${JSON.stringify(path.join(__dirname, 'recordWorker.js'))});`,
        `test('record', async () => {`,
        `  await runJob(${JSON.stringify(job)}, (r) => fs.appendFileSync(${JSON.stringify(lines)}, JSON.stringify(r) + '\\n'));`,
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
    const r = spawnSync(
      process.execPath,
      [
        path.join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js'),
        '--config',
        path.join(dir, 'jest.config.js'),
        '-w',
        '1',
      ],
      {
        cwd: dir,
        encoding: 'utf8',
        maxBuffer: 1 << 28,
        env: {
          ...process.env,
          CI: 'true',
          LEAKPROOF_NATIVE_DIR: process.env.LEAKPROOF_NATIVE_DIR ?? path.join(repoRoot, 'native', 'build', 'Release'),
        },
      },
    );
    if (r.status !== 0) log(`jest run ${job.process} exited ${r.status}: ${r.stderr.slice(-1500)}`);
    return fs.existsSync(lines) ? fs.readFileSync(lines, 'utf8').split('\n').filter(Boolean) : [];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function main() {
  const started = Date.now();
  const busy =
    condition === 'busy'
      ? spawn(process.execPath, [path.join(__dirname, '..', 'detector', 'busy.js')], { stdio: 'ignore' })
      : undefined;
  const all = [];
  try {
    const list = cases();
    for (let p = 0; p < processes; p++) {
      // Each process runs the cases in a rotated order, so no case always runs first (or last) in its process.
      const rotated = list.map((_, i) => list[(i + p * 7) % list.length]);
      const job = { cases: rotated, maxHorizon, interval, env, condition, process: p };
      const lines = env === 'node' ? runNode(job) : runJest(job);
      all.push(...lines);
      log(`process ${p + 1}/${processes}: ${lines.length} runs, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  } finally {
    busy?.kill('SIGKILL');
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, zlib.gzipSync(all.join('\n') + '\n', { level: 9 }));
  log(
    `${all.length} runs → ${path.relative(repoRoot, out)} (${(fs.statSync(out).size / 1024).toFixed(0)} KiB), load ${os.loadavg()[0].toFixed(2)}`,
  );
}

main();
