// Documented decoder limits (native/gpr/gpr_limits.h, docs/hardening.md "Limits"): each is enforced with GPR_E_LIMIT
// before anything sized by the file's claim is allocated, and the value at the limit itself is still accepted.
// The files are built here around a real VC-5 payload from our encoder, so only the field under test is off.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GprError, GprImage, encodeVc5 } from '../../src/gpr';

const W = 64;
const H = 48;
const MAX_SIDE = 16384;
const MAX_PAYLOAD = 10_000_000;
const MAX_BLOCK = 4 * 1024 * 1024;
const MAX_ENTRIES = 1024;
const MAX_INPUT = 512 * 1024 * 1024;

interface Entry {
  tag: number;
  type: number;
  count: number;
  value?: number;
  data?: Buffer;
}

/** A little-endian TIFF: one IFD0 with `entries` (sorted here), out-of-line data after it, then the tile. */
function tiff(entries: Entry[], tile: Buffer, tileBytesOverride?: number): Buffer {
  const all: Entry[] = [...entries];
  const ifdSize = 2 + (all.length + 2) * 12 + 4;
  let dataPos = 8 + ifdSize;
  const blobs: Buffer[] = [];
  for (const e of all) {
    if (e.data && e.data.length > 4) {
      e.value = dataPos;
      blobs.push(e.data);
      dataPos += e.data.length + (e.data.length & 1);
      if (e.data.length & 1) blobs.push(Buffer.alloc(1));
    }
  }
  all.push(
    { tag: 324, type: 4, count: 1, value: dataPos },
    { tag: 325, type: 4, count: 1, value: tileBytesOverride ?? tile.length },
  );
  all.sort((a, b) => a.tag - b.tag);
  const head = Buffer.alloc(8 + ifdSize);
  head.write('II*\0', 0, 'latin1');
  head.writeUInt32LE(8, 4);
  head.writeUInt16LE(all.length, 8);
  all.forEach((e, i) => {
    const o = 10 + i * 12;
    head.writeUInt16LE(e.tag, o);
    head.writeUInt16LE(e.type, o + 2);
    head.writeUInt32LE(e.count, o + 4);
    if (e.data && e.data.length <= 4) e.data.copy(head, o + 8);
    else if (e.type === 3 && e.count === 1) head.writeUInt16LE(e.value ?? 0, o + 8);
    else head.writeUInt32LE(e.value ?? 0, o + 8);
  });
  return Buffer.concat([head, ...blobs, tile]);
}

/** The raw-image tags of a GPR (IFD0 layout) claiming `w` x `h`, plus `extra` entries. */
function gprEntries(w: number, h: number, extra: Entry[] = []): Entry[] {
  return [
    { tag: 254, type: 4, count: 1, value: 0 },
    { tag: 256, type: 4, count: 1, value: w },
    { tag: 257, type: 4, count: 1, value: h },
    { tag: 259, type: 3, count: 1, value: 9 },
    { tag: 262, type: 3, count: 1, value: 32803 },
    { tag: 322, type: 4, count: 1, value: w },
    { tag: 323, type: 4, count: 1, value: h },
    { tag: 33421, type: 3, count: 2, data: Buffer.from([2, 0, 2, 0]) },
    { tag: 33422, type: 1, count: 4, data: Buffer.from([0, 1, 1, 2]) },
    ...extra,
  ];
}

function payload(): Buffer {
  const data = new Uint16Array(W * H);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 4096;
  return encodeVc5({ data, width: W, height: H, bitDepth: 12 });
}

/** The payload with its VC-5 header's ImageWidth (tag 20) / ImageHeight (tag 21) segments rewritten. */
function withVc5Size(p: Buffer, w: number, h: number): Buffer {
  const out = Buffer.from(p);
  for (let o = 4; o + 4 <= 64 && o + 4 <= out.length; o += 4) {
    const tag = out.readInt16BE(o);
    if (tag === 20) out.writeUInt16BE(w, o + 2);
    if (tag === 21) out.writeUInt16BE(h, o + 2);
  }
  return out;
}

function errorOf(fn: () => unknown): GprError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GprError);
    return err as GprError;
  }
  throw new Error('expected a GprError, but the call succeeded');
}

const open = (b: Buffer) => () => GprImage.open(b).close();

describe('decoder limits (GPR_E_LIMIT before allocation)', () => {
  const p = payload();

  test('the helper builds a valid GPR: the baseline opens and decodes', () => {
    using img = GprImage.open(tiff(gprEntries(W, H), p));
    expect(img.width).toBe(W);
    expect(img.decodeRaw({ resolution: 1 }).data.length).toBe(W * H);
  });

  describe('largest dimensions: 16384 per side, 128,000,000 pixels', () => {
    test.each([
      [MAX_SIDE + 2, H],
      [W, MAX_SIDE + 2],
      [MAX_SIDE, 7814], // 128,024,576 pixels: each side within, the area over 128,000,000
      [MAX_SIDE, MAX_SIDE],
      [0xffffffff - 1, H],
    ])('container claiming %ix%i is refused with GPR_E_LIMIT', (w, h) => {
      const e = errorOf(open(tiff(gprEntries(w, h), p)));
      expect(e.code).toBe('GPR_E_LIMIT');
      expect(e.message).toMatch(/exceeds the limit/);
    });

    test.each([
      [MAX_SIDE, H],
      [MAX_SIDE, 7812], // 127,991,808 pixels
    ])('container claiming %ix%i passes the limit check (then fails on the VC-5 size mismatch)', (w, h) => {
      const e = errorOf(open(tiff(gprEntries(w, h), p)));
      expect(e.code).toBe('GPR_E_CORRUPT');
      expect(e.message).toMatch(/VC-5 header says/);
    });

    test.each([
      [MAX_SIDE + 2, H],
      [65534, 65534],
    ])('VC-5 header claiming %ix%i is refused with GPR_E_LIMIT', (w, h) => {
      const e = errorOf(open(tiff(gprEntries(W, H), withVc5Size(p, w, h))));
      expect(e.code).toBe('GPR_E_LIMIT');
      expect(e.message).toMatch(/VC-5 header declares/);
    });

    test('a tiny file claiming the largest size allocates nothing on its behalf', () => {
      const file = tiff(gprEntries(MAX_SIDE, MAX_SIDE), p); // would be 512 MiB of RAW output
      const before = process.memoryUsage().rss;
      for (let i = 0; i < 20; i++) expect(errorOf(open(file)).code).toBe('GPR_E_LIMIT');
      expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
    });
  });

  describe('largest VC-5 payload: 10,000,000 bytes', () => {
    test('a tile of exactly 10,000,000 bytes (payload + zero tail) opens and decodes', () => {
      const tile = Buffer.concat([p, Buffer.alloc(MAX_PAYLOAD - p.length)]);
      using img = GprImage.open(tiff(gprEntries(W, H), tile));
      expect(img.info.vc5).toBeDefined();
      expect(img.decodeRaw({ resolution: 1 }).data.length).toBe(W * H);
    });

    test('a tile of 10,000,004 bytes is refused with GPR_E_LIMIT', () => {
      const tile = Buffer.concat([p, Buffer.alloc(MAX_PAYLOAD + 4 - p.length)]);
      const e = errorOf(open(tiff(gprEntries(W, H), tile)));
      expect(e.code).toBe('GPR_E_LIMIT');
      expect(e.message).toMatch(/10000004 bytes exceeds the limit of 10000000/);
    });

    test('a 4 GiB TileByteCounts in a small file is refused before any copy (truncation)', () => {
      const e = errorOf(open(tiff(gprEntries(W, H), p, 0xfffffffc)));
      expect(['GPR_E_TRUNCATED', 'GPR_E_LIMIT']).toContain(e.code);
    });
  });

  describe('largest metadata block: 4 MiB per tag value', () => {
    test('a 4 MiB XMP block (the limit) is read in full', () => {
      const xmp = Buffer.alloc(MAX_BLOCK, 0x41);
      using img = GprImage.open(tiff(gprEntries(W, H, [{ tag: 700, type: 1, count: MAX_BLOCK, data: xmp }]), p));
      expect(img.metadata.xmp.length).toBe(MAX_BLOCK);
    });

    test('a 4 MiB + 1 block is refused with GPR_E_LIMIT although the bytes are present', () => {
      const xmp = Buffer.alloc(MAX_BLOCK + 1, 0x41);
      const e = errorOf(open(tiff(gprEntries(W, H, [{ tag: 700, type: 1, count: MAX_BLOCK + 1, data: xmp }]), p)));
      expect(e.code).toBe('GPR_E_LIMIT');
      expect(e.message).toMatch(/tag 700 .* declares 4194305 bytes of data \(limit 4194304\)/);
    });

    test('a count whose byte size overflows 32 bits is refused with GPR_E_LIMIT, not wrapped', () => {
      // 0x20000001 DOUBLEs = 4 GiB + 8 bytes: would wrap to 8 in 32-bit arithmetic.
      const e = errorOf(open(tiff(gprEntries(W, H, [{ tag: 50741, type: 12, count: 0x20000001, value: 8 }]), p)));
      expect(e.code).toBe('GPR_E_LIMIT');
    });

    test('an IFD with more than 1024 entries is refused with GPR_E_LIMIT', () => {
      const filler: Entry[] = [];
      for (let i = 0; i < MAX_ENTRIES; i++) filler.push({ tag: 40000 + i, type: 3, count: 1, value: 0 });
      const e = errorOf(open(tiff(gprEntries(W, H, filler), p)));
      expect(e.code).toBe('GPR_E_LIMIT');
      expect(e.message).toMatch(/entries \(limit 1024\)/);
    });
  });

  describe('largest input file: 512 MiB', () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-limits-'));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    test('a (sparse) file one byte over the limit is refused from its size, before it is read', async () => {
      const file = path.join(dir, 'huge.gpr');
      fs.writeFileSync(file, tiff(gprEntries(W, H), p));
      fs.truncateSync(file, MAX_INPUT + 1); // sparse: no disk space, no memory
      const before = process.memoryUsage().rss;
      expect(errorOf(() => GprImage.open(file)).code).toBe('GPR_E_LIMIT');
      await expect(GprImage.openAsync(file)).rejects.toMatchObject({ code: 'GPR_E_LIMIT' });
      expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 * 1024);
    });
  });
});
