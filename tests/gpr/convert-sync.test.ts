// convertSync (the CLI's single-file path) against convert: the same bytes for every target, the same typed errors,
// the same file safety (no overwrite without consent, never the input, nothing left behind).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GprError, convert, encodeGpr } from '../../src/gpr';
import { convertSync } from '../../src/gpr/convert';

describe('convertSync', () => {
  let dir: string;
  let gprFile: string;
  let rawFile: string;
  const width = 96;
  const height = 64;
  const mosaic = new Uint16Array(width * height).map((_, i) => (i * 53 + (i >> 7) * 11) % 16384);
  const raw = { width, height, cfaPattern: 'RGGB', bitDepth: 14 } as const;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-convert-sync-'));
    gprFile = path.join(dir, 'in.gpr');
    rawFile = path.join(dir, 'in.raw');
    fs.writeFileSync(
      gprFile,
      encodeGpr({ data: mosaic, width, height, bitDepth: 14, cfaPattern: 'RGGB', quality: 'fs1' }),
    );
    fs.writeFileSync(rawFile, Buffer.from(mosaic.buffer));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const leftovers = () => fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));

  test.each([
    ['gpr', { to: 'raw' }],
    ['gpr', { to: 'dng' }],
    ['gpr', { to: 'gpr', quality: 'fast' }],
    ['gpr', { to: 'ppm', resolution: 4 }],
    ['gpr', { to: 'ppm', resolution: 2, bits: 16 }],
    ['gpr', { to: 'jpg', resolution: 2, jpegQuality: 80 }],
    ['raw', { to: 'gpr', raw }],
    ['raw', { to: 'dng', raw, metadata: { make: 'GoPro', iso: 200 } }],
    ['raw', { to: 'ppm', raw, resolution: 2 }],
  ] as const)('%s -> %j: the same bytes as convert, in memory and in a file', async (from, options) => {
    const input = from === 'gpr' ? gprFile : rawFile;
    const expected = await convert(input, { ...options });
    const got = convertSync(input, { ...options });
    expect(Buffer.isBuffer(got)).toBe(true);
    expect((got as Buffer).equals(expected)).toBe(true);
    const out = path.join(dir, `out-${from}-${options.to}.bin`);
    expect(convertSync(input, { ...options, output: out, overwrite: true })).toBeUndefined();
    expect(fs.readFileSync(out).equals(expected)).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  test('a Buffer input is converted like a file (DNG made from it, then DNG -> GPR)', async () => {
    const dng = convertSync(fs.readFileSync(gprFile), { to: 'dng' }) as Buffer;
    expect(convertSync(dng, { to: 'gpr' })?.equals(await convert(dng, { to: 'gpr' }))).toBe(true);
  });

  test('refuses an existing output, never writes over its input, leaves nothing on failure; typed errors', () => {
    const out = path.join(dir, 'kept.raw');
    fs.writeFileSync(out, 'precious');
    expect(() => convertSync(gprFile, { to: 'raw', output: out })).toThrow(
      expect.objectContaining({ code: 'GPR_E_IO' }),
    );
    expect(fs.readFileSync(out, 'utf8')).toBe('precious');
    const before = fs.readFileSync(gprFile);
    expect(() => convertSync(gprFile, { to: 'gpr', output: gprFile, overwrite: true })).toThrow(
      expect.objectContaining({ code: 'GPR_E_IO' }),
    );
    expect(fs.readFileSync(gprFile).equals(before)).toBe(true);
    const junk = path.join(dir, 'junk.gpr');
    fs.writeFileSync(junk, Buffer.alloc(1000, 7));
    const never = path.join(dir, 'never.dng');
    expect(() => convertSync(junk, { to: 'dng', output: never })).toThrow(
      expect.objectContaining({ code: 'GPR_E_FORMAT' }),
    );
    expect(fs.existsSync(never)).toBe(false);
    expect(() => convertSync(path.join(dir, 'missing.gpr'), { to: 'dng' })).toThrow(
      expect.objectContaining({ code: 'GPR_E_IO' }),
    );
    expect(() => convertSync(rawFile, { to: 'gpr', raw: { ...raw, width: 98 } })).toThrow(
      expect.objectContaining({ code: 'GPR_E_ARGUMENT' }),
    );
    expect(() => convertSync(gprFile, { to: 'dng', threds: 2 } as never)).toThrow(GprError);
    expect(leftovers()).toEqual([]);
  });
});
