// Locates the shared GPR test vectors: LEAKPROOF_VECTORS, else ../shared/vectors beside the repo.
// In CI (CI=true) missing vectors are an error; elsewhere the tests that need them are skipped with a note.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');

function locate(): string | undefined {
  const candidates = [process.env.LEAKPROOF_VECTORS, path.resolve(repoRoot, '..', 'shared', 'vectors')];
  for (const dir of candidates) {
    if (dir && fs.existsSync(path.join(dir, 'manifest.json'))) return dir;
  }
  return undefined;
}

/** Absolute path of the vectors folder, or undefined when absent (outside CI only). */
export const vectorsDir: string | undefined = locate();

if (!vectorsDir && process.env.CI === 'true') {
  throw new Error('GPR test vectors not found: set LEAKPROOF_VECTORS or place them at ../shared/vectors (required when CI=true)');
}

/** `describe` when the vectors are present, else `describe.skip` with a note printed once. */
export const describeWithVectors: jest.Describe = vectorsDir
  ? describe
  : (((name: string, fn: () => void) => {
      console.warn(`[leakproof] skipping "${name}": GPR vectors not found (set LEAKPROOF_VECTORS or ../shared/vectors)`);
      return describe.skip(name, fn);
    }) as unknown as jest.Describe);

/** Path of a file inside the vectors folder (only call inside describeWithVectors). */
export function vectorPath(...parts: string[]): string {
  if (!vectorsDir) throw new Error('vectors not available');
  return path.join(vectorsDir, ...parts);
}

/** The parsed manifest.json (only call inside describeWithVectors). */
export function loadManifest(): Record<string, unknown> & { camera: unknown[]; synthetic: unknown[]; malformed: unknown[] } {
  return JSON.parse(fs.readFileSync(vectorPath('manifest.json'), 'utf8'));
}
