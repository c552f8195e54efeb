#!/usr/bin/env node
// prepack: puts the compiled addon into prebuilds/<platform>-<arch>[-glibc|-musl]/leakproof.node for the tarball,
// after an (incremental, ~1 s when up to date) cmake-js build of native/build. Only the addon ships: never the test-only
// leakproof_testing.node, nor any build tree.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const built = path.join(root, 'native', 'build', 'Release', 'leakproof.node');

function tag() {
  if (process.platform !== 'linux') return `${process.platform}-${process.arch}`;
  const glibc = process.report.getReport().header.glibcVersionRuntime;
  return `${process.platform}-${process.arch}-${glibc ? 'glibc' : 'musl'}`;
}

const cmakeJs = require.resolve('cmake-js/bin/cmake-js', { paths: [root] });
const r = spawnSync(process.execPath, [cmakeJs, 'compile', '-d', 'native', '--out', 'native/build'], {
  cwd: root,
  stdio: ['ignore', 2, 2],
});
if (r.status !== 0 || !fs.existsSync(built)) {
  console.error(`prebuild: the native build failed (exit ${r.status}); nothing to put in prebuilds/`);
  process.exit(r.status || 1);
}
const prebuilds = path.join(root, 'prebuilds');
fs.rmSync(prebuilds, { recursive: true, force: true });
const dir = path.join(prebuilds, tag());
fs.mkdirSync(dir, { recursive: true });
fs.copyFileSync(built, path.join(dir, 'leakproof.node'));
console.error(
  `prebuild: ${path.relative(root, built)} -> ${path.relative(root, path.join(dir, 'leakproof.node'))} (${fs.statSync(built).size} bytes)`,
);
