// Documented encoder/writer limits (native/gpr/gpr_limits.h, docs/hardening.md "Limits"): the same limits the decoder
// enforces, so nothing we write is a file we would refuse to read. Size limits are checked before the sample
// buffer is even looked at; the payload and metadata limits before a file is produced.
import { GprError, GprImage, encodeGpr, encodeVc5 } from '../../src/gpr';

const MAX_SIDE = 16384;
const MAX_PAYLOAD = 10_000_000;
const MAX_BLOCK = 4 * 1024 * 1024;

function errorOf(fn: () => unknown): GprError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GprError);
    return err as GprError;
  }
  throw new Error('expected a GprError, but the call succeeded');
}

function smooth(w: number, h: number): Uint16Array {
  const d = new Uint16Array(w * h);
  for (let i = 0; i < d.length; i++) d[i] = ((i % w) % 400) * 8 + 100; // within 12 bits
  return d;
}

describe('encoder limits', () => {
  describe('largest dimensions: 16384 per side, 128,000,000 pixels', () => {
    test.each([
      [MAX_SIDE + 2, 42],
      [42, MAX_SIDE + 2],
      [MAX_SIDE, 7814],
      [MAX_SIDE, MAX_SIDE],
    ])('%ix%i is refused with GPR_E_LIMIT before the (empty) sample buffer is checked', (width, height) => {
      const e = errorOf(() => encodeGpr({ data: new Uint16Array(0), width, height, bitDepth: 12 }));
      expect(e.code).toBe('GPR_E_LIMIT');
    });

    test('the largest width at the smallest height encodes and decodes back', () => {
      const data = smooth(MAX_SIDE, 42);
      using img = GprImage.open(encodeGpr({ data, width: MAX_SIDE, height: 42, bitDepth: 12 }));
      expect([img.width, img.height]).toEqual([MAX_SIDE, 42]);
      expect(img.decodeRaw({ resolution: 1 }).data.length).toBe(MAX_SIDE * 42);
    });
  });

  describe('largest metadata block: 4 MiB per tag value', () => {
    const data = smooth(64, 48);
    test('a 4 MiB XMP block is written and read back whole', () => {
      const file = encodeGpr({
        data,
        width: 64,
        height: 48,
        bitDepth: 12,
        metadata: { xmp: Buffer.alloc(MAX_BLOCK, 0x3c) },
      });
      using img = GprImage.open(file);
      expect(img.metadata.xmp.length).toBe(MAX_BLOCK);
    });

    test.each(['xmp', 'opcodeList2', 'gpmf'])(
      'a %s block of 4 MiB + 1 is refused with GPR_E_LIMIT (no unreadable file)',
      (field) => {
        const e = errorOf(() =>
          encodeGpr({
            data,
            width: 64,
            height: 48,
            bitDepth: 12,
            metadata: { [field]: Buffer.alloc(MAX_BLOCK + 1, 1) },
          }),
        );
        expect(e.code).toBe('GPR_E_LIMIT');
        expect(e.message).toMatch(/metadata block limit 4194304/);
      },
    );
  });

  describe('largest VC-5 payload: 10,000,000 bytes', () => {
    test('an image whose payload would exceed 10,000,000 bytes is refused with GPR_E_LIMIT', () => {
      // 14-bit white noise costs about 1 byte per sample at fs1: 3328x3328 gives about 11.5 MB.
      const w = 3328;
      const data = new Uint16Array(w * w);
      let s = 12345;
      for (let i = 0; i < data.length; i++) {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        data[i] = (s >>> 8) & 0x3fff;
      }
      const e = errorOf(() => encodeVc5({ data, width: w, height: w, bitDepth: 14 }));
      expect(e.code).toBe('GPR_E_LIMIT');
      expect(e.message).toMatch(/exceeds the 10000000-byte limit/);
      // The same noise at a size whose payload fits is accepted, so the limit (not the content) decided.
      const small = data.subarray(0, 1024 * 1024);
      expect(encodeVc5({ data: small, width: 1024, height: 1024, bitDepth: 14 }).length).toBeLessThanOrEqual(
        MAX_PAYLOAD,
      );
    }, 180_000);
  });
});
