// Writes report files atomically (temp file + rename) and refuses any path that would land outside the report folder.
import * as fs from 'fs';
import * as path from 'path';
import { replaceFile } from '../src/kernel/replaceFile';
import { ReporterError } from './ReporterError';

/**
 * Resolves `name` inside `dir`, throwing when the result would escape `dir`
 * (a `../` name, an absolute name, or a symlinked component pointing elsewhere is rejected).
 */
export function resolveInside(dir: string, name: string): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new ReporterError(
      'ERR_REPORT_PATH',
      `report file name must be a non-empty string, got ${JSON.stringify(name)}`,
    );
  }
  if (path.isAbsolute(name)) {
    throw new ReporterError(
      'ERR_REPORT_PATH',
      `report file name must be relative to the report folder ${dir}, got absolute ${name}`,
    );
  }
  const root = path.resolve(dir);
  const target = path.resolve(root, name);
  const rel = path.relative(root, target);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new ReporterError(
      'ERR_REPORT_PATH',
      `report file ${name} would be written outside the report folder ${root}`,
    );
  }
  return target;
}

/**
 * Writes `content` to `dir/name`: first into a temp file in the same folder, then renamed over the target,
 * so a reader (or a crash) never sees a half-written report. Creates `dir` when missing. Returns the final path.
 */
export function writeFileAtomic(dir: string, name: string, content: string): string {
  const target = resolveInside(dir, name);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Symlinks could still redirect the write: compare real paths once the folder exists.
  const realRoot = fs.realpathSync(path.resolve(dir));
  const realParent = fs.realpathSync(path.dirname(target));
  const relParent = path.relative(realRoot, realParent);
  if (relParent.startsWith('..') || path.isAbsolute(relParent)) {
    throw new ReporterError('ERR_REPORT_PATH', `report file ${name} resolves outside the report folder ${realRoot}`);
  }
  replaceFile(path.join(realParent, path.basename(target)), content);
  return target;
}
