import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveInside, writeFileAtomic } from '../../../reporter/atomicWrite';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lp-atomic-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('creates the folder, writes the content and leaves no temp file', () => {
    const dir = path.join(tmp, 'leak-report');
    const out = writeFileAtomic(dir, 'a.json', '{"x":1}');
    expect(out).toBe(path.join(dir, 'a.json'));
    expect(fs.readFileSync(out, 'utf8')).toBe('{"x":1}');
    expect(fs.readdirSync(dir)).toEqual(['a.json']);
  });
  it('replaces an existing file whole', () => {
    writeFileAtomic(tmp, 'a.txt', 'old content that is longer');
    writeFileAtomic(tmp, 'a.txt', 'new');
    expect(fs.readFileSync(path.join(tmp, 'a.txt'), 'utf8')).toBe('new');
  });
  it.each(['../escape.json', 'sub/../../escape.json', '/etc/leak.json', ''])('refuses %j', (name) => {
    expect(() => writeFileAtomic(path.join(tmp, 'r'), name, 'x')).toThrow(
      expect.objectContaining({ code: 'ERR_REPORT_PATH' }),
    );
    expect(fs.existsSync(path.join(tmp, 'escape.json'))).toBe(false);
  });
  it('refuses a subfolder that is a symlink leading outside', () => {
    const dir = path.join(tmp, 'r');
    const outside = path.join(tmp, 'outside');
    fs.mkdirSync(dir);
    fs.mkdirSync(outside);
    fs.symlinkSync(outside, path.join(dir, 'link'));
    expect(() => writeFileAtomic(dir, 'link/x.json', 'x')).toThrow(
      expect.objectContaining({ code: 'ERR_REPORT_PATH' }),
    );
    expect(fs.readdirSync(outside)).toEqual([]);
  });
  it('leaves no temp file behind when the rename fails (target is a directory)', () => {
    fs.mkdirSync(path.join(tmp, 'busy'));
    expect(() => writeFileAtomic(tmp, 'busy', 'x')).toThrow();
    expect(fs.readdirSync(tmp).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('resolveInside', () => {
  it('resolves nested names inside the folder', () => {
    expect(resolveInside('/r', 'a/b.json')).toBe(path.resolve('/r/a/b.json'));
  });
});
