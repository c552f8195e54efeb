// detectFormat: what a file or buffer holds, judged from its content (magic numbers and TIFF tags), never its name.
import * as fs from 'node:fs';
import { GprError } from './GprError';

export type DetectedFormat = 'gpr' | 'dng' | 'tiff' | 'jpeg' | 'png' | 'unknown';

type ReadAt = (offset: number, length: number) => Buffer;

const MAX_IFDS = 32;
const MAX_ENTRIES = 1024;

// Walks IFD0's chain and its SubIFDs: any IFD with Compression 9 (VC-5) makes a GPR; DNGVersion makes a DNG.
function classifyTiff(read: ReadAt, size: number): DetectedFormat {
  const head = read(0, 8);
  const le = head[0] === 0x49;
  const u16 = (b: Buffer, o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const queue: number[] = [u32(head, 4)];
  const seen = new Set<number>();
  let isDng = false;
  let isVc5 = false;
  while (queue.length > 0 && seen.size < MAX_IFDS) {
    const off = queue.shift() as number;
    if (off < 8 || off + 2 > size || seen.has(off)) continue;
    seen.add(off);
    const n = u16(read(off, 2), 0);
    if (n === 0 || n > MAX_ENTRIES || off + 2 + n * 12 + 4 > size) continue;
    const ifd = read(off + 2, n * 12 + 4);
    for (let i = 0; i < n; i++) {
      const e = i * 12;
      const tag = u16(ifd, e);
      const type = u16(ifd, e + 2);
      const count = u32(ifd, e + 4);
      if (tag === 50706) isDng = true;
      if (tag === 259 && type === 3 && u16(ifd, e + 8) === 9) isVc5 = true;
      if (tag === 330 && (type === 4 || type === 13) && count >= 1 && count <= MAX_IFDS) {
        if (count === 1) queue.push(u32(ifd, e + 8));
        else {
          const at = u32(ifd, e + 8);
          if (at + count * 4 <= size) {
            const list = read(at, count * 4);
            for (let k = 0; k < count; k++) queue.push(u32(list, k * 4));
          }
        }
      }
    }
    queue.push(u32(ifd, n * 12));
  }
  if (isVc5) return 'gpr';
  return isDng ? 'dng' : 'tiff';
}

function classify(read: ReadAt, size: number): DetectedFormat {
  if (size < 8) return 'unknown';
  const h = read(0, 8);
  if (h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff) return 'jpeg';
  if (h.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  const tiffLe = h[0] === 0x49 && h[1] === 0x49 && h[2] === 0x2a && h[3] === 0x00;
  const tiffBe = h[0] === 0x4d && h[1] === 0x4d && h[2] === 0x00 && h[3] === 0x2a;
  if (tiffLe || tiffBe) return classifyTiff(read, size);
  return 'unknown';
}

/**
 * Detects the format of a file (path) or of bytes: 'gpr', 'dng', 'tiff', 'jpeg', 'png' or 'unknown'
 * (headerless RAW samples are 'unknown'). Only reads the header and IFDs of a file, not the image data.
 */
export function detectFormat(input: string | Buffer | Uint8Array): DetectedFormat {
  if (typeof input === 'string') {
    let fd: number;
    try {
      fd = fs.openSync(input, 'r');
    } catch (err) {
      throw new GprError('GPR_E_IO', `cannot open ${input}: ${(err as Error).message}`, { cause: err });
    }
    try {
      const size = fs.fstatSync(fd).size;
      const read: ReadAt = (offset, length) => {
        const b = Buffer.alloc(length);
        const got = fs.readSync(fd, b, 0, length, offset);
        return got === length ? b : b.subarray(0, got);
      };
      return classify(read, size);
    } catch (err) {
      if (err instanceof GprError) throw err;
      if (err instanceof RangeError) return 'unknown';
      throw new GprError('GPR_E_IO', `cannot read ${input}: ${(err as Error).message}`, { cause: err });
    } finally {
      fs.closeSync(fd);
    }
  }
  if (!(input instanceof Uint8Array)) {
    throw new GprError('GPR_E_ARGUMENT', 'detectFormat: input must be a path, a Buffer or a Uint8Array');
  }
  const buf = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  try {
    return classify((offset, length) => buf.subarray(offset, offset + length), buf.length);
  } catch (err) {
    if (err instanceof RangeError) return 'unknown';
    throw err;
  }
}
