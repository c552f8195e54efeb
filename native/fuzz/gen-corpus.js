#!/usr/bin/env node
// Regenerates the seed corpora in native/fuzz/corpus/<target>/ from the project's own encodes (deterministic
// inputs, so a rerun writes the same bytes). Needs the compiled package: `npm run build` and the native addon.
// Shared test vectors are never copied here; run.js adds them at run time when ../shared/vectors exists.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const gpr = require(path.join(root, 'dist', 'src', 'gpr'));
const corpus = path.join(__dirname, 'corpus');

// Small deterministic PRNG (mulberry32) for pixel noise.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A Bayer image: smooth gradient plus noise, so every subband has non-zero coefficients and zero runs.
function mosaic(width, height, bitDepth, seed) {
  const max = bitDepth === 14 ? 16383 : 4095;
  const r = rng(seed);
  const data = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const base = ((x + y) / (width + height)) * max * 0.8;
      const noise = (r() - 0.5) * max * (seed % 3 === 0 ? 0.02 : 0.3);
      data[y * width + x] = Math.max(0, Math.min(max, Math.round(base + noise + ((x ^ y) & 1) * max * 0.05)));
    }
  }
  return data;
}

const META = {
  make: 'GoPro',
  model: 'FUZZ SEED',
  gpmf: Buffer.from('DEVC\x00\x00\x00\x08STRM\x00\x00\x00\x00', 'latin1'),
  exposureTime: 1 / 120,
  iso: 100,
};

const SEEDS = [
  { w: 42, h: 42, bitDepth: 12, quality: 'fs1', cfaPattern: 'RGGB', seed: 1 },
  { w: 64, h: 48, bitDepth: 14, quality: 'fs1', cfaPattern: 'RGGB', seed: 2, metadata: META },
  { w: 48, h: 64, bitDepth: 12, quality: 'fast', cfaPattern: 'GBRG', seed: 3 },
  { w: 96, h: 64, bitDepth: 14, quality: 'fast', cfaPattern: 'RGGB', seed: 4, metadata: META },
  { w: 44, h: 130, bitDepth: 12, quality: 'fs1', cfaPattern: 'GBRG', seed: 5 },
];

function write(target, name, bytes) {
  const dir = path.join(corpus, target);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, name), bytes);
}

async function main() {
  for (const s of SEEDS) {
    const opts = {
      data: mosaic(s.w, s.h, s.bitDepth, s.seed),
      width: s.w,
      height: s.h,
      bitDepth: s.bitDepth,
      quality: s.quality,
      cfaPattern: s.cfaPattern,
      metadata: s.metadata,
    };
    const tag = `${s.w}x${s.h}-${s.bitDepth}bit-${s.quality}-${s.cfaPattern.toLowerCase()}${s.metadata ? '-meta' : ''}`;
    const file = gpr.encodeGpr(opts);
    const payload = gpr.encodeVc5(opts);
    const dng = await gpr.convert(file, { to: 'dng' });
    for (const t of ['tiff', 'vc5_file', 'convert']) write(t, `${tag}.gpr`, file);
    for (const t of ['tiff', 'convert']) write(t, `${tag}.dng`, dng);
    write('vc5_payload', `${tag}.vc5`, payload);
    // Encoder seed: the 8-byte parameter header fuzz_encode.cc reads, then the first pixels as little-endian u16.
    const head = Buffer.alloc(8);
    head.writeUInt16LE((s.w - 42) / 2, 0);
    head.writeUInt16LE((s.h - 42) / 2, 2);
    head[4] = (s.bitDepth === 14 ? 1 : 0) | (s.quality === 'fast' ? 2 : 0) | (s.cfaPattern === 'GBRG' ? 4 : 0);
    head[6] = 0; // even: sample values are masked to the bit depth
    const px = Buffer.from(opts.data.buffer, opts.data.byteOffset, Math.min(opts.data.byteLength, 512));
    write('encode', `${tag}.enc`, Buffer.concat([head, px]));
  }
  // Encoder edge cases: raw sizes (flag 0x80) beyond the limits, odd, zero; a pitch below the width.
  const edge = (name, w, h, flags, pitch = 0, fill = 0) => {
    const b = Buffer.alloc(8 + 64);
    b.writeUInt16LE(w, 0);
    b.writeUInt16LE(h, 2);
    b[4] = flags;
    b[5] = pitch;
    b[6] = fill;
    for (let i = 8; i < b.length; i++) b[i] = (i * 29) & 0xff;
    write('encode', name, b);
  };
  edge('raw-16386x42.enc', 16386, 42, 0x80);
  edge('raw-43x42-odd.enc', 43, 42, 0x80);
  edge('raw-0x0.enc', 0, 0, 0x80);
  edge('raw-42x42-pitch-short.enc', 42, 42, 0x88, 10);
  edge('overflow-values-12bit.enc', 0, 0, 0x00, 0, 1);
  edge('bad-bitdepth.enc', 3, 3, 0x10);
  edge('bad-cfa.enc', 3, 3, 0x60);
  console.log(`corpora written under ${path.relative(root, corpus)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
