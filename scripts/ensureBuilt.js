// Jest globalSetup of the project's own tests: rebuilds dist/ when a TypeScript source is newer than its compiled
// output, so the tests that load the built package (child processes, fixtures, the CLI) never run stale code.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const SOURCE_DIRS = ['src', 'matchers', 'reporter'];

function* tsFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* tsFiles(full);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield full;
  }
}

/** The first source (relative path) whose dist/ output is missing or older than it, or undefined. */
function staleSource() {
  for (const top of SOURCE_DIRS) {
    for (const file of tsFiles(path.join(ROOT, top))) {
      const rel = path.relative(ROOT, file);
      const out = path.join(ROOT, 'dist', rel.replace(/\.ts$/, '.js'));
      let outTime;
      try {
        outTime = fs.statSync(out).mtimeMs;
      } catch {
        return rel;
      }
      if (outTime < fs.statSync(file).mtimeMs) return rel;
    }
  }
  return undefined;
}

/** A folder made atomically while one Jest run rebuilds, so runs started together do not write dist/ at once. */
const LOCK = path.join(ROOT, 'dist', '.rebuild-lock');
const LOCK_STALE_MS = 5 * 60 * 1000;

function tryLock() {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  try {
    fs.mkdirSync(LOCK);
    return true;
  } catch {
    // Left behind by a run that was killed while building: take it over.
    try {
      if (Date.now() - fs.statSync(LOCK).mtimeMs > LOCK_STALE_MS) fs.rmSync(LOCK, { recursive: true, force: true });
    } catch {
      // removed meanwhile
    }
    return false;
  }
}

module.exports = async function ensureBuilt() {
  for (;;) {
    const stale = staleSource();
    if (stale === undefined) return;
    if (!tryLock()) {
      // Another run is rebuilding: wait for it, then look again.
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    try {
      process.stderr.write(
        `\nleakproof tests: ${stale} is newer than dist/; rebuilding (tsc -p tsconfig.build.json) ...\n`,
      );
      const tsc = require.resolve('typescript/bin/tsc');
      const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
      // tsc emits despite type errors; those fail `npm run typecheck`, not the tests of the code that was emitted.
      if (r.status !== 0)
        process.stderr.write('leakproof tests: tsc reported type errors (dist/ was emitted anyway)\n');
    } finally {
      fs.rmSync(LOCK, { recursive: true, force: true });
    }
    const still = staleSource();
    if (still !== undefined) throw new Error(`leakproof tests: dist/ is still older than ${still} after rebuilding`);
    return;
  }
};
