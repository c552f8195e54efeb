// encodeGpr rejects what the format cannot hold with a typed GprError, sync and async, and never writes garbage.
import { GprError, GprImage, encodeGpr, encodeGprAsync } from '../../src/gpr';

const flat = (w: number, h: number, v = 1000) => new Uint16Array(w * h).fill(v);
const ok = {
  data: flat(64, 48),
  width: 64,
  height: 48,
  cfaPattern: 'RGGB' as const,
  bitDepth: 12 as const,
  quality: 'fs1' as const,
};

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GprError);
    return (err as GprError).code;
  }
  throw new Error('expected a GprError');
}

describe('encodeGpr input validation', () => {
  const bad: [string, Record<string, unknown>, string][] = [
    ['odd width', { data: flat(63, 48), width: 63, height: 48 }, 'GPR_E_ARGUMENT'],
    ['odd height', { data: flat(64, 47), width: 64, height: 47 }, 'GPR_E_ARGUMENT'],
    ['width below 42', { data: flat(40, 48), width: 40, height: 48 }, 'GPR_E_ARGUMENT'],
    ['height below 42', { data: flat(64, 16), width: 64, height: 16 }, 'GPR_E_ARGUMENT'],
    ['data length mismatch', { data: flat(64, 47) }, 'GPR_E_ARGUMENT'],
    ['data not a Uint16Array', { data: new Uint8Array(64 * 48) }, 'GPR_E_ARGUMENT'],
    ['non-integer width', { width: 64.5 }, 'GPR_E_ARGUMENT'],
    ['bitDepth 16', { bitDepth: 16 }, 'GPR_E_ARGUMENT'],
    ['unknown quality', { quality: 'best' }, 'GPR_E_ARGUMENT'],
    ['unknown CFA', { cfaPattern: 'BGGR' }, 'GPR_E_ARGUMENT'],
    ['metadata not an object', { metadata: 'GoPro' }, 'GPR_E_ARGUMENT'],
    ['bad metadata field', { metadata: { exposureTime: 'fast' } }, 'GPR_E_ARGUMENT'],
    ['threads 0', { threads: 0 }, 'GPR_E_ARGUMENT'],
    ['beyond the size limit', { data: flat(2, 2), width: 20000, height: 100 }, 'GPR_E_LIMIT'],
  ];
  test.each(bad)('%s -> %s', (_name, patch, code) => {
    expect(codeOf(() => encodeGpr({ ...ok, ...patch } as never))).toBe(code);
  });

  test('12-bit input with a sample above 4095 is rejected and the message says where', () => {
    const data = flat(64, 48);
    data[5 * 64 + 7] = 4096;
    let err: unknown;
    try {
      encodeGpr({ ...ok, data });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GprError);
    expect((err as GprError).code).toBe('GPR_E_ARGUMENT');
    expect((err as GprError).message).toMatch(/4096 at x=7, y=5/);
  });

  test('14-bit input accepts 16383 and rejects 16384', () => {
    const data = flat(64, 48, 16383);
    expect(GprImage.open(encodeGpr({ ...ok, data, bitDepth: 14 })).width).toBe(64);
    data[0] = 16384;
    expect(codeOf(() => encodeGpr({ ...ok, data, bitDepth: 14 }))).toBe('GPR_E_ARGUMENT');
  });

  test('options that are not an object', () => {
    expect(codeOf(() => encodeGpr(undefined as never))).toBe('GPR_E_ARGUMENT');
    expect(codeOf(() => encodeGpr(null as never))).toBe('GPR_E_ARGUMENT');
  });

  test('the async form rejects with the same codes', async () => {
    await expect(encodeGprAsync({ ...ok, width: 63 } as never)).rejects.toMatchObject({ code: 'GPR_E_ARGUMENT' });
    const data = flat(64, 48);
    data[100] = 5000;
    await expect(encodeGprAsync({ ...ok, data })).rejects.toMatchObject({ code: 'GPR_E_ARGUMENT', name: 'GprError' });
  });

  test('2, 3 and 4 threads (component rows shared between the workers) give the same bytes and the same range error', () => {
    // 250x214: 107 cell rows, not a multiple of the workers' 8-row blocks; a 14-bit GBRG mosaic.
    const w = 250;
    const h = 214;
    const data = new Uint16Array(w * h);
    for (let i = 0; i < data.length; i++) data[i] = (Math.imul(i, 2246822519) >>> 18) & 16383;
    const options = { ...ok, data, width: w, height: h, bitDepth: 14 as const, cfaPattern: 'GBRG' as const };
    const one = encodeGpr(options);
    for (const threads of [2, 3, 4]) expect(encodeGpr({ ...options, threads }).equals(one)).toBe(true);
    // A sample out of range in the first, a middle and the last cell row: every thread count stops with the same
    // message naming the first offending sample (no worker left waiting).
    for (const at of [3, 101 * w + 7, (h - 1) * w + w - 1]) {
      const bad = data.slice();
      bad[at] = 16384;
      const messages = [1, 2, 3, 4].map((threads) => {
        try {
          encodeGpr({ ...options, data: bad, threads });
        } catch (err) {
          expect(err).toMatchObject({ code: 'GPR_E_ARGUMENT' });
          return (err as Error).message;
        }
        throw new Error('expected a range error');
      });
      expect(messages[0]).toContain(`x=${at % w}, y=${Math.floor(at / w)}`);
      expect(new Set(messages).size).toBe(1);
    }
  });

  test('encodeGprAsync leaves the event loop running while it encodes, and concurrent encodes agree', async () => {
    const w = 2000;
    const h = 1500;
    const data = new Uint16Array(w * h);
    for (let i = 0; i < data.length; i++) data[i] = (Math.imul(i, 2654435761) >>> 20) & 4095;
    const options = { ...ok, data, width: w, height: h };
    let ticks = 0;
    let done = false;
    const spin = () => {
      if (done) return;
      ticks++;
      setImmediate(spin);
    };
    const pending = Promise.all([encodeGprAsync(options), encodeGprAsync({ ...options, threads: 2 })]);
    setImmediate(spin);
    const [a, b] = await pending;
    done = true;
    expect(ticks).toBeGreaterThan(0);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(encodeGpr(options))).toBe(true);
  });

  test('the smallest legal image (42x42) and a GBRG mosaic round-trip through the decoder', () => {
    for (const cfaPattern of ['RGGB', 'GBRG'] as const) {
      const gpr = encodeGpr({ ...ok, data: flat(42, 42, 2000), width: 42, height: 42, cfaPattern });
      const img = GprImage.open(gpr);
      expect([img.width, img.height, img.cfaPattern]).toEqual([42, 42, cfaPattern]);
      const raw = img.decodeRaw();
      // RGGB decodes to 14 bits, GBRG to 12 (reference behaviour): a flat 2000 comes back near 8000 or 2000.
      const expected = cfaPattern === 'RGGB' ? 8000 : 2000;
      for (const v of [raw.data[0], raw.data[raw.data.length - 1]])
        expect(Math.abs(v - expected)).toBeLessThan(expected * 0.02);
      img.close();
    }
  });

  test('metadata from a decoded GprImage is accepted and stored', () => {
    const gpr = encodeGpr({
      ...ok,
      metadata: {
        make: 'GoPro',
        model: 'HERO7 Black',
        exposureTime: 1 / 455,
        iso: 100,
        colorMatrix1: [1.5, 0, 0, 0, 1, 0, 0, 0, 1],
      },
    });
    const img = GprImage.open(gpr);
    const md = img.metadata;
    expect(md.model).toBe('HERO7 Black');
    expect(md.exposureTimeRational).toEqual([1, 455]);
    expect(md.iso).toBe(100);
    expect(md.colorMatrix1?.[0]).toBeCloseTo(1.5, 6);
    const again = GprImage.open(encodeGpr({ ...ok, metadata: md as unknown as Record<string, unknown> }));
    expect(again.metadata).toEqual(md);
    img.close();
    again.close();
  });
});
