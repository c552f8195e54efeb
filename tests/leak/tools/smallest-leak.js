#!/usr/bin/env node
// Measures the smallest injected leak each bundled suite catches: runs `jest --config tests/leak/jest.config.js` with
// the test-only injection on, once per size, and reads which assertions failed from the JSON report.
//   node tests/leak/tools/smallest-leak.js --kind native --sizes 256,1024,4096 [--files lifecycle,decode] [--out file.json]
// --kind native: the injection addon (npm run build:native:inject) leaks N bytes per binding call (malloc, never freed);
// --kind js:     the suites' leakproof/gpr shim retains a JS array of ~N bytes per public call.
// Prints a Markdown table (per suite: assertions, smallest N making the suite fail, smallest N catching every assertion).
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..', '..');
const SUITES = ['lifecycle', 'decode', 'encode', 'convert', 'metadata', 'errors'];

function parseArgs(argv) {
  const o = { kind: 'native', sizes: [256, 1024, 4096], files: SUITES, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--kind') o.kind = v();
    else if (a === '--sizes') o.sizes = v().split(',').map(Number);
    else if (a === '--files') o.files = v().split(',');
    else if (a === '--out') o.out = v();
    else throw new Error(`unknown argument ${a}`);
  }
  if (o.kind !== 'native' && o.kind !== 'js') throw new Error('--kind must be native or js');
  if (o.sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error('--sizes must be positive integers');
  for (const f of o.files) if (!SUITES.includes(f)) throw new Error(`unknown suite ${f} (known: ${SUITES.join(', ')})`);
  o.sizes.sort((a, b) => a - b);
  return o;
}

function runOnce(kind, size, files) {
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), `leakproof-smallest-${kind}-${size}-`));
  const env = { ...process.env, LEAKPROOF_LEAK_REPORT_DIR: reportDir, NO_COLOR: '1' };
  delete env.NODE_OPTIONS;
  if (kind === 'native') {
    env.LEAKPROOF_NATIVE_DIR = path.join(root, 'native', 'build-inject', 'Release');
    env.LEAKPROOF_INJECT_LEAK_BYTES = String(size);
  } else {
    env.LEAKPROOF_INJECT_RETAIN_BYTES = String(size);
  }
  const started = Date.now();
  const args = [
    path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'),
    '--config',
    'tests/leak/jest.config.js',
    '--ci',
    '--silent',
    ...files.map((f) => `tests/leak/suites/${f}.leak.test.ts`),
  ];
  const r = spawnSync(process.execPath, args, { cwd: root, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const file = path.join(reportDir, 'leak-report.json');
  if (!fs.existsSync(file))
    throw new Error(`no report for ${kind} ${size} (exit ${r.status}):\n${(r.stderr || '').slice(-3000)}`);
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  fs.rmSync(reportDir, { recursive: true, force: true });
  const out = new Map();
  for (const f of report.files) {
    const suite = path.basename(f.path).replace(/\.leak\.test\.ts$/, '');
    for (const rec of f.records)
      out.set(`${suite}\u0000${rec.testName}`, {
        suite,
        name: rec.testName,
        caught: rec.leak && !rec.pass,
        error: rec.error,
      });
  }
  process.stderr.write(
    `${kind} ${size} B: ${[...out.values()].filter((x) => x.caught).length}/${out.size} assertions failed (${((Date.now() - started) / 1000).toFixed(0)} s)\n`,
  );
  return out;
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.kind === 'native' && !fs.existsSync(path.join(root, 'native', 'build-inject', 'Release', 'leakproof.node'))) {
    throw new Error('the injection addon is not built: npm run build:native:inject');
  }
  const firstCaught = new Map(); // key -> smallest size that failed it
  const names = new Map();
  for (const size of o.sizes) {
    for (const [key, rec] of runOnce(o.kind, size, o.files)) {
      names.set(key, rec);
      if (rec.caught && !firstCaught.has(key)) firstCaught.set(key, size);
    }
  }
  const rows = [];
  for (const suite of o.files) {
    const keys = [...names.keys()].filter((k) => names.get(k).suite === suite);
    const sizes = keys.map((k) => firstCaught.get(k));
    const any = sizes.filter((s) => s !== undefined);
    rows.push({
      suite,
      assertions: keys.length,
      smallestFailingSuite: any.length ? Math.min(...any) : null,
      smallestCatchingAll: sizes.every((s) => s !== undefined) && sizes.length ? Math.max(...sizes) : null,
      caughtAtLargest: any.length,
    });
  }
  const fmt = (n) => (n === null ? `> ${o.sizes[o.sizes.length - 1]} B` : `${n} B`);
  const unit = o.kind === 'native' ? 'per binding call (malloc, never freed)' : 'per public call (JS array retained)';
  console.log(`Injected leak ${unit}; sizes tried: ${o.sizes.join(', ')} B\n`);
  console.log(
    '| suite | assertions | suite fails from | every assertion fails from | assertions caught at the largest size |',
  );
  console.log('|---|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${r.suite} | ${r.assertions} | ${fmt(r.smallestFailingSuite)} | ${fmt(r.smallestCatchingAll)} | ${r.caughtAtLargest}/${r.assertions} |`,
    );
  if (o.out) {
    const perAssertion = [...names.entries()].map(([k, r]) => ({
      suite: r.suite,
      test: r.name,
      smallestCaught: firstCaught.get(k) ?? null,
    }));
    fs.writeFileSync(
      o.out,
      JSON.stringify({ kind: o.kind, sizes: o.sizes, suites: rows, assertions: perAssertion }, null, 2) + '\n',
    );
  }
}

try {
  main();
} catch (err) {
  process.stderr.write(`smallest-leak: ${err.message}\n`);
  process.exitCode = 2;
}
