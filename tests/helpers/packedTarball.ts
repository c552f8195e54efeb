// Packs the repo once per state of its packed inputs and shares the tarball between suites and workers (a cached path).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

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

/**
 * `npm install --ignore-scripts` of a consumer project, from the npm cache only (`--offline`): no registry request, so
 * the run cannot pick up other versions than the cache holds. Only when the cache lacks something (ENOTCACHED: a
 * machine that never installed these versions; `npm ci` of this repo caches tarballs, not the registry documents a
 * consumer without a lockfile resolves from) does it repeat with `--prefer-offline`, and says so on stderr.
 */
export async function installConsumer(consumer: string): Promise<RunResult & { offline: boolean }> {
  const args = ['install', '--ignore-scripts', '--no-audit', '--no-fund'];
  const offline = await run('npm', [...args, '--offline'], consumer, cleanEnv());
  if (offline.code === 0 || !/ENOTCACHED/.test(offline.stderr + offline.stdout)) return { ...offline, offline: true };
  const missing = /request to (\S+) failed/.exec(offline.stderr)?.[1] ?? 'a package';
  process.stderr.write(
    `leakproof tests: the npm cache lacks ${missing}; installing ${path.basename(consumer)} with --prefer-offline (network for what is missing)\n`,
  );
  return { ...(await run('npm', [...args, '--prefer-offline'], consumer, cleanEnv())), offline: false };
}
