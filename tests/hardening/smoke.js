#!/usr/bin/env node
// npm run test:hardening: the CI smoke of issue 7, bounded in time. Runs, in order:
//   1. fuzz:     every libFuzzer harness for LEAKPROOF_FUZZ_SECONDS (default 30) on the seed corpora, fixed seed,
//                after replaying the stored regression inputs (native/fuzz/run.js);
//   2. asan:     the codec and engine Jest suites against the ASan+UBSan addon (tests/asan/run.js --ci);
//   3. valgrind: the reduced valgrind workload (tests/valgrind/run.js --set ci);
//   4. tracker:  the native allocation tracker under valgrind, with a threaded storm (tests/valgrind/tracker.js, ~30 s).
// Each step has a hard time limit; a step that fails or runs out of time fails the smoke. Steps can be
// chosen: node tests/hardening/smoke.js [fuzz] [asan] [valgrind] [tracker]
'use strict';
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');
const fuzzSeconds = Number(process.env.LEAKPROOF_FUZZ_SECONDS ?? 30);
const STEPS = {
  fuzz: {
    cmd: [path.join(root, 'native', 'fuzz', 'run.js'), '--seconds', String(fuzzSeconds), '--seed', '1'],
    limitMin: 5 + ((5 * fuzzSeconds) / 60) * 1.5,
  },
  asan: { cmd: [path.join(__dirname, '..', 'asan', 'run.js'), '--ci'], limitMin: 14 },
  valgrind: { cmd: [path.join(__dirname, '..', 'valgrind', 'run.js'), '--set', 'ci'], limitMin: 8 },
  tracker: { cmd: [path.join(__dirname, '..', 'valgrind', 'tracker.js')], limitMin: 4 },
};
const chosen = process.argv.slice(2);
for (const c of chosen)
  if (!STEPS[c]) {
    console.error(`test:hardening: unknown step '${c}' (fuzz, asan, valgrind, tracker)`);
    process.exit(2);
  }
const steps = chosen.length ? chosen : Object.keys(STEPS);

const results = [];
for (const name of steps) {
  const s = STEPS[name];
  console.log(`\n=== test:hardening: ${name} (limit ${Math.round(s.limitMin)} min)`);
  const started = Date.now();
  const r = spawnSync(process.execPath, s.cmd, {
    cwd: root,
    stdio: 'inherit',
    timeout: s.limitMin * 60_000,
    killSignal: 'SIGKILL',
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  const status =
    r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGKILL'
      ? 'TIMEOUT'
      : r.status === 0
        ? 'ok'
        : `FAILED (exit ${r.status})`;
  results.push({ name, seconds, status });
}
console.log('\n| step | seconds | result |\n|---|---|---|');
for (const r of results) console.log(`| ${r.name} | ${r.seconds} | ${r.status} |`);
process.exit(results.every((r) => r.status === 'ok') ? 0 : 1);
