// The GPR checks `leakproof check` runs without a TARGET: the codec's main operations on images it encodes itself.
import { GprError } from '../../gpr/GprError';
import { GprImage } from '../../gpr/GprImage';
import { convert } from '../../gpr/convert';
import { encodeGpr, encodeGprAsync } from '../../gpr/encodeGpr';

/** One operation to repeat; `setup` runs before measuring and `teardown` after, outside the measured loop. */
export interface CheckCase {
  name: string;
  fn: () => unknown;
  setup?: () => void | Promise<void>;
  teardown?: () => void;
}

const WIDTH = 192;
const HEIGHT = 128;

/** A deterministic 12-bit RGGB test mosaic: gradient plus hashed noise (every wavelet band carries data). */
export function syntheticMosaic(width = WIDTH, height = HEIGHT): Uint16Array {
  const data = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const h = Math.imul(Math.imul(x + 1, 0x9e3779b1) ^ Math.imul(y + 7, 0x85ebca77), 0x2c1b3c6d) >>> 0;
      data[y * width + x] = Math.min(4095, (((x + y) * 4095) / (width + height) + (h & 63)) | 0);
    }
  }
  return data;
}

/** Calls fn, which must throw a GprError (what the error-path check expects of malformed input). */
function rejects(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (err instanceof GprError) return;
    throw err;
  }
  throw new Error('malformed input was accepted');
}

/** The bundled checks. The image is encoded lazily so listing the checks costs nothing. */
export function bundledChecks(): CheckCase[] {
  const mosaic = { data: syntheticMosaic(), width: WIDTH, height: HEIGHT, bitDepth: 12 as const };
  let gpr: Buffer = Buffer.alloc(0);
  let img: GprImage | undefined;
  const ensureGpr = (): void => {
    if (gpr.length === 0)
      gpr = encodeGpr({ ...mosaic, metadata: { make: 'GoPro', model: 'leakproof check', gpmf: Buffer.alloc(512, 7) } });
  };
  const openShared = (): void => {
    ensureGpr();
    img = GprImage.open(gpr);
  };
  const closeShared = (): void => {
    img?.close();
    img = undefined;
  };
  const shared = (): GprImage => {
    if (!img) throw new Error('check image not open');
    return img;
  };
  return [
    { name: 'gpr: open + close', setup: ensureGpr, fn: () => GprImage.open(gpr).close() },
    { name: 'gpr: open, dropped without close (finalizer)', setup: ensureGpr, fn: () => GprImage.open(gpr).info.width },
    {
      name: 'gpr: metadata + GPMF read',
      setup: ensureGpr,
      fn: () => {
        const i = GprImage.open(gpr);
        try {
          return i.metadata.gpmf.length;
        } finally {
          i.close();
        }
      },
    },
    { name: 'gpr: decodeRaw', setup: openShared, teardown: closeShared, fn: () => shared().decodeRaw() },
    { name: 'gpr: decodeRawAsync', setup: openShared, teardown: closeShared, fn: () => shared().decodeRawAsync() },
    {
      name: 'gpr: decodeRgb (resolution 2, 8-bit)',
      setup: openShared,
      teardown: closeShared,
      fn: () => shared().decodeRgb({ resolution: 2 }),
    },
    {
      name: 'gpr: decodeRgbAsync (resolution 8, 16-bit)',
      setup: openShared,
      teardown: closeShared,
      fn: () => shared().decodeRgbAsync({ resolution: 8, bits: 16 }),
    },
    { name: 'gpr: encodeGpr (fs1)', fn: () => encodeGpr({ ...mosaic, quality: 'fs1' }) },
    { name: 'gpr: encodeGprAsync (fast)', fn: () => encodeGprAsync({ ...mosaic, quality: 'fast' }) },
    { name: 'gpr: convert GPR -> DNG', setup: ensureGpr, fn: () => convert(gpr, { to: 'dng' }) },
    {
      name: 'gpr: malformed input rejected',
      setup: ensureGpr,
      fn: () => {
        rejects(() => GprImage.open(gpr.subarray(0, gpr.length >> 1)));
        rejects(() => GprImage.open(Buffer.from('not a gpr file')));
      },
    },
  ];
}
