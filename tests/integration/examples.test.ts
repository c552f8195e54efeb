// Every example in examples/ runs: the user project's Jest suite through the leakproof preset (mapped to this working
// copy instead of an installed package), the pre-commit hook inside a scratch git repository, and a structure check
// of the CI workflow example.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..');
const examples = path.join(repoRoot, 'examples');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      /^npm_/i.test(k) ||
      /^NODE_(OPTIONS|CHANNEL_|UNIQUE_ID)/.test(k) ||
      k.startsWith('JEST_') ||
      k.startsWith('GIT_')
    )
      continue;
    env[k] = v;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv()): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('examples/user-project', () => {
  const project = path.join(examples, 'user-project');

  test('declares the leakproof preset and nothing else in its Jest config', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8')) as {
      jest: unknown;
      devDependencies: Record<string, string>;
    };
    expect(pkg.jest).toEqual({ preset: 'leakproof' });
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(['jest', 'leakproof']);
  });

  test('its JS and native tests run through the preset: verdicts, native metric, report files', async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-example-'));
    // What `"preset": "leakproof"` resolves to once installed: the package's jest-preset.js, and its `leakproof/gpr`
    // export. Here both point into this working copy; only the report folder is moved out of the example.
    const config = {
      rootDir: project,
      preset: path.join(repoRoot, 'jest-preset.js'),
      moduleNameMapper: {
        '^leakproof/gpr$': path.join(repoRoot, 'dist', 'src', 'gpr', 'index.js'),
        '^leakproof$': path.join(repoRoot, 'dist', 'src', 'index.js'),
      },
      reporters: ['default', [path.join(repoRoot, 'dist', 'reporter', 'index.js'), { outputDir: outDir }]],
    };
    const jest = path.join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js');
    const r = await run(process.execPath, [jest, '--ci', '--config', JSON.stringify(config)], project);
    try {
      expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr.slice(-3000) }).toEqual({ code: 0, stderr: '' });
      expect(r.stderr).toMatch(/Tests:\s+6 passed, 6 total/);
      expect(r.stdout + r.stderr).toMatch(/heap growth per toLeakMemory assertion/);
      const report = JSON.parse(fs.readFileSync(path.join(outDir, 'leak-report.json'), 'utf8')) as {
        files: {
          path: string;
          records: {
            testName: string;
            negated: boolean;
            pass: boolean;
            leak: boolean;
            metrics: { metric: string }[];
          }[];
        }[];
      };
      const records = report.files.flatMap((f) => f.records);
      const byName = (part: string) => {
        const rec = records.find((x) => x.testName.includes(part));
        if (!rec) throw new Error(`no record for "${part}" among ${records.map((x) => x.testName).join(' | ')}`);
        return rec;
      };
      expect(records).toHaveLength(4);
      expect(byName('bounded LRU')).toMatchObject({ negated: true, pass: true, leak: false });
      expect(byName('memoizing every distinct argument')).toMatchObject({ negated: false, pass: true, leak: true });
      const preview = byName('making previews');
      expect(preview).toMatchObject({ negated: true, pass: true, leak: false });
      expect(preview.metrics.map((m) => m.metric)).toContain('native');
      expect(byName('async JPEG conversion')).toMatchObject({ pass: true, leak: false });
      for (const f of ['leak-report.html', 'leak-report.junit.xml', 'leak-report.md'])
        expect(fs.existsSync(path.join(outDir, f))).toBe(true);
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  }, 300_000);
});

describe('examples/pre-commit', () => {
  const hook = path.join(examples, 'pre-commit', 'pre-commit');
  let repo: string;
  const git = (args: string[], extra: Record<string, string> = {}): Promise<Run> =>
    run(
      'git',
      [
        '-c',
        'user.name=Leak Proof',
        '-c',
        'user.email=leakproof@example.invalid',
        '-c',
        'commit.gpgsign=false',
        ...args,
      ],
      repo,
      cleanEnv({
        LEAKPROOF: `${process.execPath} ${path.join(repoRoot, 'bin', 'leakproof.js')}`,
        ...extra,
      }),
    );
  const commits = async (): Promise<number> => {
    const r = await git(['rev-list', '--count', 'HEAD']);
    return r.code === 0 ? Number(r.stdout.trim()) : 0;
  };

  beforeAll(async () => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-hook-'));
    expect((await git(['init', '-q'])).code).toBe(0);
    fs.copyFileSync(hook, path.join(repo, '.git', 'hooks', 'pre-commit'));
    fs.chmodSync(path.join(repo, '.git', 'hooks', 'pre-commit'), 0o755);
    fs.copyFileSync(path.join(__dirname, 'fixtures', 'check', 'leaky.js'), path.join(repo, 'lib.js'));
  });
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

  test('is an executable POSIX shell script', () => {
    expect(fs.readFileSync(hook, 'utf8').startsWith('#!/bin/sh\n')).toBe(true);
    expect(fs.statSync(hook).mode & 0o111).not.toBe(0);
  });

  test('a clean function (listed in .leakproof-check) lets the commit through', async () => {
    fs.writeFileSync(path.join(repo, '.leakproof-check'), '# functions the hook checks\nlib.js#clean\n');
    await git(['add', '-A']);
    const r = await git(['commit', '-q', '-m', 'clean']);
    expect({ code: r.code, err: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, err: '' });
    // Git hands a hook's stdout to its own stderr.
    expect(r.stderr).toMatch(/leakproof: checking lib\.js#clean/);
    expect(r.stderr).toMatch(/1 check\(s\), 0 leak\(s\)/);
    expect(await commits()).toBe(1);
  }, 120_000);

  test('a leaking function blocks the commit with exit 1', async () => {
    fs.writeFileSync(path.join(repo, 'change.txt'), 'x\n');
    await git(['add', '-A']);
    const r = await git(['commit', '-q', '-m', 'leaky'], { LEAKPROOF_CHECK_TARGETS: 'lib.js#clean lib.js#leak' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/lib\.js#leak\s*│\s*LEAK/);
    expect(r.stderr).toMatch(/memory leak found - commit blocked/);
    expect(await commits()).toBe(1);
  }, 120_000);

  test('a target that cannot be checked blocks the commit with "could not run"', async () => {
    const r = await git(['commit', '-q', '-m', 'broken'], { LEAKPROOF_CHECK_TARGETS: 'lib.js#missingExport' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/export "missingExport" is missing/);
    expect(r.stderr).toMatch(/could not run \(exit 2\) - commit blocked/);
    expect(await commits()).toBe(1);
  }, 60_000);
});

describe('examples/ci/github-actions.yml', () => {
  const file = path.join(examples, 'ci', 'github-actions.yml');

  test('shards the tests over a matrix, merges the shard reports, uploads them and writes the job summary', () => {
    const yml = fs.readFileSync(file, 'utf8');
    expect(yml).not.toMatch(/\t/); // YAML forbids tabs for indentation
    const shards = /SHARDS:\s*(\d+)/.exec(yml);
    expect(shards).not.toBeNull();
    const matrix = /shard:\s*\[([\d,\s]+)\]/.exec(yml);
    expect(matrix).not.toBeNull();
    const listed = matrix![1].split(',').map((s) => Number(s.trim()));
    expect(listed).toEqual(Array.from({ length: Number(shards![1]) }, (_, i) => i + 1));
    expect(yml).toMatch(/--shard=\$\{\{ matrix\.shard \}\}\/\$\{\{ env\.SHARDS \}\}/);
    expect(yml).toMatch(/npx leakproof merge leak-report/);
    expect(yml).toMatch(/actions\/upload-artifact@v\d/);
    expect(yml).toMatch(/actions\/download-artifact@v\d/);
    expect(yml).toMatch(/needs: leaks/);
  });
});
