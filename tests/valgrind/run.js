#!/usr/bin/env node
// npm run test:valgrind: runs workload.js under valgrind memcheck and judges the report with check.js.
// Usage: node tests/valgrind/run.js [--set full|ci]   (full: every vector incl. camera files; ci: no camera files)
// Needs `npm run build` (dist/) and the normal addon (native/build/Release or LEAKPROOF_NATIVE_DIR; not the ASan one).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { parseValgrindXml, judge, formatError } = require('./check');

const set = process.argv.includes('--set') ? process.argv[process.argv.indexOf('--set') + 1] : 'full';

if (spawnSync('valgrind', ['--version']).status !== 0) {
  console.error('test:valgrind: valgrind is not installed (Debian: apt-get install valgrind)');
  process.exit(2);
}
// A suppression that names the addon could hide exactly what this test is for.
const suppFile = path.join(__dirname, 'node.supp');
const namesAddon = fs
  .readFileSync(suppFile, 'utf8')
  .split('\n')
  .filter((l) => !l.trim().startsWith('#') && /leakproof/i.test(l));
if (namesAddon.length) {
  console.error(`test:valgrind: ${suppFile} must not suppress the addon's own frames:\n${namesAddon.join('\n')}`);
  process.exit(2);
}
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-valgrind-'));
const xmlFile = path.join(outDir, 'memcheck.xml');
const args = [
  '--tool=memcheck',
  '--leak-check=full',
  '--show-leak-kinds=definite',
  '--errors-for-leak-kinds=definite',
  '--error-exitcode=99',
  '--num-callers=30',
  `--suppressions=${suppFile}`,
  '--xml=yes',
  `--xml-file=${xmlFile}`,
  process.execPath,
  // No JIT: V8's generated code is what makes Node slow and noisy under valgrind, and the addon is what we test.
  '--jitless',
  '--expose-gc',
  path.join(__dirname, 'workload.js'),
  '--set',
  set,
];
console.log(`test:valgrind: valgrind ${args.join(' ')}`);
const started = Date.now();
const r = spawnSync('valgrind', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 256 << 20 });
const seconds = Math.round((Date.now() - started) / 1000);
process.stdout.write(r.stdout ?? '');
const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('WORKLOAD '));
const workload = line ? JSON.parse(line.slice(9)) : undefined;
const report = parseValgrindXml(fs.existsSync(xmlFile) ? fs.readFileSync(xmlFile, 'utf8') : '');
const verdict = judge(report);

console.log(`\ntest:valgrind: ${seconds} s, valgrind exit ${r.status}, report ${xmlFile}`);
if (workload)
  console.log(
    `test:valgrind: workload: ${workload.files} files, ${workload.opened} opened, ${workload.rawDecodes} RAW and ${workload.rgbDecodes} RGB decodes, ${workload.encodes} encodes, ${workload.conversions} conversions, rejected ${JSON.stringify(workload.rejected)}`,
  );
for (const s of report.suppressed) console.log(`test:valgrind: suppressed ${s.count}x ${s.name}`);
for (const n of verdict.notes) console.log(`test:valgrind: note (not the addon's): ${formatError(n, 6)}`);
const problems = [];
if (!workload) problems.push('the workload did not finish (no WORKLOAD line)');
else if (workload.unexpected.length) problems.push(...workload.unexpected.map((u) => `non-GprError failure: ${u}`));
if (r.status !== 0 && r.status !== 99)
  problems.push(`valgrind/node exited with ${r.status}${r.signal ? ` (signal ${r.signal})` : ''}`);
for (const f of verdict.failures) problems.push(formatError(f));
if (r.status === 99 && verdict.failures.length === 0 && verdict.notes.length === 0)
  problems.push('valgrind reported errors that are not in its XML report');
if (problems.length) {
  console.error(`\ntest:valgrind: FAILED\n${problems.join('\n\n')}`);
  process.exit(1);
}
console.log('test:valgrind: ok: no invalid reads/writes, no definitely-lost bytes from leakproof.node');
