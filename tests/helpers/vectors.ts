// Locates the shared GPR test vectors: LEAKPROOF_VECTORS when set (only there), else ../shared/vectors beside the repo.
// In CI (CI=true) missing vectors are an error; elsewhere the tests that need them are skipped with a note.
// LEAKPROOF_VECTORS=none (or any folder without manifest.json) rehearses a fresh clone on a machine that has ../shared.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');

function locate(): string | undefined {
  const explicit = process.env.LEAKPROOF_VECTORS;
  // An explicit choice is never second-guessed by the ../shared fallback.
  const dir = explicit
    ? explicit === 'none'
      ? undefined
      : path.resolve(explicit)
    : path.resolve(repoRoot, '..', 'shared', 'vectors');
  return dir && fs.existsSync(path.join(dir, 'manifest.json')) ? dir : undefined;
}

/** Absolute path of the vectors folder, or undefined when absent (outside CI only). */
export const vectorsDir: string | undefined = locate();

if (!vectorsDir && process.env.CI === 'true') {
  throw new Error(
    'GPR test vectors not found: set LEAKPROOF_VECTORS or place them at ../shared/vectors (required when CI=true)',
  );
}

/**
 * `describe` when the vectors are present. Without them the body is never run (Jest runs the bodies of `describe.skip`
 * while collecting, and these bodies read the manifest): one skipped placeholder test stands for the block, with a note.
 */
export const describeWithVectors: jest.Describe = vectorsDir
  ? describe
  : (((name: string) => {
      console.warn(
        `[leakproof] skipping "${name}": GPR vectors not found (set LEAKPROOF_VECTORS or ../shared/vectors)`,
      );
      return describe.skip(name, () => {
        test('needs the GPR test vectors', () => undefined);
      });
    }) as unknown as jest.Describe);

/** Path of a file inside the vectors folder (only call inside describeWithVectors). */
export function vectorPath(...parts: string[]): string {
  if (!vectorsDir) throw new Error('vectors not available');
  return path.join(vectorsDir, ...parts);
}

/** The parsed manifest.json (only call inside describeWithVectors). */
export function loadManifest(): Record<string, unknown> & {
  camera: unknown[];
  synthetic: unknown[];
  malformed: unknown[];
} {
  return JSON.parse(fs.readFileSync(vectorPath('manifest.json'), 'utf8'));
}
