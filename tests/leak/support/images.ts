// Test images for the leak suites, made by the project's own encoder from synthetic pixels (no ../shared needed).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { convert, encodeGpr } from './gpr';

export interface Mosaic {
  data: Uint16Array;
  width: number;
  height: number;
  bitDepth: 12 | 14;
  cfaPattern: 'RGGB' | 'GBRG';
}

/**
 * A deterministic Bayer mosaic: a diagonal gradient, a bright square and hashed noise, so every wavelet band carries
 * data. Small on purpose (256x192 by default): the suites repeat each operation hundreds of times.
 */
export function makeMosaic(
  width = 256,
  height = 192,
  bitDepth: 12 | 14 = 12,
  cfaPattern: 'RGGB' | 'GBRG' = 'RGGB',
  seed = 1,
): Mosaic {
  const max = (1 << bitDepth) - 1;
  const data = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let h = Math.imul(x + 1, 0x9e3779b1) ^ Math.imul(y + 7, 0x85ebca77) ^ Math.imul(seed, 0xc2b2ae3d);
      h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
      const noise = (h & 63) - 32;
      let v = ((x + y) * max) / (width + height) + noise;
      if (x > width / 3 && x < width / 2 && y > height / 3 && y < height / 2) v = max * 0.9 + noise;
      data[y * width + x] = Math.max(0, Math.min(max, Math.round(v)));
    }
  }
  return { data, width, height, bitDepth, cfaPattern };
}

/** A recognisable GPMF-like payload (the codec stores it byte for byte in DNGPrivateData). */
export function makeGpmf(bytes = 1536): Buffer {
  const b = Buffer.alloc(bytes);
  b.write('DEVC', 0, 'latin1');
  for (let i = 8; i < bytes; i++) b[i] = (i * 131) & 0xff;
  return b;
}

export const METADATA = {
  make: 'GoPro',
  model: 'leakproof synthetic',
  iso: 200,
  exposureTime: 1 / 240,
  fNumber: 2.8,
  focalLength: 3,
} as const;

export interface Fixtures {
  dir: string;
  mosaic: Mosaic;
  /** 12-bit RGGB, fs1 quality, with metadata and a GPMF block. */
  gpr: Buffer;
  gprPath: string;
  /** 14-bit GBRG, fast quality. */
  gpr14: Buffer;
  /** Uncompressed DNG of `gpr`. */
  dng: Buffer;
  dngPath: string;
  /** Headerless RAW samples of `gpr` (as decodeRaw returns them) and their description. */
  raw: Buffer;
  rawInfo: { width: number; height: number; cfaPattern: 'RGGB' | 'GBRG'; bitDepth: 12 | 14 };
  gpmf: Buffer;
}

/** Encodes the fixtures and writes the path-based ones to a fresh temporary folder. Call cleanup() in afterAll. */
export async function makeFixtures(): Promise<Fixtures & { cleanup: () => void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-leak-'));
  const mosaic = makeMosaic();
  const gpmf = makeGpmf();
  const gpr = encodeGpr({ ...mosaic, quality: 'fs1', metadata: { ...METADATA, gpmf } });
  const m14 = makeMosaic(192, 128, 14, 'GBRG', 2);
  const gpr14 = encodeGpr({ ...m14, quality: 'fast' });
  const dng = (await convert(gpr, { to: 'dng' })) as Buffer;
  const raw = (await convert(gpr, { to: 'raw' })) as Buffer;
  const gprPath = path.join(dir, 'synthetic.gpr');
  const dngPath = path.join(dir, 'synthetic.dng');
  fs.writeFileSync(gprPath, gpr);
  fs.writeFileSync(dngPath, dng);
  return {
    dir,
    mosaic,
    gpr,
    gprPath,
    gpr14,
    dng,
    dngPath,
    raw,
    // decodeRaw of an RGGB file gives 14-bit samples (the reference decoder's output scale).
    rawInfo: { width: mosaic.width, height: mosaic.height, cfaPattern: 'RGGB', bitDepth: 14 },
    gpmf,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
