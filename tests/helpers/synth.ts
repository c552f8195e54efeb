// Port of ../shared/vectors/tools/gen_synth.py (integer-only): regenerates the synthetic 12-bit RGGB inputs exactly.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const NOISE_AMP = 24;
const GAINS = [205, 256, 256, 166];

function hash32(x: number, y: number, seed: number): number {
  let h = (Math.imul(x, 0x9e3779b1) + Math.imul(y, 0x85ebca77) + Math.imul(seed, 0xc2b2ae3d) + 0x27d4eb2f) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h = (h ^ (h >>> 13)) >>> 0;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** The generator's image: width x height uint16 samples (0..4095), row-major, RGGB. */
export function generateSynth(w: number, h: number, seed = 1): Uint16Array {
  const out = new Uint16Array(w * h);
  const cx = Math.floor(((1100 + 3400) * w) / 8192);
  const cy = Math.floor(((2300 + 4096) * h) / 8192);
  for (let y = 0; y < h; y++) {
    const v = Math.floor((y * 4096) / h);
    for (let x = 0; x < w; x++) {
      const u = Math.floor((x * 4096) / w);
      let s = 256 + Math.floor((3 * u) / 8) + Math.floor(v / 4);
      if (u >= 1200 && u < 2000 && v >= 600 && v < 1800) s = u >= 1400 && u < 1800 && v >= 900 && v < 1500 ? 150 : 3600;
      if (u >= 2200 && u < 3300 && v >= 400 && v < 1600) s = ((x >> 3) + (y >> 3)) & 1 ? 2800 : 800;
      if (u >= 1100 && u < 3400 && v >= 2300) {
        const dx = x - cx;
        const dy = y - cy;
        const ph = ((dx * dx + dy * dy) >> 2) & 1023;
        const tri = ph >= 512 ? ph - 512 : 512 - ph;
        s = s + tri - 256;
      }
      if (u >= 100 && u < 900 && v >= 3000 && v < 3800) s = (x >> 1) & 1 ? 2000 : 1000;
      if (Math.abs(x * h - y * w) <= w + h) s = 3000;
      const c = ((y & 1) << 1) | (x & 1);
      let val = (s * GAINS[c]) >> 8;
      const r = hash32(x, y, seed);
      const triN = (r & 0xff) + ((r >>> 8) & 0xff) - 255;
      const noise = triN >= 0 ? Math.floor((triN * NOISE_AMP) / 256) : -Math.floor((-triN * NOISE_AMP) / 256);
      val += noise;
      if (val < 0) val = 0;
      else if (val > 4095) val = 4095;
      if (u >= 3500 && v < 500) val = 4095;
      if (u >= 3500 && v >= 3600) val = 0;
      out[y * w + x] = val;
    }
  }
  return out;
}

/**
 * The generator's image through a cache in the OS temp folder (large sizes take seconds to generate on a busy
 * machine). Callers still check the result against the manifest's sha256, so a stale cache cannot pass unnoticed.
 */
export function synthInputCached(w: number, h: number, seed = 1): Uint16Array {
  const file = path.join(os.tmpdir(), `leakproof-synth-${w}x${h}-seed${seed}.u16`);
  try {
    const b = fs.readFileSync(file);
    if (b.length === w * h * 2) return new Uint16Array(new Uint8Array(b).buffer);
  } catch {
    // not cached yet
  }
  const d = generateSynth(w, h, seed);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, Buffer.from(d.buffer));
  fs.renameSync(tmp, file);
  return d;
}
