// A registry on 127.0.0.1 made from the repo's package-lock.json, for the throwaway consumer projects of the tests.
//
// Why: a consumer project has no lockfile, so npm resolves its ranges from registry documents (packuments), and `npm ci`
// of this repo caches tarballs only, never packuments. This server answers each packument request with the versions
// of that package that package-lock.json holds (their dependencies, peers, bins, engines and platforms as the lockfile
// records them, `dist.integrity` as locked). npm then resolves the consumer as it would against the real registry, but
// over those versions only, and reads every tarball from its cache by integrity: the tarballs `npm ci` of this repo put
// there. So the consumer installs make no request beyond this loopback server, on a fresh machine too.
//
// The consumers' own packages (Jest 29.7 and its tree, ts-jest, typescript, vitest, ...) are in package-lock.json
// through the devDependency `leakproof-consumer-deps` (tests/integration/fixtures/consumer-deps): see docs/install.md,
// "The offline consumer matrix".
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

interface LockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  license?: string;
  deprecated?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  libc?: string[];
}

interface Manifest extends Omit<LockEntry, 'resolved' | 'integrity' | 'link'> {
  name: string;
  version: string;
  dist: { tarball: string; integrity: string };
}

/** What the server was asked for and could not serve: the reason a consumer install failed, named. */
export interface RegistryMiss {
  kind: 'package' | 'tarball';
  /** A package name, or `name@version` for a tarball. */
  spec: string;
}

export interface LockfileRegistry {
  /** The registry URL for npm's `--registry`, with a trailing slash. */
  url: string;
  /** Packages not in the lockfile, and tarballs npm asked for (its cache lacked them), in order of request. */
  misses: RegistryMiss[];
  /** How many packuments were served. */
  served: () => number;
  close: () => Promise<void>;
}

/** Every registry package version of a lockfile, by name then version (one entry per version, aliases by real name). */
export function lockfilePool(lockfile: string): Map<string, Map<string, LockEntry>> {
  const lock = JSON.parse(fs.readFileSync(lockfile, 'utf8')) as { packages?: Record<string, LockEntry> };
  const pool = new Map<string, Map<string, LockEntry>>();
  for (const [location, entry] of Object.entries(lock.packages ?? {})) {
    // The root, workspace or file: targets (no node_modules/ in the location), links, and git or file: sources have no
    // registry tarball. (`resolved` is absent under omit-lockfile-registry-resolved, which means the registry.)
    const at = location.lastIndexOf('node_modules/');
    if (at < 0 || entry.link || !entry.version || !entry.integrity) continue;
    if (entry.resolved !== undefined && !/^https?:/.test(entry.resolved)) continue;
    const name = entry.name ?? location.slice(at + 'node_modules/'.length);
    let versions = pool.get(name);
    if (!versions) pool.set(name, (versions = new Map()));
    versions.set(entry.version, entry);
  }
  return pool;
}

function compareVersions(a: string, b: string): number {
  const parse = (v: string): [number[], string] => {
    const [core, pre = ''] = v.split(/-(.*)/s);
    return [core.split('.').map(Number), pre];
  };
  const [ca, pa] = parse(a);
  const [cb, pb] = parse(b);
  for (let i = 0; i < 3; i++) if (ca[i] !== cb[i]) return ca[i] - cb[i];
  if (pa === pb) return 0;
  if (!pa) return 1;
  if (!pb) return -1;
  return pa < pb ? -1 : 1;
}

function manifest(name: string, entry: LockEntry, tarball: string): Manifest {
  const m: Manifest = { name, version: entry.version!, dist: { tarball, integrity: entry.integrity! } };
  for (const key of [
    'license',
    'deprecated',
    'dependencies',
    'optionalDependencies',
    'peerDependencies',
    'peerDependenciesMeta',
    'bin',
    'engines',
    'os',
    'cpu',
    'libc',
  ] as const) {
    if (entry[key] !== undefined) (m as unknown as Record<string, unknown>)[key] = entry[key];
  }
  return m;
}

/**
 * Starts the registry of `lockfile` (the repo's by default) on an ephemeral loopback port. Tarball URLs point back to
 * it and are answered 404: npm reads tarballs from its cache by integrity, so a tarball request means the cache lacks
 * one (it is then listed in `misses`, never fetched from elsewhere). Responses are `no-store`, so npm's cache keeps no
 * packument of a throwaway port.
 */
export async function startLockfileRegistry(
  lockfile = path.resolve(__dirname, '..', '..', 'package-lock.json'),
): Promise<LockfileRegistry> {
  const pool = lockfilePool(lockfile);
  const misses: RegistryMiss[] = [];
  let served = 0;
  let base = '';
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).slice(1);
    const headers = { 'content-type': 'application/json', 'cache-control': 'no-store' };
    const tarball = /^-\/tarball\/(.+)\/([^/]+)\.tgz$/.exec(pathname);
    if (tarball) {
      misses.push({ kind: 'tarball', spec: `${tarball[1]}@${tarball[2]}` });
      res.writeHead(404, headers).end(JSON.stringify({ error: 'tarball not in the npm cache' }));
      return;
    }
    const versions = pool.get(pathname);
    if (req.method !== 'GET' || !versions) {
      if (req.method === 'GET' && !pathname.startsWith('-/')) misses.push({ kind: 'package', spec: pathname });
      res.writeHead(404, headers).end(JSON.stringify({ error: 'not in package-lock.json' }));
      return;
    }
    const sorted = [...versions.keys()].sort(compareVersions);
    const doc = {
      name: pathname,
      'dist-tags': { latest: sorted[sorted.length - 1] },
      versions: Object.fromEntries(
        sorted.map((v) => [v, manifest(pathname, versions.get(v)!, `${base}-/tarball/${pathname}/${v}.tgz`)]),
      ),
    };
    served++;
    res.writeHead(200, headers).end(JSON.stringify(doc));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url: base,
    misses,
    served: () => served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
