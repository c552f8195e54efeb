// Malformed inputs made from a valid GPR of our own encoder: truncation, bad magic, bad offsets and counts, absurd
// sizes and flipped bits. Each kind names the error codes the decoder may answer with (all are typed GprErrors).

export interface MalformedInput {
  name: string;
  bytes: Buffer;
  /** Codes open() may throw; empty means open() may also succeed (the damage shows at decode time, if at all). */
  codes: readonly string[];
}

interface Entry {
  /** Byte offset of the 12-byte IFD entry. */
  at: number;
  tag: number;
  type: number;
  count: number;
  value: number;
}

/** IFD0 entries of a little-endian TIFF (our encoder writes little-endian). */
export function ifd0Entries(b: Buffer): Entry[] {
  const ifd = b.readUInt32LE(4);
  const n = b.readUInt16LE(ifd);
  const out: Entry[] = [];
  for (let i = 0; i < n; i++) {
    const at = ifd + 2 + i * 12;
    out.push({
      at,
      tag: b.readUInt16LE(at),
      type: b.readUInt16LE(at + 2),
      count: b.readUInt32LE(at + 4),
      value: b.readUInt32LE(at + 8),
    });
  }
  return out;
}

function entry(b: Buffer, tag: number): Entry {
  const e = ifd0Entries(b).find((x) => x.tag === tag);
  if (!e) throw new Error(`fixture has no tag ${tag} in IFD0`);
  return e;
}

function patched(b: Buffer, edit: (c: Buffer) => void): Buffer {
  const c = Buffer.from(b);
  edit(c);
  return c;
}

/** Deterministic bit flips (xorshift) in [from, to). */
function flipBits(b: Buffer, from: number, to: number, flips: number, seed: number): Buffer {
  const c = Buffer.from(b);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < flips; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    const pos = from + (s % (to - from));
    c[pos] ^= 1 << (s >>> 29);
  }
  return c;
}

const TILE_OFFSETS = 324;
const TILE_BYTE_COUNTS = 325;
const IMAGE_WIDTH = 256;
const COMPRESSION = 259;

/** Every kind of damage the suites feed the decoder, built from `gpr`. */
export function malformedInputs(gpr: Buffer): MalformedInput[] {
  const tile = entry(gpr, TILE_OFFSETS).value;
  const tileBytes = entry(gpr, TILE_BYTE_COUNTS).value;
  const ifd = gpr.readUInt32LE(4);
  const structural = ['GPR_E_FORMAT', 'GPR_E_TRUNCATED', 'GPR_E_CORRUPT', 'GPR_E_UNSUPPORTED', 'GPR_E_LIMIT'];
  return [
    { name: 'empty input', bytes: Buffer.alloc(0), codes: ['GPR_E_FORMAT', 'GPR_E_TRUNCATED'] },
    { name: 'truncated inside the header', bytes: gpr.subarray(0, 6), codes: ['GPR_E_TRUNCATED', 'GPR_E_FORMAT'] },
    { name: 'truncated inside IFD0', bytes: gpr.subarray(0, ifd + 40), codes: ['GPR_E_TRUNCATED', 'GPR_E_CORRUPT'] },
    {
      name: 'truncated inside the VC-5 tile',
      bytes: gpr.subarray(0, tile + (tileBytes >> 1)),
      codes: ['GPR_E_TRUNCATED', 'GPR_E_CORRUPT'],
    },
    { name: 'last byte missing', bytes: gpr.subarray(0, gpr.length - 1), codes: structural },
    { name: 'bad magic', bytes: patched(gpr, (c) => c.write('XY', 0, 'latin1')), codes: ['GPR_E_FORMAT'] },
    {
      name: 'bad TIFF version',
      bytes: patched(gpr, (c) => c.writeUInt16LE(43, 2)),
      codes: ['GPR_E_FORMAT', 'GPR_E_UNSUPPORTED'],
    },
    {
      name: 'IFD0 offset past the end',
      bytes: patched(gpr, (c) => c.writeUInt32LE(0xfffffff0, 4)),
      codes: ['GPR_E_TRUNCATED', 'GPR_E_CORRUPT'],
    },
    { name: 'IFD0 entry count absurd', bytes: patched(gpr, (c) => c.writeUInt16LE(0xffff, ifd)), codes: structural },
    {
      name: 'tile offset past the end',
      bytes: patched(gpr, (c) => c.writeUInt32LE(0x7ffffff0, entry(c, TILE_OFFSETS).at + 8)),
      codes: structural,
    },
    {
      name: 'tile byte count absurd',
      bytes: patched(gpr, (c) => c.writeUInt32LE(0x7ffffff0, entry(c, TILE_BYTE_COUNTS).at + 8)),
      codes: structural,
    },
    {
      name: 'image width absurd',
      bytes: patched(gpr, (c) => c.writeUInt32LE(1_000_000, entry(c, IMAGE_WIDTH).at + 8)),
      codes: structural,
    },
    {
      name: 'unknown compression',
      bytes: patched(gpr, (c) => c.writeUInt16LE(7, entry(c, COMPRESSION).at + 8)),
      codes: structural,
    },
    { name: 'bits flipped in IFD0', bytes: flipBits(gpr, ifd, ifd + 2 + 12 * 20, 8, 7), codes: [] },
    { name: 'bits flipped in the VC-5 payload', bytes: flipBits(gpr, tile, tile + tileBytes, 64, 11), codes: [] },
    {
      name: 'bits flipped in the band data',
      bytes: flipBits(gpr, tile + (tileBytes >> 1), tile + tileBytes, 16, 5),
      codes: [],
    },
    { name: 'VC-5 payload zeroed', bytes: patched(gpr, (c) => c.fill(0, tile, tile + tileBytes)), codes: [] },
  ];
}
