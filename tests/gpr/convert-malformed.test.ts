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
    dng = await convert(encodeGpr({ data: mosaic, width: 64, height: 48, bitDepth: 12, cfaPattern: 'RGGB', quality: 'fs1' }), { to: 'dng' });
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
        const err = await convert(vectorPath(file), { to: 'dng', output: out }).then(() => undefined, (e: unknown) => e);
        expect({ file, isGprError: err instanceof GprError }).toEqual({ file, isGprError: true });
        expect(fs.existsSync(out)).toBe(false);
      }
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
