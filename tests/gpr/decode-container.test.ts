// The container parser on small hand-built TIFFs around a real VC-5 payload: what it accepts (camera layout,
// big-endian TIFF, strip instead of tile) and the typed error for each structural fault.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { GprError, GprImage } from '../../src/gpr';
import { describeWithVectors, loadManifest, vectorPath } from '../helpers/vectors';

type Entry = [tag: number, type: number, values: number[]];
interface Options {
  bigEndian?: boolean;
  nextIfd?: 'self';
}

const TYPE_SIZE: Record<number, number> = { 1: 1, 3: 2, 4: 4 };

/** A one-IFD TIFF: header, IFD0 (entries sorted by tag), out-of-line values, then the payload at the end. */
function buildTiff(entries: Entry[], payload: Buffer, opts: Options = {}): Buffer {
  const le = !opts.bigEndian;
  const sorted = [...entries].sort((a, b) => a[0] - b[0]);
  const ifdSize = 2 + sorted.length * 12 + 4;
  let extraOffset = 8 + ifdSize;
  const extras: Buffer[] = [];
  const ifd = Buffer.alloc(ifdSize);
  const u16 = (b: Buffer, off: number, v: number) => (le ? b.writeUInt16LE(v, off) : b.writeUInt16BE(v, off));
  const u32 = (b: Buffer, off: number, v: number) => (le ? b.writeUInt32LE(v, off) : b.writeUInt32BE(v, off));
  u16(ifd, 0, sorted.length);
  const payloadOffset =
    extraOffset + sorted.reduce((n, [, t, v]) => n + (TYPE_SIZE[t] * v.length > 4 ? TYPE_SIZE[t] * v.length : 0), 0);
  sorted.forEach(([tag, type, values], i) => {
    const at = 2 + i * 12;
    u16(ifd, at, tag);
    u16(ifd, at + 2, type);
    u32(ifd, at + 4, values.length);
    const data = Buffer.alloc(Math.max(4, TYPE_SIZE[type] * values.length));
    values.forEach((v, k) => {
      const value = v === -1 ? payloadOffset : v; // -1 stands for "the payload's offset"
      if (type === 1) data.writeUInt8(value, k);
      else if (type === 3) u16(data, 2 * k, value);
      else u32(data, 4 * k, value);
    });
    if (data.length > 4) {
      u32(ifd, at + 8, extraOffset);
      extras.push(data);
      extraOffset += data.length;
    } else {
      data.copy(ifd, at + 8);
    }
  });
  u32(ifd, 2 + sorted.length * 12, opts.nextIfd === 'self' ? 8 : 0);
  const header = Buffer.alloc(8);
  header.write(le ? 'II' : 'MM', 0, 'latin1');
  u16(header, 2, 42);
  u32(header, 4, 8);
  return Buffer.concat([header, ifd, ...extras, payload]);
}

function rawEntries(w: number, h: number, payloadBytes: number): Entry[] {
  return [
    [254, 4, [0]],
    [256, 4, [w]],
    [257, 4, [h]],
    [258, 3, [16]],
    [259, 3, [9]],
    [262, 3, [32803]],
    [322, 4, [w]],
    [323, 4, [h]],
    [324, 4, [-1]],
    [325, 4, [payloadBytes]],
    [33421, 3, [2, 2]],
    [33422, 1, [0, 1, 1, 2]],
  ];
}

const replace = (entries: Entry[], tag: number, entry: Entry | undefined): Entry[] =>
  entries.flatMap((e) => (e[0] === tag ? (entry ? [entry] : []) : [e]));

function errorCode(bytes: Buffer): string {
  try {
    using img = GprImage.open(bytes);
    img.decodeRaw();
  } catch (err) {
    expect(err).toBeInstanceOf(GprError);
    return (err as GprError).code;
  }
  return 'decoded';
}

describeWithVectors('GPR container parsing on hand-built TIFFs', () => {
  const syn = (
    loadManifest().synthetic as {
      width: number;
      height: number;
      encodes: Record<
        string,
        { file: string; vc5_tile_offset: number; vc5_tile_bytes: number; decoded_raw: { sha256: string } }
      >;
    }[]
  )[0];
  const enc = syn.encodes.fs1;
  const file = fs.readFileSync(vectorPath(enc.file));
  const payload = file.subarray(enc.vc5_tile_offset, enc.vc5_tile_offset + enc.vc5_tile_bytes);
  const W = syn.width;
  const H = syn.height;
  const base = rawEntries(W, H, payload.length);
  const decodeSha = (bytes: Buffer): string => {
    using img = GprImage.open(bytes);
    return createHash('sha256').update(img.decodeRaw().data).digest('hex');
  };

  test('camera layout (raw image in IFD0) with the minimal tags decodes like the reference file', () => {
    const bytes = buildTiff(base, payload);
    using img = GprImage.open(bytes);
    expect(img.info.layout).toBe('ifd0');
    expect(decodeSha(bytes)).toBe(enc.decoded_raw.sha256);
  });

  test('a big-endian (MM) TIFF and a strip instead of a tile are accepted', () => {
    expect(decodeSha(buildTiff(base, payload, { bigEndian: true }))).toBe(enc.decoded_raw.sha256);
    const strip = replace(replace(replace(replace(base, 322, undefined), 323, undefined), 324, [273, 4, [-1]]), 325, [
      279,
      4,
      [payload.length],
    ]);
    expect(decodeSha(buildTiff(strip, payload))).toBe(enc.decoded_raw.sha256);
  });

  test.each<[string, string, () => Buffer]>([
    [
      'two tiles',
      'GPR_E_UNSUPPORTED',
      () =>
        buildTiff(
          replace(replace(base, 324, [324, 4, [-1, -1]]), 325, [325, 4, [payload.length, payload.length]]),
          payload,
        ),
    ],
    [
      'odd width',
      'GPR_E_UNSUPPORTED',
      () => buildTiff(replace(replace(base, 256, [256, 4, [W - 1]]), 322, [322, 4, [W - 1]]), payload),
    ],
    [
      'width below 42',
      'GPR_E_UNSUPPORTED',
      () => buildTiff(replace(replace(base, 256, [256, 4, [40]]), 322, [322, 4, [40]]), payload),
    ],
    [
      'container size differs from the VC-5 header',
      'GPR_E_CORRUPT',
      () => buildTiff(replace(replace(base, 256, [256, 4, [W + 2]]), 322, [322, 4, [W + 2]]), payload),
    ],
    ['tile smaller than the image', 'GPR_E_UNSUPPORTED', () => buildTiff(replace(base, 322, [322, 4, [32]]), payload)],
    ['IFD chain loops back to IFD0', 'GPR_E_CORRUPT', () => buildTiff(base, payload, { nextIfd: 'self' })],
    ['CFAPattern missing', 'GPR_E_CORRUPT', () => buildTiff(replace(base, 33422, undefined), payload)],
    [
      'CFAPattern neither RGGB nor GBRG',
      'GPR_E_UNSUPPORTED',
      () => buildTiff(replace(base, 33422, [33422, 1, [2, 1, 1, 0]]), payload),
    ],
    [
      'Compression 1 (an uncompressed DNG)',
      'GPR_E_UNSUPPORTED',
      () => buildTiff(replace(base, 259, [259, 3, [1]]), payload),
    ],
    [
      'no CFA image at all',
      'GPR_E_FORMAT',
      () => buildTiff(replace(replace(base, 259, [259, 3, [1]]), 262, [262, 3, [1]]), payload),
    ],
    [
      'tile byte count not a multiple of 4',
      'GPR_E_CORRUPT',
      () => buildTiff(replace(base, 325, [325, 4, [payload.length - 2]]), payload),
    ],
    [
      'VC-5 payload cut short (container consistent)',
      'GPR_E_CORRUPT',
      () => buildTiff(replace(base, 325, [325, 4, [payload.length - 400]]), payload.subarray(0, payload.length - 400)),
    ],
    [
      'tile runs past the end of the file',
      'GPR_E_TRUNCATED',
      () => buildTiff(base, payload.subarray(0, payload.length - 8)),
    ],
    [
      'VC-5 payload without its start marker',
      'GPR_E_CORRUPT',
      () => buildTiff(base, Buffer.concat([Buffer.alloc(4), payload.subarray(4)])),
    ],
  ])('%s -> %s', (_name, code, make) => {
    expect(errorCode(make())).toBe(code);
  });

  test('an IFD with zero entries is corrupt; a header pointing into itself too', () => {
    const empty = Buffer.from([0x49, 0x49, 42, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(errorCode(empty)).toBe('GPR_E_CORRUPT');
    const self = Buffer.from([0x49, 0x49, 42, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(errorCode(self)).toBe('GPR_E_CORRUPT');
  });
});
