// convert() file safety (no overwrite without consent, temp file + rename, input never touched) and detectFormat.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GprError, convert, detectFormat, encodeGpr } from '../../src/gpr';

const hash = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('convert file safety', () => {
  let dir: string;
  let gprFile: string;
  const mosaic = new Uint16Array(64 * 48).map((_, i) => (i * 37) % 4096);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-safety-'));
    gprFile = path.join(dir, 'in.gpr');
    fs.writeFileSync(
      gprFile,
      encodeGpr({ data: mosaic, width: 64, height: 48, bitDepth: 12, cfaPattern: 'RGGB', quality: 'fs1' }),
    );
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const leftovers = () => fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));

  test('writes the output and leaves no temporary file; the input is unchanged', async () => {
    const before = hash(gprFile);
    const out = path.join(dir, 'out.dng');
    await expect(convert(gprFile, { to: 'dng', output: out })).resolves.toBeUndefined();
    expect(detectFormat(out)).toBe('dng');
    expect(hash(gprFile)).toBe(before);
    expect(leftovers()).toEqual([]);
  });

  test('refuses an existing output without overwrite, keeps it intact, replaces it with overwrite', async () => {
    const out = path.join(dir, 'out.raw');
    fs.writeFileSync(out, 'precious');
    await expect(convert(gprFile, { to: 'raw', output: out })).rejects.toMatchObject({ code: 'GPR_E_IO' });
    expect(fs.readFileSync(out, 'utf8')).toBe('precious');
    await convert(gprFile, { to: 'raw', output: out, overwrite: true });
    expect(fs.statSync(out).size).toBe(64 * 48 * 2);
    expect(leftovers()).toEqual([]);
  });

  test('never writes over its own input, even with overwrite', async () => {
    const before = hash(gprFile);
    await expect(convert(gprFile, { to: 'gpr', output: gprFile, overwrite: true })).rejects.toMatchObject({
      code: 'GPR_E_IO',
    });
    expect(hash(gprFile)).toBe(before);
  });

  test('a failed conversion leaves nothing behind', async () => {
    const junk = path.join(dir, 'junk.gpr');
    fs.writeFileSync(junk, Buffer.alloc(1000, 7));
    const out = path.join(dir, 'never.dng');
    const err = await convert(junk, { to: 'dng', output: out }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GprError);
    expect((err as GprError).code).toBe('GPR_E_FORMAT');
    expect(fs.existsSync(out)).toBe(false);
    // A damaged GPR: valid container start, VC-5 payload cut short.
    const cut = path.join(dir, 'cut.gpr');
    fs.writeFileSync(cut, fs.readFileSync(gprFile).subarray(0, fs.statSync(gprFile).size - 200));
    await expect(convert(cut, { to: 'dng', output: out })).rejects.toBeInstanceOf(GprError);
    expect(fs.existsSync(out)).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  test('a missing output folder or input file is GPR_E_IO', async () => {
    await expect(
      convert(gprFile, { to: 'dng', output: path.join(dir, 'no', 'such', 'dir', 'x.dng') }),
    ).rejects.toMatchObject({ code: 'GPR_E_IO' });
    await expect(convert(path.join(dir, 'missing.gpr'), { to: 'dng' })).rejects.toMatchObject({ code: 'GPR_E_IO' });
  });

  test.each([
    ['unknown target', { to: 'bmp' }],
    ['preview resolution 3', { to: 'ppm', resolution: 3 }],
    ['8-bit DNG', { to: 'dng', bits: 8 }],
    ['16-bit JPEG', { to: 'jpg', bits: 16 }],
    ['reduced-resolution RAW', { to: 'raw', resolution: 2 }],
    ['metadata for a GPR input', { to: 'dng', metadata: { make: 'x' } }],
    ['bad quality', { to: 'gpr', quality: 'max' }],
  ])('bad options: %s -> GPR_E_ARGUMENT', async (_n, opts) => {
    await expect(convert(gprFile, opts as never)).rejects.toMatchObject({ code: 'GPR_E_ARGUMENT' });
  });

  test('RAW input: size must match the description, samples must fit the bit depth', async () => {
    const raw = Buffer.from(mosaic.buffer);
    await expect(convert(raw, { to: 'gpr', raw: { width: 64, height: 46, bitDepth: 12 } })).rejects.toMatchObject({
      code: 'GPR_E_ARGUMENT',
    });
    const hot = Buffer.from(raw);
    hot.writeUInt16LE(5000, 10);
    await expect(convert(hot, { to: 'dng', raw: { width: 64, height: 48, bitDepth: 12 } })).rejects.toMatchObject({
      code: 'GPR_E_ARGUMENT',
    });
    await expect(
      convert(raw, { to: 'dng', raw: { width: 64, height: 48, bitDepth: 12 }, metadata: path.join(dir, 'none.json') }),
    ).rejects.toMatchObject({ code: 'GPR_E_IO' });
    fs.writeFileSync(path.join(dir, 'bad.json'), '{not json');
    await expect(
      convert(raw, { to: 'dng', raw: { width: 64, height: 48, bitDepth: 12 }, metadata: path.join(dir, 'bad.json') }),
    ).rejects.toMatchObject({ code: 'GPR_E_ARGUMENT' });
  });
});

describe('detectFormat', () => {
  const gpr = encodeGpr({
    data: new Uint16Array(64 * 48).fill(100),
    width: 64,
    height: 48,
    bitDepth: 12,
    cfaPattern: 'RGGB',
    quality: 'fs1',
  });

  test('classifies by content', async () => {
    const dng = await convert(gpr, { to: 'dng' });
    const jpg = await convert(gpr, { to: 'jpg', resolution: 2 });
    expect(detectFormat(gpr)).toBe('gpr');
    expect(detectFormat(dng)).toBe('dng');
    expect(detectFormat(jpg)).toBe('jpeg');
    expect(detectFormat(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'))).toBe('png');
    // A plain TIFF: header and one IFD with ImageWidth only.
    const tiff = Buffer.alloc(8 + 2 + 12 + 4);
    tiff.write('II*\0', 0, 'latin1');
    tiff.writeUInt32LE(8, 4);
    tiff.writeUInt16LE(1, 8);
    tiff.writeUInt16LE(256, 10);
    tiff.writeUInt16LE(3, 12);
    tiff.writeUInt32LE(1, 14);
    tiff.writeUInt16LE(64, 18);
    expect(detectFormat(tiff)).toBe('tiff');
    expect(detectFormat(Buffer.alloc(100, 1))).toBe('unknown');
    expect(detectFormat(Buffer.alloc(3))).toBe('unknown');
    // IFD offset pointing past the end: still a TIFF, nothing read out of bounds.
    tiff.writeUInt32LE(0xfffffff0, 4);
    expect(detectFormat(tiff)).toBe('tiff');
  });

  test('ignores the file name and reports unreadable paths as GPR_E_IO', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-detect-'));
    try {
      const misnamed = path.join(dir, 'photo.jpg');
      fs.writeFileSync(misnamed, gpr);
      expect(detectFormat(misnamed)).toBe('gpr');
      expect(() => detectFormat(path.join(dir, 'missing.gpr'))).toThrow(expect.objectContaining({ code: 'GPR_E_IO' }));
      expect(() => detectFormat(42 as never)).toThrow(expect.objectContaining({ code: 'GPR_E_ARGUMENT' }));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
