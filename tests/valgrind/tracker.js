#!/usr/bin/env node
// npm run test:valgrind:tracker: the native allocation tracker under valgrind memcheck: GOT patching, sampling, a
// threaded allocation storm while it arms and disarms, symbolization; judged like test:valgrind (check.js), with the
// tracker's addon and the test addon both counted as "ours". Needs dist/ and the normal build (not the ASan one).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { parseValgrindXml, judge, formatError } = require('./check');

if (process.argv[2] === '--workload') {
  // The workload itself, run by valgrind below.
  const root = path.resolve(__dirname, '..', '..');
  const dir = process.env.LEAKPROOF_NATIVE_DIR || path.join(root, 'native', 'build', 'Release');
  const lp = require(path.join(dir, 'leakproof.node'));
  const t = require(path.join(dir, 'leakproof_testing.node'));
  const { profileNativeSites } = require(path.join(root, 'dist', 'src', 'engine', 'nativeSites'));
  const { getGc } = require(path.join(root, 'dist', 'src', 'engine', 'gc'));
  (async () => {
    const gc = getGc();
    const cache = new t.LeakyCache();
    const leak = await profileNativeSites(() => t.leakSited(16 * 1024), 30, gc, { warmup: 2, samplingInterval: 4096 });
    const held = await profileNativeSites(() => cache.insert(8000), 30, gc, { warmup: 2, samplingInterval: 4096 });
    const churn = await profileNativeSites(() => t.churnNative(1 << 14), 30, gc, { warmup: 2, samplingInterval: 4096 });
    t.startAllocStorm(2);
    for (let round = 0; round < 10; round++) {
      lp.nativeTrackerArm(256 + round);
      await new Promise((r) => setTimeout(r, 20));
      lp.nativeTrackerSnapshot();
      lp.nativeTrackerDisarm();
    }
    const ops = t.stopAllocStorm();
    t.freeLeaked();
    const top = (p) => (p.sites[0] ? `${p.sites[0].functionName}:${p.sites[0].line}` : 'none');
    console.log(`TRACKER ${JSON.stringify({ leak: top(leak), held: top(held), churn: top(churn), stormOps: ops })}`);
  })().catch((err) => {
    console.error(err);
    process.exit(1);
  });
  return;
}

if (spawnSync('valgrind', ['--version']).status !== 0) {
  console.error('test:valgrind:tracker: valgrind is not installed');
  process.exit(2);
}
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-valgrind-tracker-'));
const xmlFile = path.join(outDir, 'memcheck.xml');
const args = [
  '--tool=memcheck',
  '--leak-check=full',
  '--show-leak-kinds=definite',
  '--errors-for-leak-kinds=definite',
  '--error-exitcode=99',
  '--num-callers=30',
  `--suppressions=${path.join(__dirname, 'node.supp')}`,
  '--xml=yes',
  `--xml-file=${xmlFile}`,
  process.execPath,
  '--jitless',
  '--expose-gc',
  __filename,
  '--workload',
];
console.log(`test:valgrind:tracker: valgrind ${args.join(' ')}`);
const started = Date.now();
const r = spawnSync('valgrind', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
const seconds = Math.round((Date.now() - started) / 1000);
process.stdout.write(r.stdout ?? '');
const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('TRACKER '));
const result = line ? JSON.parse(line.slice(8)) : undefined;
const verdict = judge(
  parseValgrindXml(fs.existsSync(xmlFile) ? fs.readFileSync(xmlFile, 'utf8') : ''),
  /leakproof(_testing)?\.node$/,
);
const problems = verdict.failures.map((f) => formatError(f));
if (!result) problems.push('the workload did not finish (no TRACKER line)');
else {
  if (!/^KeepForever/.test(result.leak)) problems.push(`leakSited's site is ${result.leak}, not KeepForever`);
  if (!/^LeakyCache::Insert/.test(result.held))
    problems.push(`LeakyCache's site is ${result.held}, not LeakyCache::Insert`);
  if (result.churn !== 'none') problems.push(`churn named a site: ${result.churn}`);
}
if (r.status !== 0 && r.status !== 99)
  problems.push(`valgrind/node exited with ${r.status}${r.signal ? ` (signal ${r.signal})` : ''}`);
for (const n of verdict.notes) console.log(`test:valgrind:tracker: note (not ours): ${formatError(n, 6)}`);
if (problems.length) {
  console.error(`\ntest:valgrind:tracker: FAILED\n${problems.join('\n\n')}`);
  process.exit(1);
}
console.log(
  `test:valgrind:tracker: ok in ${seconds} s (${xmlFile}): no invalid accesses, sites named under valgrind too`,
);
