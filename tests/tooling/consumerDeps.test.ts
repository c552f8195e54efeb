// The offline consumer matrix's ground (docs/install.md, "The offline consumer matrix"): the consumers' pinned packages
// are in package-lock.json, the repo's own `jest` bin stays its Jest 30, and the lockfile registry serves what the
// lockfile holds and names what it lacks (CI=true: the install fails with that name, no network fallback).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startLockfileRegistry } from '../helpers/lockfileRegistry';
import { consumerDepsDir, installConsumer, lockedVersion, repoRoot } from '../helpers/packedTarball';

interface Lock {
  packages: Record<string, { version?: string; integrity?: string; name?: string }>;
}
const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as Lock;
const deps = (
  JSON.parse(fs.readFileSync(path.join(consumerDepsDir, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  }
).dependencies;
const depsLocation = path.relative(repoRoot, consumerDepsDir);

test('consumer-deps pins exact versions, each locked at that version in package-lock.json', () => {
  expect(Object.keys(deps).length).toBeGreaterThan(0);
  for (const [name, version] of Object.entries(deps)) {
    expect(`${name}@${version}`).toMatch(/@\d+\.\d+\.\d+$/);
    // Where npm placed it: under consumer-deps when the repo has another version at the top, else hoisted.
    const entry = lock.packages[`${depsLocation}/node_modules/${name}`] ?? lock.packages[`node_modules/${name}`];
    expect({ name, version: entry?.version, integrity: typeof entry?.integrity }).toEqual({
      name,
      version,
      integrity: 'string',
    });
  }
  expect(lock.packages[''] as { devDependencies?: Record<string, string> }).toMatchObject({
    devDependencies: { 'leakproof-consumer-deps': `file:${depsLocation}` },
  });
});

test("the repo's own jest bin is its Jest 30, not the consumers' Jest 29", () => {
  const bin = fs.realpathSync(path.join(repoRoot, 'node_modules', '.bin', 'jest'));
  expect(path.relative(repoRoot, bin)).toBe(path.join('node_modules', 'jest', 'bin', 'jest.js'));
  expect(lockedVersion('jest')).toMatch(/^30\./);
  expect(deps.jest).toMatch(/^29\./);
});

test('the lockfile registry serves the locked versions and names what the lockfile lacks', async () => {
  const registry = await startLockfileRegistry(path.join(repoRoot, 'package-lock.json'));
  try {
    const jest = (await (await fetch(`${registry.url}jest`)).json()) as {
      versions: Record<string, { dist: { integrity: string; tarball: string } }>;
    };
    expect(Object.keys(jest.versions)).toEqual(expect.arrayContaining([deps.jest, lockedVersion('jest')]));
    expect(jest.versions[deps.jest].dist.tarball.startsWith(registry.url)).toBe(true);
    const scoped = await fetch(`${registry.url}@types%2fjest`);
    expect(scoped.status).toBe(200);
    expect((await fetch(`${registry.url}leakproof-no-such-package`)).status).toBe(404);
    expect((await fetch(`${registry.url}-/tarball/jest/${deps.jest}.tgz`)).status).toBe(404);
    expect(registry.misses).toEqual([
      { kind: 'package', spec: 'leakproof-no-such-package' },
      { kind: 'tarball', spec: `jest@${deps.jest}` },
    ]);
  } finally {
    await registry.close();
  }
});

test('under CI=true a consumer install that needs the network fails, naming the missing package', async () => {
  const consumer = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-consumer-miss-'));
  const ci = process.env.CI;
  process.env.CI = 'true';
  try {
    fs.writeFileSync(
      path.join(consumer, 'package.json'),
      JSON.stringify({ name: 'miss', private: true, devDependencies: { 'leakproof-no-such-package': '1.0.0' } }),
    );
    const install = await installConsumer(consumer);
    expect(install.code).not.toBe(0);
    expect(install.misses).toEqual(['leakproof-no-such-package (not in package-lock.json)']);
    expect(install.stderr).toMatch(/offline install of leakproof-consumer-miss-\w+ failed; missing: leakproof-no-such/);
  } finally {
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
    fs.rmSync(consumer, { recursive: true, force: true });
  }
}, 120_000);
