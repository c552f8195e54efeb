// Packs the repo once per state of its packed inputs and shares the tarball between suites and workers (a cached path).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startLockfileRegistry } from './lockfileRegistry';

export const repoRoot = path.resolve(__dirname, '..', '..');

export interface PackedTarball {
  tarball: string;
  /** Paths inside the package, as `npm pack --json` lists them. */
  files: string[];
  /** Bytes of the .tgz and of its contents. */
  size: number;
  unpackedSize: number;
}

/** Environment for child npm/jest: ours minus anything that would leak the outer run's npm or Jest state or flags into theirs. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // NODE_CHANNEL_FD would hand our worker's IPC channel to the child, making an in-band run look like a worker.
    if (/^npm_/i.test(k) || /^NODE_(OPTIONS|CHANNEL_|UNIQUE_ID)/.test(k) || k.startsWith('JEST_') || k === 'INIT_CWD')
      continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

export interface RunResult {
  pid: number | undefined;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command without blocking the event loop (so Jest's own timeout can still fire) and collects its output. */
export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ pid: child.pid, code, stdout, stderr }));
  });
}

export function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}

/** Size and mtime of every file under the packed inputs: a cheap key that changes whenever the tarball would. */
function inputsKey(): string {
  const h = createHash('sha256');
  const visit = (p: string): void => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) visit(path.join(p, name));
    } else {
      h.update(`${path.relative(repoRoot, p)}:${st.size}:${st.mtimeMs}\n`);
    }
  };
  for (const p of [
    'package.json',
    'README.md',
    'jest-preset.js',
    'bin',
    'dist',
    'scripts',
    'native/binding',
    'native/gpr',
    'native/probe',
    'native/CMakeLists.txt',
    'native/build/Release/leakproof.node',
  ]) {
    visit(path.join(repoRoot, p));
  }
  return h.digest('hex').slice(0, 16);
}

let inProcess: Promise<PackedTarball> | undefined;

/**
 * The tarball `npm pack` makes, prebuild included: `scripts/prebuild.js` (the prepack step, run here explicitly) then
 * `npm pack --ignore-scripts` (prepare would rebuild dist/, which npm test has just done). Cached under the OS temp dir
 * by a key of the inputs, so the suites of one run (and later runs on unchanged inputs) pack once.
 */
export function packedTarball(): Promise<PackedTarball> {
  inProcess ??= pack();
  return inProcess;
}

async function pack(): Promise<PackedTarball> {
  const distIndex = path.join(repoRoot, 'dist', 'src', 'index.js');
  if (!fs.existsSync(distIndex))
    throw new Error(`${distIndex} is missing: run \`npm run build\` first (npm test does).`);
  const cacheRoot = path.join(os.tmpdir(), 'leakproof-pack');
  const done = path.join(cacheRoot, inputsKey());
  const manifest = path.join(done, 'pack.json');
  if (fs.existsSync(manifest)) return JSON.parse(fs.readFileSync(manifest, 'utf8')) as PackedTarball;
  fs.mkdirSync(cacheRoot, { recursive: true });
  const staging = fs.mkdtempSync(path.join(cacheRoot, 'staging-'));
  const prebuild = await run(process.execPath, [path.join(repoRoot, 'scripts', 'prebuild.js')], repoRoot, cleanEnv());
  if (prebuild.code !== 0) throw new Error(`scripts/prebuild.js failed (${prebuild.code}):\n${tail(prebuild.stderr)}`);
  const res = await run(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', staging],
    repoRoot,
    cleanEnv(),
  );
  if (res.code !== 0) throw new Error(`npm pack failed (${res.code}):\n${tail(res.stderr)}`);
  const packed = JSON.parse(res.stdout.slice(res.stdout.indexOf('['))) as {
    filename: string;
    size: number;
    unpackedSize: number;
    files: { path: string }[];
  }[];
  const name = path.basename(packed[0].filename);
  const result: PackedTarball = {
    tarball: path.join(done, name),
    files: packed[0].files.map((f) => f.path),
    size: packed[0].size,
    unpackedSize: packed[0].unpackedSize,
  };
  fs.writeFileSync(path.join(staging, 'pack.json'), JSON.stringify(result));
  try {
    fs.renameSync(staging, done);
  } catch {
    // Another worker finished the same pack first: use its copy.
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return JSON.parse(fs.readFileSync(manifest, 'utf8')) as PackedTarball;
}

/** The package whose dependencies put the consumers' packages in package-lock.json (docs/install.md). */
export const consumerDepsDir = path.join(repoRoot, 'tests', 'integration', 'fixtures', 'consumer-deps');

/**
 * The exact version of `name` the consumer projects install (Jest 29.7, ts-jest, typescript, vitest, ...), as
 * tests/integration/fixtures/consumer-deps/package.json pins it: the one list to bump, so the lockfile and the tests
 * cannot drift apart.
 */
export function consumerVersion(name: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(consumerDepsDir, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const version = pkg.dependencies[name];
  if (!version) throw new Error(`${name} is not a dependency of ${path.relative(repoRoot, consumerDepsDir)}`);
  return version;
}

/** The version of `name` in this repo's own node_modules/ as package-lock.json locks it (the repo's Jest 30, say). */
export function lockedVersion(name: string): string {
  const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  const version = lock.packages[`node_modules/${name}`]?.version;
  if (!version) throw new Error(`node_modules/${name} is not in package-lock.json`);
  return version;
}

export interface ConsumerInstall extends RunResult {
  /** True when the install made no request beyond the lockfile registry (see tests/helpers/lockfileRegistry.ts). */
  offline: boolean;
  /** What the lockfile registry could not serve, named: empty on success. */
  misses: string[];
}

/**
 * `npm install --ignore-scripts` of a consumer project (no lockfile of its own) against the lockfile registry: npm
 * resolves the consumer's ranges over the versions in this repo's package-lock.json and reads every tarball from the
 * npm cache that `npm ci` of this repo filled, so no request leaves 127.0.0.1. The cache is the outer run's
 * (`npm_config_cache` when set, as under `npm test` or a test with a throwaway cache; npm's default otherwise).
 *
 * When something is missing (a package or version not in package-lock.json, or a tarball not in the cache), the
 * result names it. Under CI=true that is the end: the install fails with the names. Elsewhere it says so on stderr and
 * repeats with `--prefer-offline` against the configured registry (network for what is missing), so a developer who
 * added a consumer dependency sees the tests run, and how to make them offline again.
 */
export async function installConsumer(consumer: string): Promise<ConsumerInstall> {
  const args = ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-update-notifier'];
  if (process.env.npm_config_cache) args.push(`--cache=${process.env.npm_config_cache}`);
  const registry = await startLockfileRegistry(path.join(repoRoot, 'package-lock.json'));
  let local: RunResult;
  try {
    local = await run('npm', [...args, `--registry=${registry.url}`], consumer, cleanEnv());
  } finally {
    await registry.close();
  }
  if (local.code === 0) return { ...local, offline: true, misses: [] };
  // What npm asked for and did not get: tarballs (the cache lacks them), packages its error names (optional peers are
  // asked for too, and their 404 is harmless), and a version the lockfile lacks (npm's ETARGET names it).
  const output = `${local.stdout}\n${local.stderr}`;
  const errors = output
    .split('\n')
    .filter((l) => l.startsWith('npm error'))
    .join('\n');
  const misses = [
    ...new Set([
      ...registry.misses
        .filter((m) => m.kind === 'tarball' || errors.includes(m.spec) || errors.includes(m.spec.replace('/', '%2f')))
        .map((m) =>
          m.kind === 'package' ? `${m.spec} (not in package-lock.json)` : `${m.spec} (tarball not in the npm cache)`,
        ),
      ...[...errors.matchAll(/No matching version found for (\S+?)\.?(?:\s|$)/g)].map(
        (m) => `${m[1]} (version not in package-lock.json)`,
      ),
    ]),
  ];
  const named = misses.length ? misses.join(', ') : 'nothing the registry was asked for (see npm output)';
  const fix =
    'add the missing package to tests/integration/fixtures/consumer-deps/package.json and run `npm install` ' +
    '(a package) or run `npm ci` (a tarball); docs/install.md, "The offline consumer matrix"';
  const note = `leakproof tests: the offline install of ${path.basename(consumer)} failed; missing: ${named}; ${fix}`;
  if (process.env.CI === 'true' || !misses.length)
    return { ...local, stderr: `${local.stderr}\n${note}\n`, offline: true, misses };
  process.stderr.write(
    `${note}\nleakproof tests: installing ${path.basename(consumer)} with --prefer-offline (network)\n`,
  );
  const online = await run('npm', [...args, '--prefer-offline'], consumer, cleanEnv());
  return { ...online, stderr: `${online.stderr}\n${note}\n`, offline: false, misses };
}
