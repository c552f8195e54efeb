// Checks (default) or rewrites (--write) the layout of native/'s C++ sources with clang-format and the repository's
// .clang-format. The binary comes from the clang-format npm package, so `npm ci` is all a clone needs.
//   node scripts/clangFormat.js           # exit 1 and list the files that differ
//   node scripts/clangFormat.js --write   # rewrite them in place
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const SKIP = /^(build.*|fuzz\/corpus|fuzz\/regressions)$/;

function sources(dir, rel = '') {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const r = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIP.test(r)) out.push(...sources(path.join(dir, entry.name), r));
    } else if (/\.(cc|h|cpp)$/.test(entry.name)) {
      out.push(path.join(dir, entry.name));
    }
  }
  return out;
}

const write = process.argv.includes('--write');
const files = sources(path.join(root, 'native'));
const binary = require.resolve('clang-format/index.js');
const args = write ? ['-i', '--style=file', ...files] : ['--dry-run', '--Werror', '--style=file', ...files];
const result = spawnSync(process.execPath, [binary, ...args], { cwd: root, encoding: 'utf8' });
if (result.status !== 0) {
  const differing = [...new Set(result.stderr.match(/^[^:\n]+\.(?:cc|h|cpp)(?=:\d+:\d+: )/gm) ?? [])];
  process.stderr.write(
    differing.length > 0
      ? `clang-format: ${differing.length} file(s) differ from .clang-format; run npm run format:\n  ${differing.map((f) => path.relative(root, f)).join('\n  ')}\n`
      : result.stderr || `clang-format exited with ${result.status}\n`,
  );
  process.exit(1);
}
if (!write) process.stdout.write(`clang-format: ${files.length} native sources match .clang-format\n`);
