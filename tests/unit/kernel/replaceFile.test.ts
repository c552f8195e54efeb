// The one atomic file write: the target gets the whole content, and no temp file is left behind, also on failure.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { replaceFile } from '../../../src/kernel/replaceFile';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-replace-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('writes the content, replacing an existing file, and leaves only the target', () => {
  const target = path.join(dir, 'a.json');
  fs.writeFileSync(target, 'old');
  replaceFile(target, '{"new":true}');
  expect(fs.readFileSync(target, 'utf8')).toBe('{"new":true}');
  expect(fs.readdirSync(dir)).toEqual(['a.json']);
});

test('a failed rename (the target is a folder) rethrows and removes the temp file', () => {
  const target = path.join(dir, 'taken');
  fs.mkdirSync(path.join(target, 'inside'), { recursive: true });
  expect(() => replaceFile(target, 'x')).toThrow();
  expect(fs.readdirSync(dir)).toEqual(['taken']);
});
