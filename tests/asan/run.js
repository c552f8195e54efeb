#!/usr/bin/env node
// npm run test:asan: builds the addon with AddressSanitizer + UBSan (native/build-asan) and runs the unit and
// GPR Jest suites against it, with the ASan runtime preloaded into node (node itself is not instrumented, so
// the runtime must be loaded before anything else allocates). LeakSanitizer runs at every process exit;
// lsan.supp silences Node's own exit-time allocations only (see the reasons there).
// Usage: node tests/asan/run.js [--no-build] [--ci] [jest args...]   (default jest args: tests/unit tests/gpr)
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');
const buildOut = path.join(root, 'native', 'build-asan');
const argv = process.argv.slice(2);
const noBuild = argv.includes('--no-build');
const ciSubset = argv.includes('--ci');
const jestArgs = argv.filter((a) => a !== '--no-build' && a !== '--ci');

// Tests that cannot hold under ASan, by test name, each for a reason that is about the sanitizer, not the code:
// ASan replaces malloc, so glibc's mallinfo2 (the engine's `native` metric) no longer sees C allocations.
const ASAN_INCOMPATIBLE = [
  'every metric reads as a plausible number on this Linux build', // expects mallinfo2 arena bytes > 100 kB
  'native heap grows by what C code mallocs', // expects mallinfo2 to grow with malloc
  'native malloc that is never freed', // runMemoryStressTest detecting a malloc leak through mallinfo2
];
const escape = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const skipPattern = `^(?!.*(?:${ASAN_INCOMPATIBLE.map(escape).join('|')})).*`;
// --ci (the test:hardening smoke): the suites that run native code, i.e. the codec (tests/gpr) and the engine
// with its native probe (tests/unit/engine); `npm run test:asan` runs every unit and GPR suite.
const defaultPaths = ciSubset ? ['tests/gpr', 'tests/unit/engine'] : ['tests/unit', 'tests/gpr'];

function fail(msg) {
  console.error(`test:asan: ${msg}`);
  process.exit(2);
}

if (!noBuild) {
  // cmake-js builds with the system c++ (g++), so the runtime to preload is gcc's libasan.
  const cmakeJs = path.join(root, 'node_modules', '.bin', 'cmake-js');
  const b = spawnSync(cmakeJs, ['compile', '-d', 'native', '--out', 'native/build-asan', '--CDLEAKPROOF_SANITIZE=ON'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (b.status !== 0) fail('the sanitizer build failed');
}
const addonDir = path.join(buildOut, 'Release');
if (!fs.existsSync(path.join(addonDir, 'leakproof.node')))
  fail(`${addonDir}/leakproof.node is missing (run without --no-build)`);

// The compiler that built the addon decides which runtime matches (CMakeCache records it).
const cache = fs.readFileSync(path.join(buildOut, 'CMakeCache.txt'), 'utf8');
const cxx = (cache.match(/^CMAKE_CXX_COMPILER:\w+=(.*)$/m) || [])[1] || 'c++';
const isClang = /clang/.test(path.basename(cxx));
const lib = spawnSync(
  cxx,
  isClang ? ['-print-file-name=libclang_rt.asan-x86_64.so'] : ['-print-file-name=libasan.so'],
  { encoding: 'utf8' },
).stdout.trim();
if (!lib || !fs.existsSync(lib)) fail(`cannot find the ASan runtime of ${cxx} (got '${lib}')`);

const env = {
  ...process.env,
  LD_PRELOAD: lib,
  LEAKPROOF_NATIVE_DIR: addonDir,
  LEAKPROOF_SANITIZED: '1',
  // handle_segv=0: Node installs its own SIGSEGV handler (WebAssembly traps); ASan must not replace it.
  // allocator_may_return_null=1: a refused huge allocation becomes a bad_alloc the codec turns into GPR_E_LIMIT.
  ASAN_OPTIONS: [
    'detect_leaks=1',
    'handle_segv=0',
    'allocator_may_return_null=1',
    'abort_on_error=0',
    'halt_on_error=1',
    'detect_odr_violation=2',
    process.env.ASAN_OPTIONS,
  ]
    .filter(Boolean)
    .join(':'),
  LSAN_OPTIONS: [`suppressions=${path.join(__dirname, 'lsan.supp')}`, 'print_suppressions=1', process.env.LSAN_OPTIONS]
    .filter(Boolean)
    .join(':'),
  UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
};
// In CI both cores are ours: two Jest workers (each preloads the runtime too). On a shared machine: in band.
const workers = process.env.CI === 'true' ? ['--maxWorkers=2'] : ['--runInBand'];
const args = [
  path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'),
  ...workers,
  '-t',
  skipPattern,
  ...(jestArgs.length ? jestArgs : defaultPaths),
];
console.log(
  `test:asan: LD_PRELOAD=${lib} LEAKPROOF_NATIVE_DIR=${path.relative(root, addonDir)} node ${args.map((a) => (path.isAbsolute(a) ? path.relative(root, a) : a)).join(' ')}`,
);
console.log(`test:asan: skipped under ASan (mallinfo2 is blind to ASan's allocator): ${ASAN_INCOMPATIBLE.join('; ')}`);
const r = spawnSync(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
if (r.status !== 0) console.error(`test:asan: FAILED (exit ${r.status}${r.signal ? `, signal ${r.signal}` : ''})`);
process.exit(r.status ?? 1);
