// Every file in the vectors' malformed/ folder is rejected with a GprError of a fitting code: no crash, no hang,
// no output. The codes allowed per file follow from how the manifest says the file was made.
import * as fs from 'node:fs';
import { GprError, GprImage, type GprErrorCode } from '../../src/gpr';
import { describeWithVectors, loadManifest, vectorPath } from '../helpers/vectors';

const EXPECTED: Record<string, GprErrorCode[]> = {
  'empty.gpr': ['GPR_E_FORMAT'],
  'one-byte.gpr': ['GPR_E_FORMAT', 'GPR_E_TRUNCATED'],
  'header-only.gpr': ['GPR_E_TRUNCATED'],
  'trunc-10pct.gpr': ['GPR_E_TRUNCATED'],
  'trunc-50pct.gpr': ['GPR_E_TRUNCATED'],
  'trunc-99pct.gpr': ['GPR_E_TRUNCATED'],
  'camera-trunc-10pct.gpr': ['GPR_E_TRUNCATED'],
  'bad-byteorder.gpr': ['GPR_E_FORMAT'],
  'bad-magic.gpr': ['GPR_E_FORMAT', 'GPR_E_UNSUPPORTED'],
  'ifd0-offset-past-eof.gpr': ['GPR_E_TRUNCATED', 'GPR_E_CORRUPT'],
  'subifd-offset-past-eof.gpr': ['GPR_E_TRUNCATED', 'GPR_E_CORRUPT'],
  'tileoffset-past-eof.gpr': ['GPR_E_TRUNCATED', 'GPR_E_CORRUPT'],
  'tilebytecount-huge.gpr': ['GPR_E_TRUNCATED', 'GPR_E_LIMIT'],
  'tag-count-huge.gpr': ['GPR_E_LIMIT', 'GPR_E_TRUNCATED'],
  'huge-dims-tiff.gpr': ['GPR_E_LIMIT'],
  'zero-dims-tiff.gpr': ['GPR_E_CORRUPT'],
  'huge-dims-vc5.gpr': ['GPR_E_LIMIT', 'GPR_E_CORRUPT'],
  'compression-mismatch.gpr': ['GPR_E_UNSUPPORTED'],
  'vc5-flip-1bit.gpr': ['GPR_E_CORRUPT'],
  'vc5-flip-16bit.gpr': ['GPR_E_CORRUPT'],
  'vc5-flip-256bit.gpr': ['GPR_E_CORRUPT'],
  'vc5-header-flips.gpr': ['GPR_E_CORRUPT', 'GPR_E_UNSUPPORTED'],
  'vc5-random-payload.gpr': ['GPR_E_CORRUPT'],
  'vc5-zero-tail.gpr': ['GPR_E_CORRUPT'],
  'camera-vc5-flip-64bit.gpr': ['GPR_E_CORRUPT'],
  'jpeg-renamed.gpr': ['GPR_E_FORMAT'],
  'png-renamed.gpr': ['GPR_E_FORMAT'],
  'text-renamed.gpr': ['GPR_E_FORMAT'],
  'plain-tiff.gpr': ['GPR_E_FORMAT'],
};

/** Opens and fully decodes; returns the error (or undefined when everything succeeded, which is a failure here). */
function openAndDecode(bytes: Uint8Array): unknown {
  try {
    using img = GprImage.open(bytes);
    img.decodeRaw({ resolution: 1 });
    img.decodeRgb({ resolution: 4, bits: 16 });
    return undefined;
  } catch (err) {
    return err;
  }
}

async function openAndDecodeAsync(bytes: Uint8Array): Promise<unknown> {
  try {
    const img = await GprImage.openAsync(bytes);
    try {
      await img.decodeRawAsync({ resolution: 1, threads: 2 });
    } finally {
      img.close();
    }
    return undefined;
  } catch (err) {
    return err;
  }
}

describeWithVectors('GPR decoder: malformed inputs are rejected with typed errors', () => {
  const files = (loadManifest().malformed as { file: string; purpose: string }[]).map(
    (m) => [m.file.replace(/^malformed\//, ''), m.purpose] as const,
  );

  test('the manifest lists every file of malformed/ and this test knows each one', () => {
    const onDisk = fs.readdirSync(vectorPath('malformed')).sort();
    expect(files.map(([f]) => f).sort()).toEqual(onDisk);
    expect(Object.keys(EXPECTED).sort()).toEqual(onDisk);
  });

  test.each(files)('%s (%s) -> GprError', (file) => {
    const err = openAndDecode(fs.readFileSync(vectorPath('malformed', file)));
    expect(err).toBeInstanceOf(GprError);
    expect(EXPECTED[file]).toContain((err as GprError).code);
    expect((err as GprError).message.length).toBeGreaterThan(10);
  });

  test.each(files)('%s rejected the same way through the async API', async (file) => {
    const bytes = fs.readFileSync(vectorPath('malformed', file));
    const syncErr = openAndDecode(bytes) as GprError;
    const asyncErr = (await openAndDecodeAsync(bytes)) as GprError;
    expect(asyncErr).toBeInstanceOf(GprError);
    expect(asyncErr.code).toBe(syncErr.code);
  });

  test('a path to a malformed file gives the same error as its bytes', () => {
    const p = vectorPath('malformed', 'vc5-zero-tail.gpr');
    expect(() => GprImage.open(p).decodeRaw()).toThrow(expect.objectContaining({ code: 'GPR_E_CORRUPT' }));
  });
});
