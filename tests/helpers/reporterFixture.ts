// Runs real Jest on the reporter's fixture projects (tests/integration/fixtures/reporter-*) and reads what they wrote.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LeakReport } from '../../reporter/LeakReport';

export const REPO = path.resolve(__dirname, '../..');
const FIXTURES = path.join(REPO, 'tests', 'integration', 'fixtures');
const JEST = path.join(REPO, 'node_modules', '.bin', 'jest');

/** The compiled pieces a fixture run loads; without them the run would prove nothing. */
export function assertBuilt(): void {
  const needed = [
    'dist/reporter/index.js',
    'dist/src/jest/runner.js',
    'dist/src/jest/environment.js',
    'dist/matchers/setup.js',
    'jest-preset.js',
  ];
  const missing = needed.filter((p) => !fs.existsSync(path.join(REPO, p)));
  if (missing.length > 0)
    throw new Error(`reporter integration tests need a build (npm run build); missing: ${missing.join(', ')}`);
}

export interface FixtureRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Pid of the Jest main process. */
  pid: number;
  /** Report folder the fixture's reporter wrote to. */
  out: string;
  /** Pid of the process that ran each test file (by base name). */
  filePids: Record<string, number>;
}

/** Runs Jest on fixture `name` with `args`; every run gets its own report folder, cache and pid folder under `work`. */
export function runFixture(
  name: 'reporter-leaky' | 'reporter-clean' | 'reporter-crash',
  args: string[],
  work: string,
  label: string,
  outDir?: string,
): Promise<FixtureRun> {
  const root = path.join(FIXTURES, name);
  const out = outDir ?? path.join(work, label, 'leak-report');
  const pids = path.join(work, label, 'pids');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LEAKPROOF_FIXTURE_OUT: out,
    LEAKPROOF_FIXTURE_CACHE: path.join(work, label, 'cache'),
    LEAKPROOF_FIXTURE_PIDS: pids,
    NO_COLOR: '1',
  };
  // Nothing from this (outer) Jest run may leak into the inner one.
  for (const k of ['LEAKPROOF_RECORDS_DIR', 'FORCE_COLOR', 'JEST_WORKER_ID', 'GITHUB_ACTIONS', 'GITHUB_STEP_SUMMARY'])
    delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [JEST, '--config', path.join(root, 'jest.config.js'), '--rootDir', root, '--ci', ...args],
      { cwd: REPO, env },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const filePids: Record<string, number> = {};
      if (fs.existsSync(pids))
        for (const f of fs.readdirSync(pids))
          filePids[f.replace(/\.pid$/, '')] = Number(fs.readFileSync(path.join(pids, f), 'utf8'));
      resolve({ code, stdout, stderr, pid: child.pid ?? -1, out, filePids });
    });
  });
}

export function readJsonReport(file: string): LeakReport {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as LeakReport;
}

/** 1-based line of the first `toLeakMemory(` call after the line that names `testName` in a fixture file. */
export function assertionLine(fixture: string, file: string, testName: string): number {
  const lines = fs.readFileSync(path.join(FIXTURES, fixture, file), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.includes(`'${testName}'`));
  if (start < 0) throw new Error(`${testName} not found in ${file}`);
  const at = lines.findIndex((l, i) => i >= start && l.includes('toLeakMemory('));
  return at + 1;
}

export function jestVersion(): string {
  return (
    JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', 'jest', 'package.json'), 'utf8')) as { version: string }
  ).version;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `leakproof` CLI (bin/leakproof.js). */
export function runCli(args: string[]): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const k of ['FORCE_COLOR', 'GITHUB_ACTIONS', 'GITHUB_STEP_SUMMARY']) delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO, 'bin', 'leakproof.js'), ...args], { cwd: REPO, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
