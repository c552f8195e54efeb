// The one atomic file write (temp file in the same folder, then rename): for report files, baselines and the
// records side channel alike, so a reader, or a crash halfway, never sees half a file.
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes `content` to `target` through `.<name>.<pid>.<time>.tmp` beside it and a rename over the target. The folder
 * must exist. On failure the temp file is removed and the original error rethrown.
 */
export function replaceFile(target: string, content: string): void {
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tmp, content, { encoding: 'utf8', flag: 'wx' });
    fs.renameSync(tmp, target);
  } catch (err) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // The temp file is already gone or unwritable; the original error is the one to report.
    }
    throw err;
  }
}
