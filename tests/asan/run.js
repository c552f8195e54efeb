#!/usr/bin/env node
// npm run test:asan: builds the addon with AddressSanitizer + UBSan (native/build-asan) and runs the unit and
// GPR Jest suites against it, with the ASan runtime preloaded into node (node itself is not instrumented, so
// the runtime must be loaded before anything else allocates). LeakSanitizer runs at every process exit;
// lsan.supp silences Node's own exit-time allocations only (see the reasons there).
// Usage: node tests/asan/run.js [--no-build] [jest args...]   (default jest args: tests/unit tests/gpr)
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');
const buildOut = path.join(root, 'native', 'build-asan');
const argv = process.argv.slice(2);
const noBuild = argv.includes('--no-build');
const jestArgs = argv.filter((a) => a !== '--no-build');

function fail(msg) {
  console.error(`test:asan: ${msg}`);
  process.exit(2);
}

if (!noBuild) {
  // cmake-js builds with the system c++ (g++), so the runtime to preload is gcc's libasan.
  const cmakeJs = path.join(root, 'node_modules', '.bin', 'cmake-js');
  const b = spawnSync(cmakeJs, ['compile', '-d', 'native', '--out', 'native/build-asan', '--CDLEAKPROOF_SANITIZE=ON'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) fail('the sanitizer build failed');
}
const addonDir = path.join(buildOut, 'Release');
if (!fs.existsSync(path.join(addonDir, 'leakproof.node'))) fail(`${addonDir}/leakproof.node is missing (run without --no-build)`);

// The compiler that built the addon decides which runtime matches (CMakeCache records it).
const cache = fs.readFileSync(path.join(buildOut, 'CMakeCache.txt'), 'utf8');
const cxx = (cache.match(/^CMAKE_CXX_COMPILER:\w+=(.*)$/m) || [])[1] || 'c++';
const isClang = /clang/.test(path.basename(cxx));
const lib = spawnSync(cxx, isClang ? ['-print-file-name=libclang_rt.asan-x86_64.so'] : ['-print-file-name=libasan.so'], { encoding: 'utf8' }).stdout.trim();
if (!lib || !fs.existsSync(lib)) fail(`cannot find the ASan runtime of ${cxx} (got '${lib}')`);

const env = {
  ...process.env,
  LD_PRELOAD: lib,
  LEAKPROOF_NATIVE_DIR: addonDir,
  LEAKPROOF_SANITIZED: '1',
  // handle_segv=0: Node installs its own SIGSEGV handler (WebAssembly traps); ASan must not replace it.
  // allocator_may_return_null=1: a refused huge allocation becomes a bad_alloc the codec turns into GPR_E_LIMIT.
  ASAN_OPTIONS: ['detect_leaks=1', 'handle_segv=0', 'allocator_may_return_null=1', 'abort_on_error=0', 'halt_on_error=1',
    'detect_odr_violation=2', process.env.ASAN_OPTIONS].filter(Boolean).join(':'),
  LSAN_OPTIONS: [`suppressions=${path.join(__dirname, 'lsan.supp')}`, 'print_suppressions=1', process.env.LSAN_OPTIONS].filter(Boolean).join(':'),
  UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
};
const args = [path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--runInBand', ...(jestArgs.length ? jestArgs : ['tests/unit', 'tests/gpr'])];
console.log(`test:asan: LD_PRELOAD=${lib} LEAKPROOF_NATIVE_DIR=${path.relative(root, addonDir)} node ${args.map((a) => path.relative(root, a) || a).join(' ')}`);
const r = spawnSync(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
if (r.status !== 0) console.error(`test:asan: FAILED (exit ${r.status}${r.signal ? `, signal ${r.signal}` : ''})`);
process.exit(r.status ?? 1);
