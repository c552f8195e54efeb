#!/usr/bin/env node
// Runs the libFuzzer harnesses: `node native/fuzz/run.js --seconds N [target...]` (npm run fuzz -- --seconds N).
// Per target: builds (incremental), replays every stored regression input, then fuzzes for N seconds on one
// core (one process, one job: the machine is shared) starting from the repo's seed corpus, the working corpus
// of earlier runs and, when present, the shared test vectors (linked at run time, never copied into the repo).
// Prints executions, coverage and findings per target; exits 1 on any crash, leak, timeout or oracle failure.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const here = __dirname;
const root = path.resolve(here, '..', '..');
const buildDir = path.join(here, 'build');
const TARGETS = ['tiff', 'vc5_file', 'vc5_payload', 'encode', 'convert'];
// Which shared-vector folders seed which target (files above 1 MiB are left out: they make every execution slow).
const SHARED_SEEDS = {
  tiff: ['synthetic', 'malformed', 'camera'],
  vc5_file: ['synthetic', 'malformed'],
  vc5_payload: ['synthetic'],
  encode: [],
  convert: ['synthetic', 'malformed'],
};
const MAX_SHARED_SEED_BYTES = 1 << 20;

function usage(msg) {
  if (msg) console.error(`run.js: ${msg}`);
  console.error(
    `usage: node native/fuzz/run.js --seconds N [--seed N] [--no-shared] [--log-dir DIR] [target...]\n  targets: ${TARGETS.join(', ')}`,
  );
  process.exit(2);
}

function parseArgs(argv) {
  const o = { seconds: 60, targets: [], shared: true, seed: undefined, logDir: path.join(buildDir, 'logs') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--seconds') {
      o.seconds = Number(argv[++i]);
      if (!Number.isInteger(o.seconds) || o.seconds < 1) usage('--seconds needs a positive integer');
    } else if (a === '--seed') {
      o.seed = Number(argv[++i]);
      if (!Number.isInteger(o.seed) || o.seed < 1) usage('--seed needs a positive integer');
    } else if (a === '--no-shared') o.shared = false;
    else if (a === '--log-dir') o.logDir = path.resolve(argv[++i] ?? usage('--log-dir needs a folder'));
    else if (a === '-h' || a === '--help') usage();
    else if (TARGETS.includes(a)) o.targets.push(a);
    else usage(`unknown argument '${a}'`);
  }
  if (o.targets.length === 0) o.targets = TARGETS.slice();
  return o;
}

function sharedVectorsDir() {
  const candidates = [process.env.LEAKPROOF_VECTORS, path.resolve(root, '..', 'shared', 'vectors')];
  return candidates.find((d) => d && fs.existsSync(path.join(d, 'manifest.json')));
}

// The VC-5 payload of a GPR (TileOffsets/TileByteCounts or StripOffsets/StripByteCounts of the VC-5 IFD), or
// undefined. A small reader of its own so the runner does not depend on the addon being built.
function extractPayload(buf) {
  if (buf.length < 8) return undefined;
  const le = buf[0] === 0x49;
  const u16 = (o) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const ifds = [u32(4)];
  const seen = new Set();
  while (ifds.length) {
    const off = ifds.shift();
    if (seen.has(off) || off + 2 > buf.length) continue;
    seen.add(off);
    const n = u16(off);
    if (off + 2 + n * 12 + 4 > buf.length) continue;
    const tags = new Map();
    for (let i = 0; i < n; i++) {
      const e = off + 2 + i * 12;
      tags.set(u16(e), { type: u16(e + 2), count: u32(e + 4), value: u16(e + 2) === 3 ? u16(e + 8) : u32(e + 8) });
    }
    if (tags.get(330)?.count === 1) ifds.push(tags.get(330).value);
    const comp = tags.get(259)?.value;
    const o = tags.get(324) ?? tags.get(273);
    const c = tags.get(325) ?? tags.get(279);
    if (comp === 9 && o && c && o.value + c.value <= buf.length) return buf.subarray(o.value, o.value + c.value);
  }
  return undefined;
}

// Folder of seeds taken from the shared vectors for this target (symlinks, or extracted payloads), or undefined.
function sharedSeeds(target) {
  const vectors = sharedVectorsDir();
  const folders = SHARED_SEEDS[target];
  if (!vectors || folders.length === 0) return undefined;
  const dir = path.join(buildDir, 'shared-seeds', target);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  let count = 0;
  for (const sub of folders) {
    const src = path.join(vectors, sub);
    if (!fs.existsSync(src)) continue;
    for (const name of fs.readdirSync(src)) {
      if (!/\.(gpr|dng)$/i.test(name)) continue;
      const file = path.join(src, name);
      const size = fs.statSync(file).size;
      if (target === 'vc5_payload') {
        if (size > 8 * MAX_SHARED_SEED_BYTES) continue;
        const p = extractPayload(fs.readFileSync(file));
        if (p && p.length <= MAX_SHARED_SEED_BYTES) {
          fs.writeFileSync(path.join(dir, `${sub}-${name}.vc5`), p);
          count++;
        }
      } else if (size <= MAX_SHARED_SEED_BYTES) {
        fs.symlinkSync(file, path.join(dir, `${sub}-${name}`));
        count++;
      }
    }
  }
  return count ? dir : undefined;
}

function listFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((n) => path.join(dir, n))
    .filter((f) => fs.statSync(f).isFile());
}

// libFuzzer's summary lines: "#N DONE cov: C ft: F corp: U/S exec/s: E rss: R Mb" and the -print_final_stats block.
function parseStats(text) {
  const s = {};
  const done = [
    ...text.matchAll(
      /#(\d+)\s+DONE\s+cov: (\d+) ft: (\d+) corp: (\d+)\/(\S+) (?:lim: \d+ )?exec\/s: (\d+) rss: (\d+)Mb/g,
    ),
  ].pop();
  if (done)
    Object.assign(s, {
      execs: +done[1],
      cov: +done[2],
      ft: +done[3],
      corpus: +done[4],
      execPerSec: +done[6],
      rssMb: +done[7],
    });
  const inited = text.match(/#\d+\s+INITED\s+cov: (\d+) ft: (\d+)/);
  if (inited) Object.assign(s, { initCov: +inited[1], initFt: +inited[2] });
  const st = (k) => {
    const m = text.match(new RegExp(`stat::${k}:\\s+(\\d+)`));
    return m ? +m[1] : undefined;
  };
  s.execs ??= st('number_of_executed_units');
  s.newUnits = st('new_units_added');
  s.peakRssMb = st('peak_rss_mb');
  s.artifacts = [...text.matchAll(/(?:Test unit written to|artifact_prefix.*; Test unit written to) (\S+)/g)].map(
    (m) => m[1],
  );
  s.crashKinds = [
    ...new Set(
      [
        ...text.matchAll(
          /(ERROR: (?:AddressSanitizer|LeakSanitizer|libFuzzer): [^\n]*|runtime error: [^\n]*|ORACLE FAILURE: [^\n]*)/g,
        ),
      ].map((m) => m[1].trim()),
    ),
  ];
  return s;
}

function runFuzzer(bin, args, logFile) {
  return new Promise((resolve) => {
    const log = fs.createWriteStream(logFile);
    const child = spawn(bin, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1' },
    });
    let text = '';
    const take = (d) => {
      text += d;
      log.write(d);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const stop = () => child.kill('SIGINT');
    process.once('SIGINT', stop);
    child.on('close', (code, signal) => {
      process.removeListener('SIGINT', stop);
      log.end();
      resolve({ code, signal, text });
    });
  });
}

async function fuzzTarget(target, o) {
  const bin = path.join(buildDir, `fuzz_${target}`);
  const seedDir = path.join(here, 'corpus', target);
  const workDir = path.join(buildDir, 'work', target);
  const artifactDir = path.join(buildDir, 'artifacts', target);
  for (const d of [workDir, artifactDir, o.logDir]) fs.mkdirSync(d, { recursive: true });
  const result = { target, seconds: o.seconds };

  // 1. Regression inputs: each must run clean (libFuzzer executes files given as arguments once).
  const regressions = listFiles(path.join(here, 'regressions', target));
  if (regressions.length) {
    const r = spawnSync(bin, ['-runs=1', ...regressions], { encoding: 'utf8', maxBuffer: 64 << 20 });
    result.regressions = regressions.length;
    if (r.status !== 0) {
      result.regressionFailure = `${r.stdout}${r.stderr}`
        .split('\n')
        .filter((l) => /ERROR|runtime error|ORACLE|Running:/.test(l))
        .join('\n');
      return result;
    }
  }

  // 2. Fuzzing: new inputs go to the working corpus (first folder); the seeds are read only.
  const corpora = [workDir, seedDir];
  const shared = o.shared ? sharedSeeds(target) : undefined;
  if (shared) corpora.push(shared);
  const args = [
    `-max_total_time=${o.seconds}`,
    '-timeout=25', // one input taking longer is a finding (hang)
    '-rss_limit_mb=2560',
    '-print_final_stats=1',
    '-detect_leaks=1',
    ...(o.seed ? [`-seed=${o.seed}`] : []), // fixed seed (CI smoke): the same mutations on the same corpus
    `-artifact_prefix=${artifactDir}/`,
    ...corpora,
  ];
  const logFile = path.join(o.logDir, `${target}.log`);
  const started = Date.now();
  const r = await runFuzzer(bin, args, logFile);
  Object.assign(result, parseStats(r.text), {
    wallSeconds: Math.round((Date.now() - started) / 1000),
    exitCode: r.code,
    log: logFile,
  });
  result.sharedSeeds = shared ? listFiles(shared).length : 0;
  result.repoSeeds = listFiles(seedDir).length;
  // Stopped by Ctrl-C / SIGINT: libFuzzer exits 72 after its final stats. That is an interrupted run, not a finding.
  result.interrupted = r.code === 72 && /libFuzzer: run interrupted/.test(r.text) && result.crashKinds.length === 0;
  result.crashed = !result.interrupted && (r.code !== 0 || result.crashKinds.length > 0);
  return result;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const b = spawnSync(path.join(here, 'build.sh'), o.targets, { stdio: 'inherit' });
  if (b.status !== 0) {
    console.error('run.js: build failed');
    process.exit(2);
  }
  const results = [];
  for (const t of o.targets) {
    console.log(`run.js: fuzzing ${t} for ${o.seconds} s`);
    const r = await fuzzTarget(t, o);
    results.push(r);
    if (r.regressionFailure) console.log(`run.js: ${t}: a stored regression input fails:\n${r.regressionFailure}`);
    else
      console.log(
        `run.js: ${t}: ${r.execs ?? '?'} execs in ${r.wallSeconds} s, cov ${r.cov ?? '?'}, ft ${r.ft ?? '?'}, corpus ${r.corpus ?? '?'}, ` +
          `${r.crashed ? `CRASH: ${r.crashKinds.join(' | ') || `exit ${r.exitCode}`} (${r.artifacts.join(', ')})` : r.interrupted ? 'interrupted, no findings' : 'no findings'}`,
      );
  }
  fs.mkdirSync(path.join(buildDir, 'stats'), { recursive: true });
  const statsFile = path.join(buildDir, 'stats', `run-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(statsFile, JSON.stringify(results, null, 2));
  console.log('\n| target | seconds | executions | exec/s | cov | ft | corpus | regressions | findings |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const findings = r.regressionFailure
      ? 'regression fails'
      : r.crashed
        ? r.crashKinds.join('; ') || `exit ${r.exitCode}`
        : r.interrupted
          ? 'none (interrupted)'
          : 'none';
    console.log(
      `| ${r.target} | ${r.wallSeconds ?? 0} | ${r.execs ?? 0} | ${r.execPerSec ?? '-'} | ${r.cov ?? '-'} | ${r.ft ?? '-'} | ${r.corpus ?? '-'} | ${r.regressions ?? 0} | ${findings} |`,
    );
  }
  console.log(`\nstats: ${path.relative(root, statsFile)}`);
  process.exit(results.some((r) => r.crashed || r.regressionFailure) ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
