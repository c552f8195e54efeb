// Damaged inputs to convert(): every malformed vector and truncated or bit-flipped DNGs end in a GprError with a code,
// never a crash, a hang or an output file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GprError, convert, encodeGpr } from '../../src/gpr';
import { describeWithVectors, loadManifest, vectorPath } from '../helpers/vectors';

async function outcome(input: Buffer, to: 'dng' | 'raw' | 'gpr'): Promise<string> {
  try {
    await convert(input, { to });
    return 'ok';
  } catch (err) {
    if (!(err instanceof GprError)) throw err;
    return err.code;
  }
}

describe('convert on damaged DNGs', () => {
  const mosaic = new Uint16Array(64 * 48).map((_, i) => (i * 7919) % 4096);
  let dng: Buffer;
  beforeAll(async () => {
    dng = await convert(
      encodeGpr({ data: mosaic, width: 64, height: 48, bitDepth: 12, cfaPattern: 'RGGB', quality: 'fs1' }),
      { to: 'dng' },
    );
  });

  test('every truncation is rejected with a typed error', async () => {
    const codes = new Set<string>();
    for (let len = 0; len < dng.length; len += len < 2000 ? 7 : 211) {
      const code = await outcome(dng.subarray(0, len), 'raw');
      expect(code).not.toBe('ok');
      codes.add(code);
    }
    expect([...codes].every((c) => c.startsWith('GPR_E_'))).toBe(true);
  });

  /** Offset of the 12-byte entry for `tag` in the CFA raw IFD (IFD0 or a SubIFD) of a little-endian TIFF. */
  function rawIfdEntry(tiff: Buffer, tag: number): number {
    const entries = (ifd: number) => Array.from({ length: tiff.readUInt16LE(ifd) }, (_, i) => ifd + 2 + 12 * i);
    const value = (entry: number) =>
      tiff.readUInt16LE(entry + 2) === 3 ? tiff.readUInt16LE(entry + 8) : tiff.readUInt32LE(entry + 8);
    const ifd0 = tiff.readUInt32LE(4);
    const subIfds = entries(ifd0)
      .filter((e) => tiff.readUInt16LE(e) === 330)
      .map(value);
    for (const ifd of [ifd0, ...subIfds]) {
      const all = entries(ifd);
      if (all.some((e) => tiff.readUInt16LE(e) === 262 && value(e) === 32803)) {
        const entry = all.find((e) => tiff.readUInt16LE(e) === tag);
        if (entry !== undefined) return entry;
      }
    }
    throw new Error(`tag ${tag} not found in the raw IFD`);
  }

  function withTag(tiff: Buffer, tag: number, v: number): Buffer {
    const copy = Buffer.from(tiff);
    const entry = rawIfdEntry(copy, tag);
    if (copy.readUInt16LE(entry + 2) === 3) copy.writeUInt16LE(v, entry + 8);
    else copy.writeUInt32LE(v, entry + 8);
    return copy;
  }

  test('strips that cannot fill the declared image are refused before the image is allocated', async () => {
    // A 64x48 file claiming 4000x3000: the strip check runs before the 24 MB sample buffer would be allocated.
    const big = withTag(withTag(dng, 256, 4000), 257, 3000);
    await expect(convert(big, { to: 'raw' })).rejects.toMatchObject({
      code: 'GPR_E_TRUNCATED',
      message: expect.stringMatching(/strips hold 6144 bytes, 24000000 needed for 4000x3000/),
    });
    const past = withTag(dng, 273, dng.length - 100);
    await expect(convert(past, { to: 'raw' })).rejects.toMatchObject({
      code: 'GPR_E_TRUNCATED',
      message: expect.stringMatching(/strip 0 at offset \d+ \(\+6144 bytes\) ends past the end of the input/),
    });
    await expect(convert(dng, { to: 'raw' })).resolves.toHaveLength(64 * 48 * 2);
  });

  test('bit flips in the header and IFDs never crash (typed error or a successful conversion)', async () => {
    let seed = 12345;
    const rand = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    const stripStart = dng.length - 64 * 48 * 2;
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const copy = Buffer.from(dng);
      for (let k = 0; k < 3; k++) copy[rand() % stripStart] ^= 1 << (rand() % 8);
      seen.add(await outcome(copy, i % 2 ? 'raw' : 'gpr'));
    }
    for (const c of seen) expect(c === 'ok' || c.startsWith('GPR_E_')).toBe(true);
  });
});

describeWithVectors('convert on the malformed vectors', () => {
  const malformed = (loadManifest().malformed as { file?: string; path?: string }[]).map((m) => m.file ?? m.path ?? '');

  test('the manifest lists the malformed files', () => {
    expect(malformed.length).toBeGreaterThanOrEqual(29);
  });

  test('each is rejected with a GprError and leaves no output', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-malformed-'));
    try {
      for (const file of malformed) {
        const out = path.join(dir, `${path.basename(file)}.dng`);
        const err = await convert(vectorPath(file), { to: 'dng', output: out }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect({ file, isGprError: err instanceof GprError }).toEqual({ file, isGprError: true });
        expect(fs.existsSync(out)).toBe(false);
      }
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
