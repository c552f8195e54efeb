// The injection proof for native sites: with the test-only injection addon (native/build-inject, LEAKPROOF_INJECT_LEAK=ON)
// every GPR binding entry point leaks a malloc in native/binding/leak_injection.cc; the top native site of each failing
// case must be that malloc line.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, expect, test } from '@jest/globals';

const repoRoot = path.resolve(__dirname, '..', '..');
const injectDir = path.join(repoRoot, 'native', 'build-inject', 'Release');
const injectionSource = fs
  .readFileSync(path.join(repoRoot, 'native', 'binding', 'leak_injection.cc'), 'utf8')
  .split('\n');
const mallocLine = injectionSource.findIndex((l) => /void\* block = std::malloc\(n\);/.test(l)) + 1;

/** Newest modification time of the sources the addon is built from (the tracker included). */
function newestSource(): number {
  let newest = fs.statSync(path.join(repoRoot, 'native', 'CMakeLists.txt')).mtimeMs;
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(cc|h)$/.test(e.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  for (const d of ['binding', 'gpr', 'probe', 'tracker']) walk(path.join(repoRoot, 'native', d));
  return newest;
}

beforeAll(() => {
  const addon = path.join(injectDir, 'leakproof.node');
  if (fs.existsSync(addon) && fs.statSync(addon).mtimeMs >= newestSource()) return;
  const b = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build:native:inject'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (b.status !== 0)
    throw new Error(
      `building the injection addon failed:\n${(b.stdout ?? '').slice(-3000)}\n${(b.stderr ?? '').slice(-3000)}`,
    );
}, 900_000);

(process.platform === 'linux' ? test : test.skip)(
  'every injected codec leak names leak_injection.cc at its malloc line',
  () => {
    expect(mallocLine).toBeGreaterThan(0);
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|JEST_|NODE_OPTIONS)/.test(k)) env[k] = v;
    const r = spawnSync(
      process.execPath,
      ['--expose-gc', path.join(__dirname, 'fixtures', 'native-sites', 'injected.js')],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        env: { ...env, LEAKPROOF_NATIVE_DIR: injectDir, LEAKPROOF_INJECT_LEAK_BYTES: '8192' },
        timeout: 120_000,
      },
    );
    const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('SITES '));
    if (!line) throw new Error(`no SITES line (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    const out = JSON.parse(line.slice(6)) as Record<
      string,
      {
        leak: boolean;
        error?: string;
        sites: { functionName: string; file: string; line: number; bytesPerIteration: number }[];
      }
    >;
    for (const [name, c] of Object.entries(out)) {
      expect({ name, leak: c.leak, error: c.error }).toEqual({ name, leak: true, error: undefined });
      expect({ name, top: c.sites[0] && `${c.sites[0].functionName} (${c.sites[0].file}:${c.sites[0].line})` }).toEqual(
        {
          name,
          top: `leakproof::binding::InjectLeak (native/binding/leak_injection.cc:${mallocLine})`,
        },
      );
      // One entry point per call, 8 KiB each: the Poisson estimate is far inside a factor of two.
      expect(c.sites[0].bytesPerIteration).toBeGreaterThan(4096);
      expect(c.sites[0].bytesPerIteration).toBeLessThan(16384);
    }
  },
  180_000,
);
