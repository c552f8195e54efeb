import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createHash } from 'crypto';
import {
  ensureRecordsDir,
  readRecordsFile,
  recordsFileFor,
  removeRecordsDir,
  RECORDS_DIR_ENV,
} from '../../../reporter/recordsDir';

describe('the side-channel folder (fallback data path)', () => {
  it('names files by the sha1 of the absolute test path, exactly as the test environment writes them', () => {
    const p = '/p/tests/a.test.ts';
    expect(recordsFileFor('/d', p)).toBe(path.join('/d', `${createHash('sha1').update(p).digest('hex')}.json`));
  });

  it('creates a folder only when none is set, and removes only its own', () => {
    const env: NodeJS.ProcessEnv = {};
    const dir = ensureRecordsDir(env)!;
    expect(env[RECORDS_DIR_ENV]).toBe(dir);
    expect(ensureRecordsDir(env)).toBeUndefined();
    removeRecordsDir(dir, env);
    expect(fs.existsSync(dir)).toBe(false);
    expect(env[RECORDS_DIR_ENV]).toBeUndefined();
  });

  it('reads nothing for a missing file and reports a file that is not an array', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lp-rd-'));
    try {
      expect(readRecordsFile(dir, '/x.test.js')).toEqual({ records: [] });
      fs.writeFileSync(recordsFileFor(dir, '/y.test.js'), '{"not":"an array"}');
      expect(readRecordsFile(dir, '/y.test.js')).toEqual({
        records: [],
        problem: expect.stringContaining('does not hold an array'),
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
