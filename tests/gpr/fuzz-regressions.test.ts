// Every input a fuzzer ever crashed on (native/fuzz/regressions/<target>/) goes through the public API:
// opening, decoding, converting and format detection must succeed or throw a GprError with a code, never crash.
// `npm run test:asan` runs this file against the sanitizer build, which is where a relapse would show.
// Files whose outcome is known are also checked for that outcome.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GprError, GprImage, convert, detectFormat } from '../../src/gpr';

const dir = path.resolve(__dirname, '..', '..', 'native', 'fuzz', 'regressions');
const files = fs.existsSync(dir)
  ? fs
      .readdirSync(dir)
      .flatMap((t) => fs.readdirSync(path.join(dir, t)).map((n) => path.join(t, n)))
      .sort()
  : [];

// What opening each known regression file as a GPR gives (the fix's outcome).
const OPEN_OUTCOME: Record<string, string> = {
  'tiff/ifd0-offset-zero.tif': 'GPR_E_CORRUPT',
  'tiff/odr-tiffifd-vector-overflow.tif': 'GPR_E_FORMAT', // an uncompressed DNG: valid, but not a GPR
};

async function outcome(fn: () => unknown): Promise<string> {
  try {
    await fn();
    return 'ok';
  } catch (err) {
    if (err instanceof GprError) return err.code;
    throw err;
  }
}

describe('fuzzer regression inputs', () => {
  test('the regression folder holds the stored crash inputs', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  test.each(files)('%s: every API call returns or throws a GprError', async (name) => {
    const bytes = fs.readFileSync(path.join(dir, name));
    const open = await outcome(() => {
      using img = GprImage.open(bytes);
      img.decodeRaw({ resolution: 1 });
      img.decodeRgb({ resolution: 4, bits: 16 });
    });
    if (OPEN_OUTCOME[name]) expect(open).toBe(OPEN_OUTCOME[name]);
    expect(open).toMatch(/^(ok|GPR_E_[A-Z]+)$/);
    for (const to of ['dng', 'raw', 'gpr'] as const)
      expect(await outcome(() => convert(bytes, { to }))).toMatch(/^(ok|GPR_E_[A-Z]+)$/);
    expect(typeof detectFormat(bytes)).toBe('string');
  });
});
