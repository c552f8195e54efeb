// Loads the compiled addon once; every native call in the package goes through here.
import * as path from 'node:path';

/** Functions exported by native/binding (probe and GPR codec). Typed loosely here; each face types its own part. */
export type NativeAddon = Record<string, (...args: never[]) => unknown>;

let cached: NativeAddon | undefined;
let loadError: Error | undefined;

/**
 * Directory holding the built `.node` files: native/build/Release next to the package root, unless
 * LEAKPROOF_NATIVE_DIR points elsewhere (the sanitizer build lives in native/build-asan/Release).
 */
export function nativeBuildDir(): string {
  const override = process.env.LEAKPROOF_NATIVE_DIR;
  if (override) return path.resolve(override);
  // Compiled: <root>/dist/src/native.js; run from source (ts-jest): <root>/src/native.ts.
  const root = path.basename(path.dirname(__dirname)) === 'dist' ? path.resolve(__dirname, '..', '..') : path.resolve(__dirname, '..');
  return path.join(root, 'native', 'build', 'Release');
}

/** The addon, or undefined when it is not built (callers decide whether that is fatal). */
export function tryLoadNative(): NativeAddon | undefined {
  if (cached || loadError) return cached;
  try {
    // A .node file can only be loaded by require(); its path is computed at run time.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    cached = require(path.join(nativeBuildDir(), 'leakproof.node')) as NativeAddon;
  } catch (err) {
    loadError = err as Error;
  }
  return cached;
}

/** The addon, or a clear error saying how to build it. */
export function loadNative(): NativeAddon {
  const addon = tryLoadNative();
  if (!addon) {
    const reason = loadError ? loadError.message : 'unknown reason';
    throw new Error(`leakproof: the native addon is not built (${reason}). Run \`npm rebuild leakproof\` or \`npm run build:native\`.`);
  }
  return addon;
}
