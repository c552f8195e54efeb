// The GprImage API contract: sync/async equivalence, concurrency, the event loop staying free, close semantics,
// argument validation, and robustness against random corruption.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GprError, GprImage } from '../../src/gpr';
import { describeWithVectors, loadManifest, vectorPath } from '../helpers/vectors';

const sha256 = (data: ArrayBufferView): string =>
  createHash('sha256')
    .update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    .digest('hex');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GprError);
    return (err as GprError).code;
  }
  return undefined;
}

describeWithVectors('GprImage API', () => {
  const manifest = loadManifest();
  const hero6 = (manifest.camera as { file: string; decoded_raw: { sha256: string } }[])[0];
  const small = (
    manifest.synthetic as { encodes: Record<string, { file: string; decoded_raw: { sha256: string } }> }[]
  )[2].encodes.fs1;

  test('open from a path and from a Buffer give the same image', () => {
    using a = GprImage.open(vectorPath(small.file));
    using b = GprImage.open(fs.readFileSync(vectorPath(small.file)));
    expect(a.info).toEqual(b.info);
    expect(sha256(a.decodeRaw().data)).toBe(sha256(b.decodeRaw().data));
  });

  test('the input buffer is copied: changing it after open does not change the decode', () => {
    const bytes = new Uint8Array(fs.readFileSync(vectorPath(small.file)));
    using img = GprImage.open(bytes);
    bytes.fill(0);
    expect(sha256(img.decodeRaw().data)).toBe(small.decoded_raw.sha256);
  });

  test('decodeRawAsync equals decodeRaw, with and without threads', async () => {
    const img = await GprImage.openAsync(vectorPath(hero6.file));
    try {
      const sync = img.decodeRaw({ resolution: 1 });
      const threaded = img.decodeRaw({ resolution: 1, threads: 4 });
      const async1 = await img.decodeRawAsync({ resolution: 1 });
      const async2 = await img.decodeRawAsync({ resolution: 1, threads: 2 });
      for (const r of [sync, threaded, async1, async2]) expect(sha256(r.data)).toBe(hero6.decoded_raw.sha256);
      expect([async1.width, async1.height]).toEqual([sync.width, sync.height]);
    } finally {
      img.close();
    }
  });

  test('decodeRgbAsync equals decodeRgb', async () => {
    using img = GprImage.open(vectorPath(hero6.file));
    const a = img.decodeRgb({ resolution: 8, bits: 16 });
    const b = await img.decodeRgbAsync({ resolution: 8, bits: 16 });
    // Typed arrays made by the addon belong to Node's main realm, not Jest's sandbox: compare by name.
    expect(b.data.constructor.name).toBe('Uint16Array');
    expect(sha256(b.data)).toBe(sha256(a.data));
    const c = await img.decodeRgbAsync({ resolution: 16 });
    expect(c.data.constructor.name).toBe('Uint8Array');
    expect(c.bits).toBe(8);
  });

  test('several concurrent async decodes of different images all come back correct', async () => {
    const cams = manifest.camera as { file: string; decoded_raw: { sha256: string } }[];
    const imgs = await Promise.all(cams.map((c) => GprImage.openAsync(vectorPath(c.file))));
    try {
      const results = await Promise.all(imgs.map((img, i) => img.decodeRawAsync({ threads: 1 + (i % 2) })));
      results.forEach((r, i) => expect(sha256(r.data)).toBe(cams[i].decoded_raw.sha256));
    } finally {
      imgs.forEach((img) => img.close());
    }
  });

  test('the event loop keeps running during decodeRawAsync', async () => {
    using img = GprImage.open(vectorPath(hero6.file));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const started = process.hrtime.bigint();
    try {
      for (let i = 0; i < 2; i++) await img.decodeRawAsync();
    } finally {
      clearInterval(timer);
    }
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    // A blocked loop would tick about once per decode; a free one ticks through most of the elapsed time.
    expect(ticks).toBeGreaterThan(Math.min(20, elapsedMs / 10));
  });

  test('close(): idempotent; every later call throws GPR_E_CLOSED; Symbol.dispose closes', async () => {
    const img = GprImage.open(vectorPath(small.file));
    expect(img.closed).toBe(false);
    img.close();
    img.close();
    expect(img.closed).toBe(true);
    expect(codeOf(() => img.width)).toBe('GPR_E_CLOSED');
    expect(codeOf(() => img.info)).toBe('GPR_E_CLOSED');
    expect(codeOf(() => img.metadata)).toBe('GPR_E_CLOSED');
    expect(codeOf(() => img.decodeRaw())).toBe('GPR_E_CLOSED');
    expect(codeOf(() => img.decodeRgb({ resolution: 4 }))).toBe('GPR_E_CLOSED');
    await expect(img.decodeRawAsync()).rejects.toMatchObject({ code: 'GPR_E_CLOSED' });
    await expect(img.decodeRgbAsync({ resolution: 4 })).rejects.toMatchObject({ code: 'GPR_E_CLOSED' });
    let leaked: GprImage | undefined;
    {
      using scoped = GprImage.open(vectorPath(small.file));
      leaked = scoped;
      expect(scoped.width).toBe(640);
    }
    expect(leaked.closed).toBe(true);
  });

  test('closing while an async decode runs does not disturb that decode', async () => {
    const img = GprImage.open(vectorPath(hero6.file));
    const pending = img.decodeRawAsync();
    img.close();
    expect(sha256((await pending).data)).toBe(hero6.decoded_raw.sha256);
  });

  test('argument errors name the argument', () => {
    using img = GprImage.open(vectorPath(small.file));
    const cases: [() => unknown, RegExp][] = [
      [() => GprImage.open(42 as unknown as string), /expected a file path or a Buffer/],
      [() => GprImage.open(''), /path must not be empty/],
      [() => img.decodeRaw({ resolution: 2 as 1 }), /resolution must be 1/],
      [() => img.decodeRaw({ threads: 0 }), /threads must be an integer/],
      [() => img.decodeRaw({ threads: 1.5 }), /threads must be an integer/],
      [() => img.decodeRaw('fast' as never), /options must be an object/],
      [() => img.decodeRgb(undefined as never), /resolution: 2 \| 4 \| 8 \| 16/],
      [() => img.decodeRgb({ resolution: 1 as 2 }), /resolution must be 2, 4, 8 or 16, received 1/],
      [() => img.decodeRgb({ resolution: 4, bits: 12 as 8 }), /bits must be 8 or 16, received 12/],
    ];
    for (const [fn, message] of cases) {
      expect(fn).toThrow(GprError);
      expect(fn).toThrow(message);
      expect(codeOf(fn)).toBe('GPR_E_ARGUMENT');
    }
  });

  test('a missing file is GPR_E_IO (sync and async)', async () => {
    const missing = path.join(os.tmpdir(), 'leakproof-no-such-file.gpr');
    expect(codeOf(() => GprImage.open(missing))).toBe('GPR_E_IO');
    await expect(GprImage.openAsync(missing)).rejects.toMatchObject({ code: 'GPR_E_IO' });
  });

  test('a GBRG file decodes to 12-bit samples in GBRG order (same components, format doc 2.6 / 6.2)', () => {
    const bytes = Buffer.from(fs.readFileSync(vectorPath(small.file)));
    // The raw IFD's CFAPattern entry: tag 33422, BYTE x4, value 0,1,1,2 (RGGB) stored inline.
    const entry = Buffer.from([0x8e, 0x82, 0x01, 0x00, 0x04, 0x00, 0x00, 0x00, 0, 1, 1, 2]);
    const at = bytes.indexOf(entry);
    expect(at).toBeGreaterThan(0);
    Buffer.from([1, 2, 0, 1]).copy(bytes, at + 8);
    using rggb = GprImage.open(vectorPath(small.file));
    using gbrg = GprImage.open(bytes);
    expect(gbrg.cfaPattern).toBe('GBRG');
    expect(gbrg.info.bitDepth).toBe(12);
    const a = rggb.decodeRaw().data;
    const b = gbrg.decodeRaw().data;
    const w = rggb.width;
    let mismatches = 0;
    for (let y = 0; y < rggb.height; y += 2) {
      for (let x = 0; x < w; x += 2) {
        const r = a[y * w + x],
          g1 = a[y * w + x + 1],
          g2 = a[(y + 1) * w + x],
          bl = a[(y + 1) * w + x + 1];
        // 14-bit RGGB = DLOG >> 2, 12-bit = DLOG >> 4; GBRG cells are G1 B / R G2.
        if (
          b[y * w + x] !== g1 >> 2 ||
          b[y * w + x + 1] !== bl >> 2 ||
          b[(y + 1) * w + x] !== r >> 2 ||
          b[(y + 1) * w + x + 1] !== g2 >> 2
        ) {
          mismatches++;
        }
      }
    }
    expect(mismatches).toBe(0);
    expect(b.reduce((m, v) => Math.max(m, v), 0)).toBeLessThanOrEqual(4095);
  });

  test('random corruption of a small GPR never crashes: each variant decodes or throws a GprError', () => {
    const base = fs.readFileSync(vectorPath(small.file));
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    const codes = new Set<string>();
    for (let i = 0; i < 150; i++) {
      const bytes = Buffer.from(base);
      const flips = 1 + rand(8);
      for (let f = 0; f < flips; f++) bytes[rand(bytes.length)] ^= 1 << rand(8);
      if (i % 10 === 0) bytes.subarray(rand(bytes.length)).fill(0);
      try {
        using img = GprImage.open(bytes);
        const raw = img.decodeRaw();
        expect(raw.data.length).toBe(img.width * img.height);
        codes.add('ok');
      } catch (err) {
        expect(err).toBeInstanceOf(GprError);
        codes.add((err as GprError).code);
      }
    }
    expect(codes.size).toBeGreaterThan(1);
  });
});
