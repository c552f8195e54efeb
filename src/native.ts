// Loads the compiled addon once; every native call in the package goes through here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LeakproofError } from './errors';

/** Functions exported by native/binding (probe and GPR codec). Typed loosely here; each face types its own part. */
export type NativeAddon = Record<string, (...args: never[]) => unknown>;

/** How to get an addon on a platform without a prebuild; shown in every "addon missing" message. */
export const BUILD_NATIVE_HINT =
  'run `npx leakproof build-native` (needs cmake and a C++17 compiler) or set LEAKPROOF_NATIVE_DIR';

let cached: NativeAddon | undefined;
let loadError: Error | undefined;
let loadedFrom: string | undefined;

/** Package root: compiled <root>/dist/src/native.js, or run from source (ts-jest) <root>/src/native.ts. */
export function packageRoot(): string {
  return path.basename(path.dirname(__dirname)) === 'dist'
    ? path.resolve(__dirname, '..', '..')
    : path.resolve(__dirname, '..');
}

let libcCached: 'glibc' | 'musl' | undefined;

/**
 * C library of this Linux process: Node's report header names glibc's version only when glibc is in use. A report
 * costs ~9 ms, so it is made once, and only when the answer matters (see nativeBuildDir).
 */
function libc(): 'glibc' | 'musl' {
  if (libcCached) return libcCached;
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  libcCached = header?.glibcVersionRuntime ? 'glibc' : 'musl';
  return libcCached;
}

/** The prebuild folder name for this process: `<platform>-<arch>`, plus `-glibc`/`-musl` on Linux. */
export function prebuildTag(platform: string = process.platform, arch: string = process.arch): string {
  return platform === 'linux' ? `${platform}-${arch}-${libc()}` : `${platform}-${arch}`;
}

/**
 * Directory holding the built `.node` files, in the loader's order: LEAKPROOF_NATIVE_DIR when set (the sanitizer build
 * lives in native/build-asan/Release), a local native/build/Release (development, or `leakproof build-native`), else the
 * package's prebuild for this platform (prebuilds/<tag>/, filled by `npm pack`).
 */
export function nativeBuildDir(): string {
  const override = process.env.LEAKPROOF_NATIVE_DIR;
  if (override) return path.resolve(override);
  const root = packageRoot();
  const local = path.join(root, 'native', 'build', 'Release');
  if (fs.existsSync(path.join(local, 'leakproof.node'))) return local;
  // On Linux a package normally holds one prebuild for this platform and arch (glibc or musl): if only one of the
  // two exists, that is the candidate without asking which C library runs (a wrong one fails to load and says so).
  const base = `${process.platform}-${process.arch}`;
  const variants = process.platform === 'linux' ? [`${base}-glibc`, `${base}-musl`] : [base];
  const present = variants.filter((tag) => fs.existsSync(path.join(root, 'prebuilds', tag, 'leakproof.node')));
  if (present.length === 1) return path.join(root, 'prebuilds', present[0]);
  const prebuilt = path.join(root, 'prebuilds', prebuildTag());
  if (present.length > 1) return prebuilt;
  return local;
}

/** The addon, or undefined when it cannot be loaded (callers decide whether that is fatal). */
export function tryLoadNative(): NativeAddon | undefined {
  if (cached || loadError) return cached;
  const dir = nativeBuildDir();
  try {
    // A .node file can only be loaded by require(); its path is computed at run time.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    cached = require(path.join(dir, 'leakproof.node')) as NativeAddon;
    loadedFrom = dir;
  } catch (err) {
    loadError = err as Error;
  }
  return cached;
}

/** Where the addon was loaded from, or undefined if it was not (yet). */
export function nativeLoadedFrom(): string | undefined {
  return loadedFrom;
}

/** Why the addon is unavailable, in one sentence (undefined when it loaded). Loads it if that was not tried yet. */
export function nativeUnavailableReason(): string | undefined {
  if (tryLoadNative()) return undefined;
  const raw = loadError?.message ?? 'unknown reason';
  const first = raw.split('\n')[0];
  const missing = (loadError as NodeJS.ErrnoException | undefined)?.code === 'MODULE_NOT_FOUND';
  const tried = path.basename(nativeBuildDir());
  if (!missing && !process.env.LEAKPROOF_NATIVE_DIR && tried !== 'Release' && tried !== prebuildTag()) {
    return `the package's only prebuild is for ${tried}, this system is ${prebuildTag()} (${first})`;
  }
  if (!missing) return `the native addon failed to load (${first})`;
  const override = process.env.LEAKPROOF_NATIVE_DIR;
  return override
    ? `the native addon is not in LEAKPROOF_NATIVE_DIR=${override}`
    : `the native addon is not built and the package has no prebuild for ${prebuildTag()}`;
}

/** The addon, or a clear error saying how to build it. */
export function loadNative(): NativeAddon {
  const addon = tryLoadNative();
  if (!addon)
    throw new LeakproofError(
      'LEAKPROOF_E_NATIVE_UNAVAILABLE',
      `leakproof: ${nativeUnavailableReason()}; ${BUILD_NATIVE_HINT}.`,
    );
  return addon;
}
